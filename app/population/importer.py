"""Reading a population CSV as Statistics Sweden or a municipal statistics unit delivers it.

One row per area and cell of the cross-table, e.g. (SCB's PxWeb download, or the same from Excel):

    region;ålder;kön;2024            område,områdesnamn,ålder,kön,födelseland,antal
    "0180C1090 Husby";"25-44 år";"kvinnor";412     0180C1090,Husby,25-44,kvinnor,Sverige,301

Every problem is reported at once with its line number, and nothing is stored from a file that
has one: the caller stores the rows in one transaction only when `problems` is empty.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..models.population import POPULATION_DIMENSIONS
from ..surveys.rules import group_key  # noqa: F401  (one rule for group labels)

MAX_BYTES = 10 * 1024 * 1024  # under the request limit (12 MB), so the planner reads why
MAX_PROBLEMS = 20
# Column names as they come (compared case-folded, without spaces): ours, SCB's, a unit's own.
COLUMNS = {
    "area_code": ("område", "omrade", "områdeskod", "region", "deso", "regso", "kod", "area",
                  "area_code", "nyckelkodsområde"),
    "area_name": ("områdesnamn", "omradesnamn", "namn", "area_name"),
    "age": ("ålder", "alder", "åldersgrupp", "åldersklass", "age"),
    "sex": ("kön", "kon", "sex"),
    "birth_country": ("födelseland", "fodelseland", "födelseregion", "birth_country"),
    "tenure": ("upplåtelseform", "upplatelseform", "tenure"),
    "inhabitants": ("antal", "folkmängd", "befolkning", "invånare", "count", "inhabitants"),
}
# A row that sums other rows would count every person twice.
TOTAL_WORDS = {"totalt", "total", "samtliga", "alla", "summa", "båda könen", "totalt ålder"}
YEAR = re.compile(r"^(19|20)\d\d$")
SCB_REGION = re.compile(r"^(\S*\d\S*)\s+(.+)$")  # "0180C1090 Husby" -> code and name


@dataclass
class PopulationRow:
    """One area's inhabitants in one cell of the cross-table."""

    line: int
    area_code: str
    area_name: str | None
    inhabitants: int
    groups: dict[str, str] = field(default_factory=dict)  # dimension -> label as in the file


@dataclass
class ParsedTable:
    """What a file held: its dimensions and rows, or the problems that stop the import."""

    dimensions: list[str] = field(default_factory=list)
    rows: list[PopulationRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Inhabitants in every row."""
        return sum(r.inhabitants for r in self.rows)


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM); else Windows-1252, which SCB and Excel still write."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _key(name: str) -> str:
    return re.sub(r"\s+", "", name.strip().strip('"').casefold())


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds what, and the problems with the header."""
    found: dict[str, int] = {}
    problems = []
    wanted = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
    years = []
    for index, raw in enumerate(header):
        name = wanted.get(_key(raw))
        if name is None and YEAR.match(_key(raw)):
            years.append(index)
            continue
        if name is None:
            continue
        if name in found:
            problems.append(_("Line 1: two columns mean %(column)s; keep one.", column=raw.strip()))
        found[name] = index
    if "inhabitants" not in found and len(years) == 1:
        found["inhabitants"] = years[0]  # SCB's PxWeb names the count column after the year
    elif "inhabitants" not in found and len(years) > 1:
        problems.append(_("Line 1: the file has a column for each of several years; keep the "
                          "year to compare with."))
    if "area_code" not in found:
        problems.append(_("Line 1: a column with the area is missing (område, region or DeSO)."))
    if "inhabitants" not in found and len(years) <= 1:
        problems.append(_("Line 1: a column with the number of inhabitants is missing (antal)."))
    if not any(d in found for d in ("age", "sex")):
        problems.append(_("Line 1: the file needs a column ålder or kön (or both)."))
    return found, problems


def _count(text: str) -> int | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    return int(cleaned) if cleaned.isdigit() else None


def parse_population_csv(data: bytes) -> ParsedTable:
    """The rows of a population file, or every problem in it (line-numbered sentences)."""
    table = ParsedTable()
    if len(data) > MAX_BYTES:
        table.problems.append(_("The file is larger than %(mb)s MB.", mb=MAX_BYTES // 2**20))
        return table
    text = _decode(data)
    if text is None or "\x00" in text:
        table.problems.append(_("The file is not a text file (CSV)."))
        return table
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = []
    if not any(h.strip() for h in header):
        table.problems.append(_("The file is empty."))
        return table
    columns, table.problems = _columns(header)
    if table.problems:
        return table
    table.dimensions = [d for d in POPULATION_DIMENSIONS if d in columns]
    seen: dict[tuple, int] = {}
    try:
        for row in reader:
            if len(table.problems) >= MAX_PROBLEMS:
                table.problems.append(_("More problems follow; correct these first."))
                break
            if not any(cell.strip() for cell in row):
                continue
            parsed = _row(reader.line_num, row, columns, table)
            if parsed is None:
                continue
            cell = (parsed.area_code, *(parsed.groups[d].casefold() for d in table.dimensions))
            if cell in seen:
                table.problems.append(_("Line %(line)s: the same area and group as line %(first)s.",
                                        line=parsed.line, first=seen[cell]))
            else:
                seen[cell] = parsed.line
                table.rows.append(parsed)
    except csv.Error as err:
        table.problems.append(_("Line %(line)s: the CSV cannot be read (%(error)s).",
                                line=reader.line_num, error=str(err)))
    if not table.rows and not table.problems:
        table.problems.append(_("The file has a header but no rows."))
    return table


def _row(line: int, row: list[str], columns: dict[str, int], table: ParsedTable):
    """One data row checked; None (and problems noted) when it is wrong."""
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    problems_before = len(table.problems)
    code, name = cell("area_code"), cell("area_name") or None
    match = SCB_REGION.match(code)
    if match and name is None:
        code, name = match.group(1), match.group(2).strip()
    if not code:
        table.problems.append(_("Line %(line)s: the area is empty.", line=line))
    elif len(code) > 40:
        table.problems.append(_("Line %(line)s: the area code is longer than 40 characters.",
                                line=line))
    raw_count = cell("inhabitants")
    inhabitants = _count(raw_count)
    if inhabitants is None:
        if raw_count in ("..", ".", "-"):
            table.problems.append(_("Line %(line)s: the number is withheld ('%(value)s'); fill in a "
                                    "number or leave the row out.", line=line, value=raw_count))
        else:
            table.problems.append(_("Line %(line)s: '%(value)s' is not a whole number of inhabitants.",
                                    line=line, value=raw_count[:40]))
    groups = {}
    for dimension in table.dimensions:
        label = cell(dimension)
        if not label:
            table.problems.append(_("Line %(line)s: the column %(column)s is empty.", line=line,
                                    column=dimension_label(dimension)))
        elif label.casefold() in TOTAL_WORDS:
            table.problems.append(_("Line %(line)s: '%(value)s' is a total of other rows; remove "
                                    "total rows so that nobody is counted twice.", line=line,
                                    value=label))
        elif len(label) > 80:
            table.problems.append(_("Line %(line)s: a group name is longer than 80 characters.",
                                    line=line))
        groups[dimension] = label
    if len(table.problems) > problems_before:
        return None
    return PopulationRow(line, code, name[:200] if name else None, inhabitants, groups)


def dimension_label(dimension: str) -> str:
    """The dimension's name for people (ålder, kön, födelseland, upplåtelseform)."""
    return {"age": _("age"), "sex": _("sex"), "birth_country": _("country of birth"),
            "tenure": _("tenure")}[dimension]
