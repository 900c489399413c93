"""`platsdialog api-token create --kommunkod 0180 --name QGIS`: a token shown once."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import Municipality
from .tokens import create_token

token_cli = AppGroup("api-token", help="API tokens per municipality.")


@token_cli.command("create")
@click.option("--kommunkod", required=True, help="The municipality whose dialogues it may export.")
@click.option("--name", default="API", show_default=True, help="What the token is for, e.g. QGIS.")
def create(kommunkod: str, name: str) -> None:
    """Create a token and print it once; only its hash is stored."""
    municipality = db.session.execute(
        select(Municipality).where(Municipality.kommunkod == kommunkod)
    ).scalar_one_or_none()
    if municipality is None:
        raise click.ClickException(f"Ingen kommun har kommunkod {kommunkod}.")
    plain, token = create_token(municipality, name)
    db.session.commit()
    click.echo(f"API-nyckel {token.id} för {municipality.name} ({name}). Den visas bara nu:")
    click.echo(plain)
