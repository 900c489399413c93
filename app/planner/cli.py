"""`platsdialog dialogues ...`: lifecycle chores to run from cron."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ..domain import today_in_sweden
from ..extensions import db
from .lifecycle import close_expired_dialogues

dialogues_cli = AppGroup("dialogues", help="Dialogues.")


@dialogues_cli.command("close-expired")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date to close against (default: today in Sweden).")
def close_expired(today) -> None:
    """Close every open dialogue whose end date has passed."""
    day: date = today.date() if today else today_in_sweden()
    closed = close_expired_dialogues(day)
    db.session.commit()
    for dialogue in closed:
        click.echo(f"Stängd: {dialogue.slug} (slutdatum {dialogue.closes_on}).")
    click.echo(f"{len(closed)} dialog(er) stängda.")
