"""The `platsdialog` command: Flask's CLI for this app, with our commands beside their code."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy import select

from .extensions import db
from .inputs import whole_number


def _create_app() -> Flask:
    from . import create_app
    from .database import SpatiaLiteMissing, check_spatialite, exit_with, is_sqlite

    app = create_app()
    if is_sqlite(app.config["SQLALCHEMY_DATABASE_URI"]):
        try:
            check_spatialite()
        except SpatiaLiteMissing as err:
            exit_with(str(err))
    return app


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Platsdialog: early citizen dialogue in place development."""


def _municipality(kommunkod: str):
    """The municipality with this kommunkod, or a CLI error that names the code."""
    from .models import Municipality

    municipality = db.session.execute(
        select(Municipality).where(Municipality.kommunkod == kommunkod)
    ).scalar_one_or_none()
    if municipality is None:
        raise click.ClickException(f"Ingen kommun har kommunkod {kommunkod}.")
    return municipality


municipality_cli = AppGroup("municipality", help="Municipalities (kommuner).")
user_cli = AppGroup("user", help="Planner accounts.")
area_cli = AppGroup("area", help="Development areas.")


@municipality_cli.command("create")
@click.option("--kommunkod", required=True, help="Four digits, e.g. 0180.")
@click.option("--name", required=True)
@click.option("--population", type=int)
def create_municipality(kommunkod: str, name: str, population: int | None) -> None:
    """Add a municipality."""
    from .models import Municipality

    if not (len(kommunkod) == 4 and whole_number(kommunkod) is not None):
        raise click.BadParameter("kommunkoden ska vara fyra siffror, t.ex. 0180", param_hint="--kommunkod")
    if db.session.execute(select(Municipality).where(Municipality.kommunkod == kommunkod)).first():
        raise click.ClickException(f"Det finns redan en kommun med kommunkod {kommunkod}.")
    db.session.add(Municipality(kommunkod=kommunkod, name=name, population=population))
    db.session.commit()
    click.echo(f"Kommunen {name} ({kommunkod}) är skapad.")


@municipality_cli.command("sign-in")
@click.option("--kommunkod", required=True)
@click.option("--issuer", help="The OpenID provider's issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0.")
@click.option("--client-id")
@click.option("--client-secret-env", metavar="VARIABLE",
              help="Name of an environment variable holding the client secret (kept out of shell history).")
@click.option("--email-claim", default="email", show_default=True)
@click.option("--group-claim", help="The claim that lists the person's groups, e.g. groups or roles.")
@click.option("--group-role", "group_roles", multiple=True, metavar="GROUP=ROLE",
              help="A group mapped to project_leader, working_group or steering_group; repeat.")
@click.option("--passwords/--no-passwords", default=None, help="Allow local passwords, or not.")
@click.option("--disable", is_flag=True, help="Switch sign-in through the provider off.")
def municipality_sign_in(kommunkod, issuer, client_id, client_secret_env, email_claim, group_claim,
                         group_roles, passwords, disable) -> None:
    """Staff sign-in through the municipality's OpenID Connect provider, and whether passwords work."""
    from flask import current_app

    # A request context gives the messages their (Swedish) locale and the callback its address.
    with current_app.test_request_context():
        _configure_sign_in(kommunkod, issuer, client_id, client_secret_env, email_claim, group_claim,
                           group_roles, passwords, disable)


def _configure_sign_in(kommunkod, issuer, client_id, client_secret_env, email_claim, group_claim,
                       group_roles, passwords, disable) -> None:
    import os

    from .auth.oidc import ProviderSettingsInvalid, callback_url, configure_provider

    municipality = _municipality(kommunkod)
    if issuer or client_id or disable:
        provider = municipality.identity_provider
        secret = os.environ.get(client_secret_env, "") if client_secret_env else None
        if client_secret_env and not secret:
            raise click.ClickException(f"Miljövariabeln {client_secret_env} är tom.")
        mapping = {}
        for pair in group_roles:
            group, sep, role = pair.partition("=")
            if not sep:
                raise click.BadParameter("skriv GRUPP=ROLL", param_hint="--group-role")
            mapping[group.strip()] = role.strip()
        try:
            configure_provider(
                municipality, issuer=issuer or (provider and provider.issuer) or "",
                client_id=client_id or (provider and provider.client_id) or "", client_secret=secret,
                email_claim=email_claim, group_claim=group_claim, group_roles=mapping,
                enabled=not disable)
        except ProviderSettingsInvalid as error:
            raise click.ClickException(str(error)) from error
    if passwords is not None:
        municipality.local_login_enabled = passwords
    db.session.commit()
    click.echo(f"Inloggning för {municipality.name}: återanropsadress {callback_url(kommunkod)}; "
               f"lösenord {'tillåtna' if municipality.local_login_enabled else 'avstängda'}.")


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--kommunkod", help="The municipality the user works in.")
@click.option("--role", type=click.Choice(["project_leader", "working_group", "steering_group"]))
@click.option("--site-admin", is_flag=True)
@click.option("--network-coordinator", is_flag=True)
@click.password_option()
def create_user(email, display_name, kommunkod, role, site_admin, network_coordinator, password):
    """Create a planner account, optionally with a role in one municipality."""
    from .models import Membership, User

    email = email.strip().lower()
    if db.session.execute(select(User).where(User.email == email)).first():
        raise click.ClickException(f"Det finns redan ett konto för {email}.")
    if bool(kommunkod) != bool(role):
        raise click.UsageError("Ange både --kommunkod och --role, eller ingen av dem.")
    user = User(email=email, display_name=display_name, is_site_admin=site_admin,
                is_network_coordinator=network_coordinator)
    user.set_password(password)
    if kommunkod:
        user.memberships.append(Membership(municipality=_municipality(kommunkod), role=role))
    db.session.add(user)
    db.session.commit()
    click.echo(f"Kontot {email} är skapat.")


