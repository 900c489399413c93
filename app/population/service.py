"""Storing an imported population table and choosing which one a dialogue is compared with."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from ..extensions import db
from ..models import Dialogue, Municipality, PopulationCount, PopulationTable
from .importer import ParsedTable


def store_population(municipality: Municipality, name: str, parsed: ParsedTable, *,
                     is_example: bool = False) -> PopulationTable:
    """Add a checked table and its rows (the caller commits, once: all rows or none)."""
    if parsed.problems:
        raise ValueError("a table with problems is never stored")
    table = PopulationTable(municipality_id=municipality.id, name=name.strip()[:200],
                            is_example=is_example, dimensions=list(parsed.dimensions),
                            total=parsed.total)
    db.session.add(table)
    db.session.flush()
    rows = [{"table_id": table.id, "area_code": r.area_code, "area_name": r.area_name,
             "inhabitants": r.inhabitants, **{d: r.groups.get(d) for d in parsed.dimensions}}
            for r in parsed.rows]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(PopulationCount), rows[start:start + 5000])
    return table


def tables_of(municipality_id: int) -> list[PopulationTable]:
    """The municipality's population tables, newest first."""
    return db.session.execute(
        select(PopulationTable).where(PopulationTable.municipality_id == municipality_id)
        .order_by(PopulationTable.created_at.desc(), PopulationTable.id.desc())
    ).scalars().all()


def areas_of(table_id: int) -> list[tuple[str, str | None, int]]:
    """The table's areas: code, name and inhabitants."""
    return [tuple(row) for row in db.session.execute(
        select(PopulationCount.area_code, func.max(PopulationCount.area_name),
               func.sum(PopulationCount.inhabitants))
        .where(PopulationCount.table_id == table_id)
        .group_by(PopulationCount.area_code).order_by(PopulationCount.area_code)
    ).all()]


def link_dialogue(dialogue: Dialogue, table: PopulationTable | None,
                  areas: list[str] | None = None) -> None:
    """Compare the dialogue with this table (and these of its areas; None or [] is all)."""
    dialogue.population_table_id = table.id if table else None
    known = {code for code, _name, _n in areas_of(table.id)} if table else set()
    chosen = sorted(set(areas or ()) & known)
    dialogue.population_areas = chosen if chosen and len(chosen) < len(known) else None
    db.session.flush()
