"""Addresses for the residents' "where am I" search: imported per municipality, searched on our server.

`platsdialog addresses import FILE --kommunkod 0180` reads Lantmäteriet's open Belägenhetsadress
as delivered (Nedladdning, vektor: a GeoPackage point layer, in the CRS it names), another vector
file (GML, GeoJSON, Shapefile), or a CSV such as a municipal list (coordinates in --crs, SWEREF 99
TM by default). Columns are named on the command line or found among the usual names; points are
stored in WGS84. Unusable lines or features are skipped and named by number; an import replaces
the municipality's addresses in one transaction, and one with no usable address changes nothing.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask.cli import AppGroup
from geoalchemy2.shape import to_shape
from sqlalchemy import delete, insert, select

from ..extensions import db
from ..models import Address, Dialogue, NamedPlace
from ..spatial import SWEDEN_BOUNDS, WGS84, transformer

SEARCH_LIMIT = 8
# Usual column names in Swedish address files (Lantmäteriet's Belägenhetsadress, municipal lists).
STREET = ("adressomrade", "adressområde", "gatunamn", "gata", "street", "adress")
NUMBER = ("adressplatsnummer", "nummer", "gatunummer", "number", "husnummer")
LETTER = ("bokstavstillagg", "bokstavstillägg", "bokstav", "letter")
LOCALITY = ("postort", "ort", "kommundel", "locality")
EAST = ("e", "easting", "ost", "östlig", "x", "e_sweref99tm")
NORTH = ("n", "northing", "nord", "nordlig", "y", "n_sweref99tm")
LAT = ("lat", "latitud", "latitude")
LNG = ("lng", "lon", "longitud", "longitude")


def search_key(text: str) -> str:
    """The form a label is matched in: NFKC, casefolded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _fold(name: str) -> str:
    """A column name as matched: casefolded, without diacritics ("Adressområde" = "adressomrade")."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _column(header: list[str], asked: str | None, usual: tuple[str, ...]) -> str | None:
    names = {_fold(h): h for h in header}
    if asked:
        if _fold(asked) not in names:
            raise click.ClickException(f"Kolumnen '{asked}' finns inte i filen ({', '.join(header)}).")
        return names[_fold(asked)]
    return next((names[_fold(u)] for u in usual if _fold(u) in names), None)


MAX_NAMED_SKIPS = 10  # skipped lines or features named in the message; the rest are counted


@dataclass
class Skipped:
    """Lines (or features) that could not be used: how many, and the first few by number and why."""

    count: int = 0
    named: list[str] = field(default_factory=list)

    def add(self, where: str, why: str) -> None:
        self.count += 1
        if len(self.named) < MAX_NAMED_SKIPS:
            self.named.append(f"{where}: {why}")

    def __str__(self) -> str:
        more = self.count - len(self.named)
        return "; ".join(self.named) + (f"; och {more} till" if more > 0 else "")


def _labelled(records, header: list[str], columns: dict, to_wgs84) -> tuple[list[dict], Skipped]:
    """Rows with label, search_key, lat, lng from (where, fields, (x, y) or None) records."""
    street = _column(header, columns.get("street"), STREET)
    if street is None:
        raise click.ClickException("Hittar ingen kolumn med gatunamn; ange den med --street.")
    number, letter = _column(header, columns.get("number"), NUMBER), _column(header, None, LETTER)
    locality = _column(header, columns.get("locality"), LOCALITY)
    rows, skipped, seen = [], Skipped(), set()
    min_lng, min_lat, max_lng, max_lat = SWEDEN_BOUNDS
    for where, fields, xy in records:
        if xy is None:
            skipped.add(where, "koordinaterna saknas eller är inga tal")
            continue
        lng, lat = to_wgs84.transform(*xy) if to_wgs84 is not None else xy
        name = " ".join(_text(fields.get(street)).split())
        house = _text(fields.get(number)) + (_text(fields.get(letter)) if letter else "")
        place = " ".join(_text(fields.get(locality)).split()) if locality else ""
        label = (f"{name} {house}".strip() + (f", {place}" if place else ""))[:200]
        if not name:
            skipped.add(where, "gatunamnet saknas")
        elif not (min_lat <= lat <= max_lat and min_lng <= lng <= max_lng):
            skipped.add(where, "platsen ligger utanför Sverige (fel koordinatsystem? ange --crs)")
        elif label not in seen:  # the same address again (another entrance): kept once, not an error
            seen.add(label)
            rows.append({"label": label, "search_key": search_key(label), "lat": lat, "lng": lng})
    return rows, skipped


def _text(value) -> str:
    """A field's value as text: nothing for empty, 12 (not 12.0) for a whole number from a vector file."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(text) -> float:
    return float(str(text).replace(",", ".").strip())


def read_addresses(text: str, *, crs: str = "EPSG:3006", columns: dict[str, str | None] | None = None
                   ) -> tuple[list[dict], Skipped]:
    """(rows with label, search_key, lat, lng; the lines that could not be used) from CSV text."""
    columns = columns or {}
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = reader.fieldnames or []
    lat_col, lng_col = _column(header, columns.get("lat"), LAT), _column(header, columns.get("lng"), LNG)
    east, north = _column(header, columns.get("east"), EAST), _column(header, columns.get("north"), NORTH)
    if not ((lat_col and lng_col) or (east and north)):
        raise click.ClickException(
            "Hittar inga koordinater; ange --east och --north (eller --lat och --lng).")
    wgs84 = bool(lat_col and lng_col)

    def records():
        for line in reader:
            try:
                xy = ((_number(line[lng_col]), _number(line[lat_col])) if wgs84
                      else (_number(line[east]), _number(line[north])))
            except (TypeError, ValueError, AttributeError):
                xy = None
            yield f"rad {reader.line_num}", line, xy

    return _labelled(records(), header, columns, None if wgs84 else transformer(crs, WGS84))


