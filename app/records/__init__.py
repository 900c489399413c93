"""Public records (allmänna handlingar): requests for documents, retention and purging, archive packages."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from .routes import bp

records_cli = AppGroup("records", help="Public records: retention (gallring) and archive packages.")


@records_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="As if it were this day.")
def purge_command(dry_run: bool, today) -> None:
    """Delete the comments of dialogues whose retention period (gallringsbeslut) has passed."""
    from ..extensions import db
    from .retention import purge_expired

    day = today.date() if today else date.today()
    purges = purge_expired(day, dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    verb = "skulle raderas" if dry_run else "raderade"
    for p in purges:
        click.echo(f"{p.title} (gallras från {p.due_on}): {verb} {p.responses} svar, {p.pins} "
                   f"synpunkter, {p.answers} frågesvar, {p.photos} foton")
    if not purges:
        click.echo("Inga dialoger att gallra.")


def init_app(app: Flask) -> None:
    """Register the public records pages and the records CLI."""
    app.register_blueprint(bp)
    app.cli.add_command(records_cli)
