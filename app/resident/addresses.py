"""Addresses for the residents' "where am I" search: imported per municipality, searched on our server.

`platsdialog addresses import FILE --kommunkod 0180` reads a CSV such as Lantmäteriet's open
Belägenhetsadress or a municipal list: the columns are named on the command line (or found among
the usual names), the coordinates are in the file's CRS (SWEREF 99 TM by default) and stored in
WGS84. An import replaces the municipality's addresses in one transaction.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
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


@dataclass
class ImportResult:
    stored: int
    skipped: int


def _column(header: list[str], asked: str | None, usual: tuple[str, ...]) -> str | None:
    names = {h.strip().casefold(): h for h in header}
    if asked:
        if asked.casefold() not in names:
            raise click.ClickException(f"Kolumnen '{asked}' finns inte i filen ({', '.join(header)}).")
        return names[asked.casefold()]
    return next((names[u] for u in usual if u in names), None)


def read_addresses(text: str, *, crs: str = "EPSG:3006", columns: dict[str, str | None] | None = None
                   ) -> tuple[list[dict], int]:
    """(rows with label, search_key, lat, lng; the number of unusable lines) from CSV text."""
    columns = columns or {}
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = reader.fieldnames or []
    street = _column(header, columns.get("street"), STREET)
    if street is None:
        raise click.ClickException("Hittar ingen kolumn med gatunamn; ange den med --street.")
    number, letter = _column(header, columns.get("number"), NUMBER), _column(header, None, LETTER)
    locality = _column(header, columns.get("locality"), LOCALITY)
    lat_col, lng_col = _column(header, columns.get("lat"), LAT), _column(header, columns.get("lng"), LNG)
    east, north = _column(header, columns.get("east"), EAST), _column(header, columns.get("north"), NORTH)
    if not ((lat_col and lng_col) or (east and north)):
        raise click.ClickException(
            "Hittar inga koordinater; ange --east och --north (eller --lat och --lng).")
    to_wgs84 = None if lat_col and lng_col else transformer(crs, WGS84)
    rows, skipped, seen = [], 0, set()
    min_lng, min_lat, max_lng, max_lat = SWEDEN_BOUNDS
    for line in reader:
        try:
            if to_wgs84 is None:
                lat, lng = float(line[lat_col].replace(",", ".")), float(line[lng_col].replace(",", "."))
            else:
                lng, lat = to_wgs84.transform(float(line[east].replace(",", ".")),
                                              float(line[north].replace(",", ".")))
        except (TypeError, ValueError, AttributeError):
            skipped += 1
            continue
        name = " ".join((line.get(street) or "").split())
        house = "".join(part.strip() for part in (line.get(number) or "", line.get(letter) or "") if part)
        place = " ".join((line.get(locality) or "").split()) if locality else ""
        label = (f"{name} {house}".strip() + (f", {place}" if place else ""))[:200]
        if not name or not (min_lat <= lat <= max_lat and min_lng <= lng <= max_lng) or label in seen:
            skipped += 1
            continue
        seen.add(label)
        rows.append({"label": label, "search_key": search_key(label), "lat": lat, "lng": lng})
    return rows, skipped


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
@click.option("--crs", default="EPSG:3006", show_default=True, help="The coordinates' reference system.")
@click.option("--street", help="Column with the street name (found by itself if usual).")
@click.option("--number", help="Column with the house number.")
@click.option("--locality", help="Column with the locality (postort).")
@click.option("--east", help="Column with the easting.")
@click.option("--north", help="Column with the northing.")
@click.option("--lat", help="Column with the latitude (WGS84).")
@click.option("--lng", help="Column with the longitude (WGS84).")
def import_command(path: Path, kommunkod: str, crs: str, **columns) -> None:
    """Replace a municipality's addresses with those in a CSV file."""
    from ..cli import _municipality

    municipality = _municipality(kommunkod)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # older municipal exports
    rows, skipped = read_addresses(text, crs=crs, columns=columns)
    replace_addresses(municipality.id, rows)
    db.session.commit()
    click.echo(f"{len(rows)} adresser sparade för {municipality.name}; {skipped} rader hoppades över.")
