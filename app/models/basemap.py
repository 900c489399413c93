"""A base map: the tiles under every map of a municipality's dialogues, served from our origin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..domain import sql_in
from ..extensions import db
from .types import UTCDateTime, utcnow

# pmtiles, mbtiles, gpkg: a tile file the app reads itself; xyz, wmts, wms: an upstream we proxy and cache.
BASEMAP_KINDS = ("pmtiles", "mbtiles", "gpkg", "xyz", "wmts", "wms")


class BaseMap(db.Model):
    __tablename__ = "base_map"
    __table_args__ = (
        CheckConstraint(sql_in("kind", BASEMAP_KINDS), name="kind_known"),
        CheckConstraint("min_zoom >= 0 AND max_zoom >= min_zoom AND max_zoom <= 24", name="zooms_ordered"),
        CheckConstraint("west < east AND south < north", name="bounds_ordered"),
        CheckConstraint("name <> ''", name="name_not_empty"),
        CheckConstraint("crs = 3857 OR crs BETWEEN 3006 AND 3018", name="crs_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: a site-wide base map, offered to every municipality.
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8))
    # A file name inside BASEMAP_DIR for files; the upstream URL template for xyz and wmts.
    # An upstream URL may carry an API key: it never leaves the server.
    source: Mapped[str] = mapped_column(Text)
    image_format: Mapped[str] = mapped_column(String(10), default="png")
    # The CRS the browser map runs in: 3857 (Web Mercator z/x/y), or SWEREF 99 (3006, 3007-3018)
    # for a WMTS whose tile matrix set is in it.
    crs: Mapped[int] = mapped_column(default=3857)
    # A WMTS tile matrix set as read from GetCapabilities: [{"id", "resolution", "origin": [x, y],
    # "width", "height", "tile": 256}, ...] by zoom index; None for an XYZ grid.
    tile_matrix: Mapped[list | None] = mapped_column(JSON)
    min_zoom: Mapped[int]
    max_zoom: Mapped[int]
    # WGS84 bounds of the tiles.
    west: Mapped[float]
    south: Mapped[float]
    east: Mapped[float]
    north: Mapped[float]
    attribution: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(String(200), default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in WGS84."""
        return self.west, self.south, self.east, self.north

    def __repr__(self) -> str:
        return f"<BaseMap {self.id} {self.kind} {self.name}>"
