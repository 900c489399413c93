"""`platsdialog population import FILE`: a reference population table from a CSV file."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db

population_cli = AppGroup("population", help="Reference population per area (for representativeness).")


@population_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--kommunkod", required=True, help="The municipality the table belongs to.")
@click.option("--name", required=True, help='What the table is, e.g. "SCB DeSO 2024, Husby".')
@click.option("--example", is_flag=True, help="Mark the table as an example (invented numbers).")
@click.option("--dialogue", "dialogue_slug", help="Compare this dialogue (slug) with the table.")
@click.option("--areas", help="Comma-separated area codes the dialogue is compared with (default all).")
def import_population(path: str, kommunkod: str, name: str, example: bool,
                      dialogue_slug: str | None, areas: str | None) -> None:
    """Import a population CSV (area; age; sex; [country of birth; tenure;] inhabitants)."""
    from sqlalchemy import select

    from ..cli import _municipality
    from ..models import Dialogue
    from .importer import parse_population_csv
    from .service import link_dialogue, store_population

    municipality = _municipality(kommunkod)
    dialogue = None
    if dialogue_slug:
        dialogue = db.session.execute(select(Dialogue).where(
            Dialogue.slug == dialogue_slug, Dialogue.municipality_id == municipality.id)
        ).scalar_one_or_none()
        if dialogue is None:
            raise click.ClickException(f"Kommunen har ingen dialog {dialogue_slug}.")
    with open(path, "rb") as fh:
        parsed = parse_population_csv(fh.read())
    if parsed.problems:
        for problem in parsed.problems:
            click.echo(f"{click.format_filename(path)}: {problem}", err=True)
        raise SystemExit(1)
    table = store_population(municipality, name, parsed, is_example=example)
    if dialogue is not None:
        link_dialogue(dialogue, table, [a.strip() for a in (areas or "").split(",") if a.strip()])
    db.session.commit()
    area_count = len({r.area_code for r in parsed.rows})
    click.echo(f"Befolkningstabellen {table.name} (id {table.id}) är importerad: {parsed.total} "
               f"invånare i {area_count} områden, {len(parsed.rows)} rader.")
    if dialogue is not None:
        click.echo(f"Dialogen {dialogue.slug} jämförs nu med tabellen.")
