"""`platsdialog basemap …`: add, list and remove base maps."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db

basemap_cli = AppGroup("basemap", help="Base maps (bakgrundskartor) served from our own origin.")


def _scope(kommunkod: str | None, site_wide: bool) -> int | None:
    from ..cli import _municipality

    if bool(kommunkod) == site_wide:
        raise click.UsageError("Ange antingen --kommunkod eller --site-wide.")
    return None if site_wide else _municipality(kommunkod).id


def _refuse(err: Exception) -> None:
    from flask_babel import force_locale

    db.session.rollback()
    with force_locale("sv"):  # the command speaks Swedish, like the other commands
        click.echo(f"Fel: {err}", err=True)
    sys.exit(1)


def _add(add_basemap: Callable, *args, kommunkod: str | None, site_wide: bool, **fields) -> None:
    """Add a base map through its service function, for one municipality or all; say so in Swedish."""
    from ..models import BaseMap
    from .files import BaseMapError

    municipality_id = _scope(kommunkod, site_wide)
    try:
        basemap = add_basemap(*args, municipality_id=municipality_id, **fields)
    except BaseMapError as err:
        _refuse(err)
    db.session.commit()
    basemap = db.session.get(BaseMap, basemap.id)
    default = " Den är standardkarta." if basemap.is_default else ""
    click.echo(f"Bakgrundskartan {basemap.name} (id {basemap.id}, {basemap.kind}, zoom "
               f"{basemap.min_zoom}–{basemap.max_zoom}) är tillagd.{default}")


def _common(attribution_help: str = "Whose map it is, shown on the map.", attribution_required: bool = True):
    """The options every base map needs: where it is offered, its name, attribution and licence."""
    options = [
        click.option("--kommunkod", help="The municipality whose planners may choose it."),
        click.option("--site-wide", is_flag=True, help="Offer it to every municipality."),
        click.option("--name", required=True, help="The name planners choose it by."),
        click.option("--attribution", required=attribution_required, help=attribution_help),
        click.option("--licence", default="", help="The licence, e.g. 'CC BY 4.0'."),
        click.option("--default", "make_default", is_flag=True, help="Make it the default base map."),
    ]

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


@basemap_cli.command("add")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_common("Whose map it is, shown on the map (default: the file's own).", attribution_required=False)
def add_file(path: Path, **fields) -> None:
    """Add a raster PMTiles, MBTiles or GeoPackage tile file (Web Mercator) as a base map."""
    from .service import add_file_basemap

    _add(add_file_basemap, path, **fields)


@basemap_cli.command("add-xyz")
@click.argument("url")
@_common()
@click.option("--min-zoom", default=0, show_default=True, type=int)
@click.option("--max-zoom", default=19, show_default=True, type=int)
def add_xyz(url, **fields):
    """Add an XYZ tile server (URL with {z}/{x}/{y}); our server fetches and caches its tiles."""
    from .upstream import add_xyz_basemap

    _add(add_xyz_basemap, url, **fields)


@basemap_cli.command("add-wmts")
@click.argument("capabilities_url")
@click.option("--layer", required=True, help="The layer's identifier in the capabilities.")
@click.option("--matrix-set", help="The tile matrix set to use (default: the first usable one).")
@_common()
def add_wmts(capabilities_url, layer, **fields):
    """Add a WMTS layer (Web Mercator or SWEREF 99) from its GetCapabilities address."""
    from .upstream import add_wmts_basemap

    _add(add_wmts_basemap, capabilities_url, layer, **fields)


@basemap_cli.command("add-wms")
@click.argument("capabilities_url")
@click.option("--layer", required=True, help="The layer's name in the capabilities.")
@click.option("--crs", type=int, help="EPSG code to ask for: 3857 or 3006-3018 (default: the layer's "
              "SWEREF 99, else 3857).")
@_common()
def add_wms(capabilities_url, layer, **fields):
    """Add a WMS layer; our server asks GetMap for one tile at a time and caches the answers."""
    from .wms import add_wms_basemap

    _add(add_wms_basemap, capabilities_url, layer, **fields)


@basemap_cli.command("list")
@click.option("--kommunkod", help="Only what this municipality is offered.")
def list_basemaps(kommunkod: str | None) -> None:
    """List base maps: id, scope, kind, name, default."""
    from sqlalchemy import select

    from ..cli import _municipality
    from ..models import BaseMap, Municipality
    from .service import offered_to

    if kommunkod:
        rows = offered_to(_municipality(kommunkod).id)
    else:
        rows = list(db.session.execute(select(BaseMap).order_by(BaseMap.id)).scalars())
    codes = dict(db.session.execute(select(Municipality.id, Municipality.kommunkod)).all())
    for b in rows:
        scope = codes.get(b.municipality_id, "alla")
        mark = "(standard)" if b.is_default else ""
        click.echo("\t".join([str(b.id), scope, b.kind, b.name, mark]).rstrip())


@basemap_cli.command("remove")
@click.argument("basemap_id", type=int)
def remove_basemap(basemap_id: int) -> None:
    """Remove a base map; its dialogues fall back to the default one."""
    from ..models import BaseMap
    from .service import remove_file

    basemap = db.session.get(BaseMap, basemap_id)
    if basemap is None:
        raise click.ClickException(f"Det finns ingen bakgrundskarta med id {basemap_id}.")
    db.session.delete(basemap)
    db.session.commit()
    remove_file(basemap)
    click.echo(f"Bakgrundskartan {basemap.name} är borttagen.")
