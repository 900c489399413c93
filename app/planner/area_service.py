"""Writing areas from a drawing or a file, and named places inside them (services flush only)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from ..extensions import db
from ..geodata.importer import AreaImportError, ImportedArea, area_from_geojson, read_area
from ..models import DevelopmentArea, Dialogue, NamedPlace
from ..spatial import WGS84, as_multipolygon, ewkt, point, valid_lat_lng


class AreaFormError(ValueError):
    """A drawing, file or place that cannot be stored; the message is in the user's language."""


def _lang() -> str:
    return str(get_locale() or "sv")


def imported_from_form(geojson: str | None, upload: FileStorage | None, *, where: str | None,
                       dissolve: bool, repair: bool) -> tuple[ImportedArea, str] | None:
    """The checked area from an uploaded file or a drawing, with its source; None if neither."""
    try:
        if upload is not None and upload.filename:
            return _from_upload(upload, where=where, dissolve=dissolve, repair=repair)
        if geojson and geojson.strip():
            return area_from_geojson(geojson, repair=repair), "drawn"
    except AreaImportError as err:
        raise AreaFormError(err.message(_lang())) from err
    return None


def _from_upload(upload: FileStorage, *, where: str | None, dissolve: bool,
                 repair: bool) -> tuple[ImportedArea, str]:
    name = secure_filename(upload.filename or "") or "area.geojson"
    conditions = None
    if where:
        key, sep, value = where.partition("=")
        if not sep or not key.strip():
            raise AreaFormError(str(_l("Write the attribute filter as ATTRIBUTE=VALUE.")))
        conditions = {key.strip(): value.strip()}
    with tempfile.TemporaryDirectory(prefix="platsdialog-area-") as directory:
        path = Path(directory) / name
        upload.save(path)
        imported = read_area(path, where=conditions, dissolve=dissolve, repair=repair)
    return imported, name


def area_in_use(area: DevelopmentArea) -> bool:
    """Whether a dialogue beyond draft uses the area (its outline then must not change)."""
    return db.session.execute(
        select(Dialogue.id).where(Dialogue.area_id == area.id, Dialogue.status != "draft").limit(1)
    ).first() is not None


def replace_geometry(area: DevelopmentArea, imported: ImportedArea, source: str) -> None:
    """Give the area a new outline, unless residents have already seen the old one."""
    if area_in_use(area):
        raise AreaFormError(str(_l(
            "The outline cannot change: a dialogue that residents have seen uses this area.")))
    outside = [p.name for p in area.named_places if p.geom is not None
               and not imported.geometry.contains(to_shape(p.geom))]
    if outside:
        raise AreaFormError(str(_l("These named places would be outside the new outline: "
                                   "%(names)s. Move or remove them first.",
                                   names=", ".join(outside))))
    multipolygon = as_multipolygon(imported.geometry)
    area.geom = from_shape(multipolygon, srid=WGS84)
    area.area_km2 = imported.area_km2
    area.source = source
    db.session.flush()


def add_place(area: DevelopmentArea, name: str, lat: object, lng: object) -> NamedPlace:
    """A named place inside the area, last in the list; refused outside the outline."""
    name = name.strip()
    coordinates = valid_lat_lng(str(lat).replace(",", "."), str(lng).replace(",", "."))
    if coordinates is None or not _contains(area, *coordinates):
        raise AreaFormError(str(_l("The place is outside the area. Choose a point inside the outline.")))
    if any(p.name.casefold() == name.casefold() for p in area.named_places):
        raise AreaFormError(str(_l("The area already has a place with that name.")))
    position = max((p.position for p in area.named_places), default=-1) + 1
    place = NamedPlace(area=area, name=name, position=position,
                       geom=from_shape(point(*coordinates), srid=WGS84))
    db.session.add(place)
    db.session.flush()
    return place


def _contains(area: DevelopmentArea, lat: float, lng: float) -> bool:
    return bool(db.session.execute(
        select(func.ST_Contains(DevelopmentArea.geom,
                                func.ST_GeomFromEWKT(ewkt(point(lat, lng)))))
        .where(DevelopmentArea.id == area.id)
    ).scalar_one())


def move_place(area: DevelopmentArea, place: NamedPlace, step: int) -> None:
    """Move a place one step up (-1) or down (+1) in the list residents choose from."""
    places = list(area.named_places)
    index = places.index(place)
    target = index + step
    if 0 <= target < len(places):
        places[index], places[target] = places[target], places[index]
    for position, item in enumerate(places):
        item.position = position
    db.session.flush()
