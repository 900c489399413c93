"""`platsdialog basemap …`: add, list and remove base maps."""

from __future__ import annotations

import sys
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


def _added(basemap) -> None:
    from ..models import BaseMap

    db.session.commit()
    basemap = db.session.get(BaseMap, basemap.id)
    default = " Den är standardkarta." if basemap.is_default else ""
    click.echo(f"Bakgrundskartan {basemap.name} (id {basemap.id}, {basemap.kind}, zoom "
               f"{basemap.min_zoom}–{basemap.max_zoom}) är tillagd.{default}")


@basemap_cli.command("add")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kommunkod", help="The municipality whose planners may choose it.")
@click.option("--site-wide", is_flag=True, help="Offer it to every municipality.")
@click.option("--name", required=True, help="The name planners choose it by.")
@click.option("--attribution", help="Whose map it is, shown on the map (default: the file's own).")
@click.option("--licence", default="", help="The licence, e.g. 'CC BY 4.0'.")
@click.option("--default", "make_default", is_flag=True, help="Make it the default base map.")
def add_file(path: Path, kommunkod, site_wide, name, attribution, licence, make_default) -> None:
    """Add a raster PMTiles, MBTiles or GeoPackage tile file (Web Mercator) as a base map."""
    from .files import BaseMapError
    from .service import add_file_basemap

    municipality_id = _scope(kommunkod, site_wide)
    try:
        basemap = add_file_basemap(path, municipality_id=municipality_id, name=name,
                                   attribution=attribution, licence=licence, make_default=make_default)
    except BaseMapError as err:
        _refuse(err)
    _added(basemap)


def _common(command):
    """The options every upstream base map needs."""
    for option in reversed([
        click.option("--kommunkod", help="The municipality whose planners may choose it."),
        click.option("--site-wide", is_flag=True, help="Offer it to every municipality."),
        click.option("--name", required=True, help="The name planners choose it by."),
        click.option("--attribution", required=True, help="Whose map it is, shown on the map."),
        click.option("--licence", default="", help="The licence, e.g. 'CC BY 4.0'."),
        click.option("--default", "make_default", is_flag=True, help="Make it the default base map."),
    ]):
        command = option(command)
    return command


@basemap_cli.command("add-xyz")
@click.argument("url")
@_common
@click.option("--min-zoom", default=0, show_default=True, type=int)
@click.option("--max-zoom", default=19, show_default=True, type=int)
def add_xyz(url, kommunkod, site_wide, name, attribution, licence, make_default, min_zoom, max_zoom):
    """Add an XYZ tile server (URL with {z}/{x}/{y}); our server fetches and caches its tiles."""
    from .files import BaseMapError
    from .upstream import add_xyz_basemap

    municipality_id = _scope(kommunkod, site_wide)
    try:
        basemap = add_xyz_basemap(url, municipality_id=municipality_id, name=name, attribution=attribution,
                                  licence=licence, min_zoom=min_zoom, max_zoom=max_zoom,
                                  make_default=make_default)
    except BaseMapError as err:
        _refuse(err)
    _added(basemap)


@basemap_cli.command("add-wmts")
@click.argument("capabilities_url")
@click.option("--layer", required=True, help="The layer's identifier in the capabilities.")
@click.option("--matrix-set", help="The tile matrix set to use (default: the first usable one).")
@_common
def add_wmts(capabilities_url, layer, matrix_set, kommunkod, site_wide, name, attribution, licence,
             make_default):
    """Add a WMTS layer (Web Mercator or SWEREF 99) from its GetCapabilities address."""
    from .files import BaseMapError
    from .upstream import add_wmts_basemap

    municipality_id = _scope(kommunkod, site_wide)
    try:
        basemap = add_wmts_basemap(capabilities_url, layer, municipality_id=municipality_id, name=name,
                                   attribution=attribution, licence=licence, matrix_set=matrix_set,
                                   make_default=make_default)
    except BaseMapError as err:
        _refuse(err)
    _added(basemap)


@basemap_cli.command("add-wms")
@click.argument("capabilities_url")
@click.option("--layer", required=True, help="The layer's name in the capabilities.")
@click.option("--crs", type=int, help="EPSG code to ask for: 3857 or 3006-3018 (default: the layer's "
              "SWEREF 99, else 3857).")
@_common
def add_wms(capabilities_url, layer, crs, kommunkod, site_wide, name, attribution, licence, make_default):
    """Add a WMS layer; our server asks GetMap for one tile at a time and caches the answers."""
    from .files import BaseMapError
    from .wms import add_wms_basemap

    municipality_id = _scope(kommunkod, site_wide)
    try:
        basemap = add_wms_basemap(capabilities_url, layer, municipality_id=municipality_id, name=name,
                                  attribution=attribution, licence=licence, crs=crs,
                                  make_default=make_default)
    except BaseMapError as err:
        _refuse(err)
    _added(basemap)


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
