"""Public records (allmänna handlingar): requests for documents, retention and purging, archive packages."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..domain import today_in_sweden
from .routes import bp

records_cli = AppGroup("records", help="Public records: retention (gallring) and archive packages.")


@records_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="As if it were this day.")
def purge_command(dry_run: bool, today) -> None:
    """Delete the comments of dialogues whose retention period (gallringsbeslut) has passed."""
    from ..extensions import db
    from .retention import purge_expired

    day = today.date() if today else today_in_sweden()
    purges = purge_expired(day, dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    verb = "skulle raderas" if dry_run else "raderade"
    for p in purges:
        click.echo(f"{p.title} (gallras från {p.due_on}): {verb} {p.responses} svar, {p.pins} "
                   f"synpunkter, {p.answers} frågesvar, {p.photos} foton")
    if not purges:
        click.echo("Inga dialoger att gallra.")


@records_cli.command("archive")
@click.option("--dialogue", "dialogue_id", type=int, required=True, help="The dialogue's id.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The ZIP file to write, e.g. husby-sip.zip.")
def archive_command(dialogue_id: int, output: str) -> None:
    """Write a closed dialogue's archive package (E-ARK SIP as FGS Paketstruktur uses it) as a ZIP."""
    from pathlib import Path

    from flask import current_app

    from ..extensions import db
    from ..models import Dialogue
    from ..models.audit import record
    from .archive import ArchiveRefused, archive_zip

    dialogue = db.session.get(Dialogue, dialogue_id)
    if dialogue is None:
        raise click.ClickException(f"Ingen dialog har id {dialogue_id}.")
    with current_app.test_request_context():  # the report's texts and links need a request
        try:
            made = archive_zip(dialogue, Path(output))
        except ArchiveRefused as refused:
            raise click.ClickException(str(refused)) from refused
    record("records.archive", municipality_id=dialogue.municipality_id, obj=dialogue, file=made.name,
           bytes=made.stat().st_size)
    db.session.commit()
    click.echo(f"Arkivpaketet är skrivet: {made}")


def init_app(app: Flask) -> None:
    """Register the public records pages and the records CLI."""
    app.register_blueprint(bp)
    app.cli.add_command(records_cli)
