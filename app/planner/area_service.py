"""Writing areas from a drawing or a file, and named places inside them (services flush only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..geodata.importer import (
    AreaImportError,
    ImportedArea,
    area_from_geojson,
    feature_labels,
    read_area,
)
from ..models import DevelopmentArea, Dialogue, NamedPlace
from ..spatial import WGS84, as_multipolygon, ewkt, point, valid_lat_lng
from . import area_uploads


class AreaFormError(ValueError):
    """A drawing, file or place that cannot be stored; the message is in the user's language.

    For an upload, `token` names the kept file (so the user need not upload it again) and
    `features` lists the file's features to choose from, when a choice is needed.
    """

    def __init__(self, message: str, *, token: str | None = None,
                 features: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.token = token
        self.features = features or []


@dataclass
class FormArea:
    """The checked area of a form, where it came from, and the kept upload's token if any."""

    imported: ImportedArea
    source: str
    token: str | None = None


def _lang() -> str:
    return str(get_locale() or "sv")


def web_message(err: AreaImportError) -> str:
    """The importer's refusal in the words of the web form (lists and tick boxes, not flags)."""
    # The importer speaks to the command line (--where, --repair); a web user gets web terms.
    p = err.params
    if err.code in ("several_features", "several_matches"):
        return str(_l("The file holds %(count)s features. Choose the one that is the area from the "
                      "list “Feature in the file”, or tick “Merge all features of the file into "
                      "one area”.", count=p.get("count")))
    if err.code == "invalid_geometry":
        reason = p.get("reason_en" if _lang().startswith("en") else "reason_sv")
        where = p.get("where_en" if _lang().startswith("en") else "where_sv")
        return str(_l("The geometry is invalid: %(reason)s%(where)s. Fix it in a GIS program, or "
                      "tick “Repair an invalid geometry automatically” and preview again.",
                      reason=reason, where=where))
    if err.code == "too_large_area":
        return str(_l("The area is %(km2)s km²; the largest allowed is 5,000 km². Choose a smaller "
                      "part of the file from the list.",
                      km2=format_decimal(p.get("area_km2", 0), format="#,##0")))
    if err.code in ("several_layers", "zip_several"):
        return str(_l("The file holds several layers or files (%(names)s). Upload a file with only "
                      "the one that is the area.",
                      names=", ".join(p.get("layers") or p.get("names") or [])))
    return err.message(_lang())


def area_from_form(geojson: str | None, upload: FileStorage | None, *, user_id: int,
                   token: str | None, feature: str | None, dissolve: bool, repair: bool,
                   kommunkod: str | None) -> FormArea | None:
    """The checked area from an upload (new or kept) or a drawing; None if the form has neither."""
    if upload is not None and upload.filename:
        token, path = area_uploads.keep(upload, user_id)
    elif token:
        path = area_uploads.kept(user_id, token)
        if path is None:
            raise AreaFormError(str(_l("The uploaded file is no longer here. Upload it again.")))
    elif geojson and geojson.strip():
        try:
            return FormArea(area_from_geojson(geojson, repair=repair, kommunkod=kommunkod), "drawn")
        except AreaImportError as err:
            raise AreaFormError(web_message(err)) from err
    else:
        return None
    where = None
    if feature:
        key, sep, value = feature.partition("=")
        if not sep or not key.strip():
            raise AreaFormError(str(_l("Choose a feature from the list.")), token=token)
        where = {key.strip(): value}
    try:
        imported = read_area(path, where=where, dissolve=dissolve, repair=repair,
                             kommunkod=kommunkod)
    except AreaImportError as err:
        features = []
        if err.code in ("several_features", "several_matches", "too_large_area", "no_match"):
            features = _feature_choices(path)
        raise AreaFormError(web_message(err), token=token, features=features) from err
    return FormArea(imported, path.name, token)


def _feature_choices(path: Path) -> list[tuple[str, str]]:
    try:
        field, labels = feature_labels(path)
    except AreaImportError:
        return []
    if field is None:
        return []
    return [(f"{field}={label}", label) for label in sorted(set(labels), key=str.casefold)]


def forget_upload(user_id: int, token: str | None) -> None:
    """Remove a kept upload once its area is saved."""
    if token:
        area_uploads.discard(user_id, token)


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
