"""The resident's side: dialogue pages, pins and answers. No account, no tracking."""

from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from . import api, privacy  # noqa: F401  (register the JSON endpoints and the privacy notice on bp)
from .addresses import addresses_cli
from .routes import bp

resident_cli = AppGroup("resident", help="Residents' side: housekeeping.")


@resident_cli.command("purge-photos")
@click.option("--days", default=2, show_default=True, help="Keep unsent photos this many days.")
def purge_photos(days: int) -> None:
    """Delete photos that were uploaded but never sent with a response."""
    from ..extensions import db
    from ..photos import delete_unattached_photos

    removed = delete_unattached_photos(timedelta(days=days))
    db.session.commit()
    click.echo(f"{removed} unsent photos deleted")


def init_app(app: Flask) -> None:
    """Register the resident pages and the resident CLI commands."""
    app.register_blueprint(bp)
    app.cli.add_command(resident_cli)
    app.cli.add_command(addresses_cli)