def _link_url(token: str, base_url: str) -> str:
    """The full address of a one-time link on this installation."""
    from flask import current_app, url_for

    with current_app.test_request_context(base_url=base_url):
        return url_for("auth.accept", token=token, _external=True)


@user_cli.command("invite")
@click.option("--email", required=True)
@click.option("--kommunkod", required=True, help="The municipality the person is invited to.")
@click.option("--role", required=True,
              type=click.Choice(["project_leader", "working_group", "steering_group"]))
@click.option("--base-url", envvar="PLATSDIALOG_BASE_URL", default="http://127.0.0.1:5000",
              show_default=True, help="The installation's address, for the printed link.")
def invite_user(email: str, kommunkod: str, role: str, base_url: str) -> None:
    """Print a one-time invitation link (valid 7 days) to send to the person."""
    from .auth.invites import LinkRefused, create_invite

    municipality = _municipality(kommunkod)
    try:
        link = create_invite(email, role, municipality, None)
    except LinkRefused as refused:
        raise click.ClickException(str(refused.message)) from None
    db.session.commit()
    click.echo(_link_url(link.token, base_url))


@user_cli.command("reset-link")
@click.option("--email", required=True)
@click.option("--base-url", envvar="PLATSDIALOG_BASE_URL", default="http://127.0.0.1:5000",
              show_default=True, help="The installation's address, for the printed link.")
def reset_link(email: str, base_url: str) -> None:
    """Print a one-time password reset link (valid 2 days) for an account."""
    from .auth.invites import create_reset, find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"Det finns inget konto för {email.strip().lower()}.")
    link = create_reset(user, None)
    db.session.commit()
    click.echo(_link_url(link.token, base_url))


@area_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--kommunkod", required=True, help="The municipality that owns the area.")
@click.option("--name", required=True, help="The area's name as planners and residents see it.")
@click.option("--where", "where", multiple=True, metavar="ATTR=VALUE",
              help="Pick features by attribute, e.g. --where name=HUSBY.")
@click.option("--layer", help="The layer to read from a GeoPackage with several.")
@click.option("--dissolve", is_flag=True, help="Merge several features into one area.")
@click.option("--repair", is_flag=True, help="Repair an invalid geometry with make_valid.")
def import_area(path, kommunkod, name, where, layer, dissolve, repair) -> None:
    """Import a development area from GeoJSON, Shapefile (also zipped), GeoPackage or KML."""
    from .areas import store_area
    from .geodata.importer import AreaImportError, read_area

    conditions = {}
    for item in where:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"'{item}' ska skrivas ATTRIBUT=VÄRDE", param_hint="--where")
        conditions[key.strip()] = value.strip()
    municipality = _municipality(kommunkod)
    try:
        imported = read_area(path, where=conditions or None, layer=layer, dissolve=dissolve,
                             repair=repair, kommunkod=municipality.kommunkod)
    except AreaImportError as err:
        click.echo(f"Fel: {err}", err=True)
        sys.exit(1)
    area = store_area(municipality, name, imported.geometry, source=click.format_filename(path))
    db.session.commit()
    for note in imported.notes:
        click.echo(note)
    click.echo(
        f"Området {name} (id {area.id}) är importerat: {area.area_km2:.2f} km², "
        f"{imported.vertex_count} hörnpunkter, {imported.feature_count} objekt, från "
        f"{imported.source_crs}, i {imported.municipality or 'okänd kommun'}."
    )


def init_app(app: Flask) -> None:
    """Add our command groups to the app's CLI."""
    from .population.cli import population_cli
    from .surveys.cli import init_app as init_survey_cli

    for group in (municipality_cli, user_cli, area_cli, population_cli):
        app.cli.add_command(group)
    init_survey_cli(app)
