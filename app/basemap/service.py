"""Which base map a map shows, and adding one: files are checked, then copied into BASEMAP_DIR.

A dialogue shows the base map its planner chose from the municipality's list, else the
municipality's default, else the site-wide default; with none of them, the outline view.
Services only flush; the caller commits (one commit per request or command).
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from shapely import box, from_geojson
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import BaseMap, DevelopmentArea, Dialogue
from .files import BaseMapError, TileFileInfo, inspect_tile_file

FILE_KINDS = ("pmtiles", "mbtiles", "gpkg")


def basemap_dir() -> Path:
    """Where added tile files are kept (BASEMAP_DIR, default instance/basemaps)."""
    configured = current_app.config.get("BASEMAP_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "basemaps"


def file_path(basemap: BaseMap) -> Path:
    """The tile file of a file base map."""
    return basemap_dir() / basemap.source


def offered_to(municipality_id: int | None) -> list[BaseMap]:
    """The base maps a planner of this municipality may choose: its own, then the site-wide ones."""
    query = select(BaseMap).where(
        or_(BaseMap.municipality_id.is_(None), BaseMap.municipality_id == municipality_id)
    ).order_by(BaseMap.municipality_id.is_(None), BaseMap.name, BaseMap.id)
    return list(db.session.execute(query).scalars())


def default_for(municipality_id: int | None) -> BaseMap | None:
    """The municipality's default base map, else the site-wide default, else None (outline view)."""
    offered = offered_to(municipality_id)
    own = [b for b in offered if b.municipality_id is not None and b.is_default]
    site = [b for b in offered if b.municipality_id is None and b.is_default]
    return (own or site or [None])[0]


def for_dialogue(dialogue: Dialogue) -> BaseMap | None:
    """The base map a dialogue's maps show."""
    if dialogue.basemap_id is not None:
        chosen = db.session.get(BaseMap, dialogue.basemap_id)
        if chosen is not None and chosen.municipality_id in (None, dialogue.municipality_id):
            return chosen
    return default_for(dialogue.municipality_id)


def source_token(source: str) -> str:
    """A short token of a base map's source, in its tile URLs: a reused id never hits an old cache."""
    return hashlib.blake2b(source.encode(), digest_size=6).hexdigest()


def tile_url_template(basemap: BaseMap) -> str:
    """The Leaflet URL template of a base map's tiles on our own origin."""
    url = url_for("basemap.tile", basemap_id=basemap.id, token=source_token(basemap.source), z=1, x=2, y=3)
    return url.replace("/1/2/3", "/{z}/{x}/{y}")


def _areas_outside(municipality_id: int, bounds: tuple[float, float, float, float]) -> list[str]:
    """Names of the municipality's areas that the bounds do not cover."""
    rows = db.session.execute(
        select(DevelopmentArea.name, func.ST_AsGeoJSON(DevelopmentArea.geom))
        .where(DevelopmentArea.municipality_id == municipality_id).order_by(DevelopmentArea.name)
    ).all()
    cover = box(*bounds)
    return [name for name, geojson in rows if not cover.contains(from_geojson(geojson).envelope)]


def add_file_basemap(path: Path, *, municipality_id: int | None, name: str, attribution: str | None = None,
                     licence: str = "", make_default: bool = False) -> BaseMap:
    """Check a tile file, copy it into BASEMAP_DIR and add it; BaseMapError (nothing kept) if unfit."""
    name = name.strip()
    if not name:
        raise BaseMapError(_l("Give the base map a name."))
    if not path.is_file():
        raise BaseMapError(_l("There is no file at %(path)s.", path=str(path)))
    info: TileFileInfo = inspect_tile_file(path)
    if municipality_id is not None:
        outside = _areas_outside(municipality_id, info.bounds)
        if outside:
            raise BaseMapError(ngettext("The file's tiles do not cover the municipality's area %(names)s.",
                                        "The file's tiles do not cover the municipality's areas %(names)s.",
                                        len(outside), names=", ".join(outside)))
    attribution = (attribution if attribution is not None else info.attribution).strip()
    if not attribution:
        raise BaseMapError(_l("Say whose map it is: give --attribution (the map shows it)."))
    target = basemap_dir() / f"{uuid.uuid4().hex}.{info.kind}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    try:
        basemap = BaseMap(
            municipality_id=municipality_id, name=name, kind=info.kind, source=target.name,
            image_format=info.image_format, min_zoom=info.min_zoom, max_zoom=info.max_zoom,
            west=info.bounds[0], south=info.bounds[1], east=info.bounds[2], north=info.bounds[3],
            attribution=attribution, licence=licence.strip(), is_default=False,
        )
        db.session.add(basemap)
        db.session.flush()
        if make_default or default_in_scope(municipality_id) is None:
            set_default(basemap)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return basemap


def default_in_scope(municipality_id: int | None) -> BaseMap | None:
    """The default among exactly this scope's base maps (a municipality's own, or the site-wide)."""
    scope = (BaseMap.municipality_id.is_(None) if municipality_id is None
             else BaseMap.municipality_id == municipality_id)
    return db.session.execute(
        select(BaseMap).where(scope, BaseMap.is_default.is_(True)).limit(1)).scalar_one_or_none()


def set_default(basemap: BaseMap) -> None:
    """Make this the default of its scope, and no other."""
    current = default_in_scope(basemap.municipality_id)
    if current is not None and current.id != basemap.id:
        current.is_default = False
    basemap.is_default = True
    db.session.flush()


def remove_file(basemap: BaseMap) -> None:
    """Delete a file base map's file (after its row is gone)."""
    if basemap.kind in FILE_KINDS:
        file_path(basemap).unlink(missing_ok=True)