def read_address_layer(path: Path, *, layer: str | None = None, columns: dict[str, str | None] | None = None
                       ) -> tuple[list[dict], Skipped]:
    """Rows and skipped features from a vector file's point layer (GeoPackage as Lantmäteriet's
    Belägenhetsadress Nedladdning, vektor is delivered; also GML, GeoJSON, Shapefile), in its CRS."""
    import pyogrio
    import shapely

    try:
        layers = [(str(name), str(kind or "")) for name, kind in pyogrio.list_layers(path)]
    except Exception as err:  # pyogrio raises DataSourceError and others for a file it cannot read
        raise click.ClickException("Filen går inte att läsa som GeoPackage, GML, GeoJSON eller "
                                   "Shapefile.") from err
    points = [name for name, kind in layers if "point" in kind.lower()]
    if layer is None:
        if len(points) != 1:
            names = ", ".join(name for name, _kind in layers) or "-"
            raise click.ClickException(f"Filen har {'inget' if not points else 'flera'} punktlager; "
                                       f"ange ett med --layer (filen har: {names}).")
        layer = points[0]
    elif layer not in dict(layers):
        raise click.ClickException(f"Lagret '{layer}' finns inte i filen "
                                   f"({', '.join(n for n, _k in layers)}).")
    meta, _fids, geometry, values = pyogrio.raw.read(path, layer=layer)
    if not meta.get("crs"):
        raise click.ClickException("Filen säger inte vilket koordinatsystem punkterna är i.")
    header = [str(f) for f in meta["fields"]]

    def records():
        for i, wkb in enumerate(geometry):
            shape = shapely.from_wkb(wkb) if wkb is not None else None
            xy = (shape.x, shape.y) if isinstance(shape, shapely.Point) and not shape.is_empty else None
            fields = {name: column[i] for name, column in zip(header, values, strict=True)}
            yield f"objekt {i + 1}", fields, xy  # the Nth feature, as the file lists them

    return _labelled(records(), header, columns or {}, transformer(meta["crs"], WGS84))


def replace_addresses(municipality_id: int, rows: list[dict]) -> None:
    """The municipality's addresses replaced by these (not committed; the caller commits)."""
    db.session.execute(delete(Address).where(Address.municipality_id == municipality_id))
    if rows:
        db.session.execute(insert(Address), [{"municipality_id": municipality_id, **r} for r in rows])


def search_places(dialogue: Dialogue, query: str) -> list[dict]:
    """The dialogue's named places and its municipality's addresses that start with the query."""
    key = search_key(query)[:100]
    if len(key) < 2:
        return []
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    places = db.session.execute(
        select(NamedPlace).where(NamedPlace.area_id == dialogue.area_id, NamedPlace.geom.is_not(None))
        .order_by(NamedPlace.position)
    ).scalars().all()
    found = []
    for place in places:
        if search_key(place.name).startswith(key) or f" {key}" in f" {search_key(place.name)}":
            spot = to_shape(place.geom)
            found.append({"label": place.name, "lat": spot.y, "lng": spot.x, "kind": "place"})
    addresses = db.session.execute(
        select(Address.label, Address.lat, Address.lng)
        .where(Address.municipality_id == dialogue.municipality_id,
               Address.search_key.like(pattern, escape="\\"))
        .order_by(Address.search_key).limit(SEARCH_LIMIT)
    ).all()
    found += [{"label": label, "lat": lat, "lng": lng, "kind": "address"} for label, lat, lng in addresses]
    return found[:SEARCH_LIMIT]


addresses_cli = AppGroup("addresses", help="Street addresses for the residents' map search.")


@addresses_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kommunkod", required=True, help="The municipality's four digits, e.g. 0180.")
@click.option("--crs", default="EPSG:3006", show_default=True,
              help="The CSV coordinates' reference system (a GeoPackage or GML says its own).")
@click.option("--layer", help="The point layer of a GeoPackage or GML file (found by itself if only one).")
@click.option("--street", help="Column with the street name (found by itself if usual).")
@click.option("--number", help="Column with the house number.")
@click.option("--locality", help="Column with the locality (postort).")
@click.option("--east", help="Column with the easting.")
@click.option("--north", help="Column with the northing.")
@click.option("--lat", help="Column with the latitude (WGS84).")
@click.option("--lng", help="Column with the longitude (WGS84).")
def import_command(path: Path, kommunkod: str, crs: str, layer: str | None, **columns) -> None:
    """Replace a municipality's addresses with those in a CSV, GeoPackage or GML file."""
    from ..cli import _municipality

    municipality = _municipality(kommunkod)
    raw = path.read_bytes()
    if raw.startswith(b"SQLite format 3\x00") or path.suffix.lower() in (".gpkg", ".gml", ".geojson",
                                                                          ".json", ".shp", ".zip"):
        rows, skipped = read_address_layer(path, layer=layer, columns=columns)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")  # older municipal exports
        rows, skipped = read_addresses(text, crs=crs, columns=columns)
    if not rows:  # never replace a municipality's addresses with nothing
        raise click.ClickException("Inga adresser gick att använda, så inget är ändrat"
                                   + (f" ({skipped})." if skipped.count else "."))
    replace_addresses(municipality.id, rows)
    db.session.commit()
    lines = "rad" if skipped.count == 1 else "rader"
    click.echo(f"{len(rows)} adresser sparade för {municipality.name}; {skipped.count} {lines} hoppades över"
               + (f" ({skipped})." if skipped.count else "."))
