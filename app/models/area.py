"""A development area (utvecklingsområde) and the named places inside it."""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..spatial import WGS84
from .types import UTCDateTime, utcnow


class DevelopmentArea(db.Model):
    __tablename__ = "development_area"
    __table_args__ = (CheckConstraint("area_km2 > 0", name="area_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=WGS84, spatial_index=True)
    )
    # Measured in SWEREF 99 TM when the geometry is written; kept beside it for listings.
    area_km2: Mapped[float]
    source: Mapped[str | None] = mapped_column(String(300))  # file name or "drawn"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality = relationship("Municipality", back_populates="areas")
    named_places = relationship(
        "NamedPlace",
        back_populates="area",
        cascade="all, delete-orphan",
        order_by="NamedPlace.position",
    )


class NamedPlace(db.Model):
    """A place a resident can pick from a list instead of the map, e.g. "Husby centrum"."""

    __tablename__ = "named_place"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("development_area.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    geom: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=WGS84, spatial_index=False)
    )

    area = relationship("DevelopmentArea", back_populates="named_places")
