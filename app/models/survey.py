"""A frozen survey definition: what a dialogue asks, exactly as it was published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class SurveyVersion(db.Model):
    __tablename__ = "survey_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(100), index=True)  # the definition's own id
    # sha256 of the canonical JSON; the same content is stored once.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict] = mapped_column(JSON)
    source_name: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
