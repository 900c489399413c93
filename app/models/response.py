"""A resident's anonymous response: answers and pins, written in one transaction."""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import LOCATION_KINDS, MODERATION_STATES, SENTIMENTS, SHAPE_KINDS, VALUES, sql_in
from ..extensions import db
from ..spatial import WGS84
from .types import UTCDateTime, utcnow


class Response(db.Model):
    """One resident's visit. No account, no IP address, nothing that identifies the device."""

    __tablename__ = "response"
    __table_args__ = (
        # A retried or double-clicked submission carries the same key and is stored once.
        UniqueConstraint("dialogue_id", "idempotency_key"),
        CheckConstraint("length(idempotency_key) BETWEEN 16 AND 64", name="key_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT")
    )
    idempotency_key: Mapped[str] = mapped_column(String(64))
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    language: Mapped[str] = mapped_column(String(12), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    answers = relationship("Answer", back_populates="response", cascade="all, delete-orphan")
    pins = relationship("Pin", back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[object] = mapped_column(JSON)

    response = relationship("Response", back_populates="answers")


class Photo(db.Model):
    """A re-encoded photo with every piece of metadata (EXIF, GPS) removed."""

    __tablename__ = "photo"
    __table_args__ = (CheckConstraint(sql_in("mime_type", ("image/jpeg",)), name="jpeg_only"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    mime_type: Mapped[str] = mapped_column(String(20), default="image/jpeg")
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pin(db.Model):
    """A comment on one of the three values, placed on the map, at a named place, or in words.

    Most comments are points. A map question may instead ask for a line (a route) or an area:
    then `shape_kind` says which, `shape` holds the drawn geometry, `length_m` / `area_m2` its
    size measured in SWEREF 99 TM, and `geom` / `sweref_e` / `sweref_n` a representative point on
    it (the middle of the line, a point inside the area), so that lists, clusters, popups and
    every point-based query keep working for them. A line or area described in words has its
    shape_kind and no shape.
    """

    __tablename__ = "pin"
    __table_args__ = (
        CheckConstraint(sql_in("value", VALUES), name="value_known"),
        CheckConstraint(sql_in("sentiment", SENTIMENTS), name="sentiment_known"),
        CheckConstraint(sql_in("moderation_state", MODERATION_STATES), name="moderation_known"),
        CheckConstraint(sql_in("location_kind", LOCATION_KINDS), name="location_kind_known"),
        CheckConstraint(
            "(location_kind = 'map' AND sweref_e IS NOT NULL AND sweref_n IS NOT NULL)"
            " OR (location_kind <> 'map' AND sweref_e IS NULL AND sweref_n IS NULL)",
            name="map_pins_have_coordinates",
        ),
        CheckConstraint(
            "location_kind <> 'named_place' OR named_place_id IS NOT NULL", name="named_place_set"
        ),
        CheckConstraint("length(text) BETWEEN 1 AND 2000", name="text_length"),
        CheckConstraint(sql_in("shape_kind", SHAPE_KINDS), name="shape_kind_known"),
        CheckConstraint(
            "shape IS NULL OR (shape_kind <> 'point' AND location_kind = 'map')", name="shape_drawn"
        ),
        CheckConstraint(
            "location_kind <> 'map' OR shape_kind = 'point' OR shape IS NOT NULL",
            name="drawn_on_map_has_shape",
        ),
        Index("ix_pin_dialogue_value", "dialogue_id", "value"),
        Index("ix_pin_dialogue_created", "dialogue_id", "created_at"),
        # The moderation queue's keyset pages: waiting first, then the newest (planner/queue.py).
        Index("ix_pin_dialogue_state_created", "dialogue_id", "moderation_state", "created_at", "id"),
        # Drawn lines and areas, which the grid counts from here (points come from the tallies).
        Index("ix_pin_dialogue_drawn", "dialogue_id", postgresql_where=text("shape_kind <> 'point'"),
              sqlite_where=text("shape_kind <> 'point'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    location_kind: Mapped[str] = mapped_column(String(12), default="map")
    geom: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=WGS84, spatial_index=True)
    )
    # SWEREF 99 TM metres, computed with pyproj on write: grid summaries are a plain GROUP BY
    # on floor(e / size), floor(n / size), the same SQL on both databases.
    sweref_e: Mapped[float | None]
    sweref_n: Mapped[float | None]
    shape_kind: Mapped[str] = mapped_column(String(5), default="point", server_default="point")
    shape: Mapped[WKBElement | None] = mapped_column(
        Geometry("GEOMETRY", srid=WGS84, spatial_index=True)
    )
    length_m: Mapped[float | None]
    area_m2: Mapped[float | None]
    named_place_id: Mapped[int | None] = mapped_column(
        ForeignKey("named_place.id", ondelete="SET NULL")
    )
    place_description: Mapped[str | None] = mapped_column(String(500))
    # Which map question of the survey the pin answers, and its fixed category if it has one.
    question_id: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id", ondelete="SET NULL"))
    moderation_state: Mapped[str] = mapped_column(String(10), default="pending")
    moderation_reason: Mapped[str | None] = mapped_column(String(300))
    # Automatic flags, e.g. ["personnummer", "phone", "offensive"], for the moderation queue.
    flags: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    response = relationship("Response", back_populates="pins")
    dialogue = relationship("Dialogue")
    photo = relationship("Photo")
    named_place = relationship("NamedPlace")
    themes = relationship("Theme", secondary="pin_theme", back_populates="pins")
