"""A municipality's reference population per area: counts by age band, sex and more, imported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

# The dimensions a population table may have; each is a column of PopulationCount.
POPULATION_DIMENSIONS = ("age", "sex", "birth_country", "tenure")


class PopulationTable(db.Model):
    """One imported file: a cross-table of inhabitants per area (DeSO or the municipality's own)."""

    __tablename__ = "population_table"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # Marked so that nobody mistakes the demo's invented numbers for statistics.
    is_example: Mapped[bool] = mapped_column(default=False)
    dimensions: Mapped[list] = mapped_column(JSON, default=list)
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    counts = relationship("PopulationCount", cascade="all, delete-orphan", passive_deletes=True)


class PopulationCount(db.Model):
    """Inhabitants of one area in one cell of the cross-table (a dimension not in the file is NULL)."""

    __tablename__ = "population_count"
    __table_args__ = (
        CheckConstraint("inhabitants >= 0", name="inhabitants_not_negative"),
        Index("ix_population_count_table_area", "table_id", "area_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("population_table.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(String(40))
    area_name: Mapped[str | None] = mapped_column(String(200))
    age: Mapped[str | None] = mapped_column(String(40))
    sex: Mapped[str | None] = mapped_column(String(40))
    birth_country: Mapped[str | None] = mapped_column(String(80))
    tenure: Mapped[str | None] = mapped_column(String(80))
    inhabitants: Mapped[int]
