"""`platsdialog network ...`: the municipalities and dialogues, and the aggregate figures as CSV."""

from __future__ import annotations

import csv

import click
from flask.cli import AppGroup

from ..disclosure import min_count
from ..domain import SENTIMENTS, VALUES
from . import stats

network_cli = AppGroup("network", help="Nätverket: kommuner, dialoger och samlade siffror.")

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@network_cli.command("list")
def list_network() -> None:
    """List the municipalities and their dialogues with status and phase."""
    dialogues = stats.network_dialogues()
    rows, _total = stats.municipality_rows(dialogues, {})
    for row in rows:
        m = row.municipality
        click.echo(f"{m.kommunkod} {m.name}")
        for d in (d for d in dialogues if d.municipality_id == m.id):
            click.echo(f"    fas {d.phase}  {d.status:<8}  {d.slug}  {d.title}")


def export_rows(k: int) -> list[list[object]]:
    """The aggregate figures per municipality and for the network, small numbers suppressed."""
    dialogues = stats.network_dialogues()
    per_dialogue = stats.dialogue_figures([d.id for d in dialogues])
    rows, total = stats.municipality_rows(dialogues, per_dialogue)
    # Suppressed down the whole tree, as on the overview page, though the CSV has no dialogue rows.
    shown_total, shown_rows, _per_dialogue = stats.shown_network(total, rows, dialogues,
                                                                 per_dialogue, k)
    header = ["kommunkod", "kommun", "invanare", "dialoger", "svar", "synpunkter",
              *VALUES, *(f"{v}.{s}" for v in VALUES for s in SENTIMENTS), "synpunkter_per_1000"]
    out: list[list[object]] = [header]
    # Hidden by the small-number rule: fewer than k, or a figure that would give such a one away.
    hidden = "dold"

    def cells(shown: dict) -> list[object]:
        figures = [shown["responses"], shown["pins"], *(shown["by_value"][v] for v in VALUES),
                   *(shown["by_value_sentiment"][f"{v}.{s}"] for v in VALUES for s in SENTIMENTS)]
        return [hidden if n is None else n for n in figures]

    for row in stats.comparison_rows(rows, k, shown_rows):
        m = row["municipality"]
        rate = row["per_thousand"]["pins"]
        out.append([m.kommunkod, m.name, m.population or "", row["dialogues"], *cells(row),
                    "" if rate is None else rate])
    out.append(["", "Hela nätverket", "", len(dialogues), *cells(shown_total), ""])
    return [[safe_cell(c) for c in r] for r in out]


@network_cli.command("export-csv")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_csv(path: str) -> None:
    """Write the network's aggregate figures to a CSV file (UTF-8 with BOM, for Excel)."""
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh).writerows(export_rows(min_count()))
    click.echo(f"Nätverkets siffror är sparade i {path}.")
