"""A dialogue: one survey version published for one development area."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import DIALOGUE_STATUSES, MODERATION_MODES, PHASES, sql_in, today_in_sweden
from ..extensions import db
from .types import UTCDateTime, utcnow


class Dialogue(db.Model):
    __tablename__ = "dialogue"
    __table_args__ = (
        CheckConstraint(sql_in("status", DIALOGUE_STATUSES), name="status_known"),
        CheckConstraint(sql_in("phase", PHASES), name="phase_1_to_4"),
        CheckConstraint(sql_in("moderation", MODERATION_MODES), name="moderation_known"),
        CheckConstraint(
            "closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on", name="dates_ordered"
        ),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
        CheckConstraint("retention_months IS NULL OR retention_months > 0", name="retention_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("development_area.id", ondelete="RESTRICT"))
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT")
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    phase: Mapped[int] = mapped_column(default=2)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["sv"])
    show_others_pins: Mapped[bool] = mapped_column(default=True)
    moderation: Mapped[str] = mapped_column(String(4), default="post")
    photos_allowed: Mapped[bool] = mapped_column(default=True)
    # What the working group tells residents after the dialogue (återkoppling), shown when closed.
    outcome_summary: Mapped[str] = mapped_column(Text, default="")
    # Public records: the case number in the municipality's registry, and the retention decision
    # (gallringsbeslut): comments are deleted this many months after closing; None keeps them.
    diarienummer: Mapped[str | None] = mapped_column(String(40))
    retention_months: Mapped[int | None]
    retention_decision: Mapped[str | None] = mapped_column(String(300))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The planner's choice from the municipality's base maps; NULL means the default one.
    basemap_id: Mapped[int | None] = mapped_column(ForeignKey("base_map.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reference population the respondents are compared with, and which of its areas
    # cover the development area (None: all of them).
    population_table_id: Mapped[int | None] = mapped_column(
        ForeignKey("population_table.id", ondelete="SET NULL")
    )
    population_areas: Mapped[list | None] = mapped_column(JSON)

    municipality = relationship("Municipality", back_populates="dialogues")
    area = relationship("DevelopmentArea")
    survey_version = relationship("SurveyVersion")
    population_table = relationship("PopulationTable")

    @property
    def effective_status(self) -> str:
        """The status as residents and planners should see it today: an open dialogue past its
        end date is closed, even before the cron command (`platsdialog dialogues close-expired`)
        has recorded it. Computed, never written on a read."""
        if (self.status == "open" and self.closes_on
                and today_in_sweden() > self.closes_on):
            return "closed"
        return self.status

    @property
    def days_left(self) -> int | None:
        """Whole days residents may still answer (0 on the last day), or None without an end."""
        if self.effective_status != "open" or not self.closes_on:
            return None
        return (self.closes_on - today_in_sweden()).days

    @classmethod
    def currently_open(cls, today: date | None = None):
        """SQL: open and not past the end date (the effective status 'open')."""
        today = today or today_in_sweden()
        return and_(cls.status == "open", or_(cls.closes_on.is_(None), cls.closes_on >= today))

    @property
    def accepts_responses(self) -> bool:
        """Whether residents may submit now."""
        if self.status != "open":
            return False
        today = today_in_sweden()
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)
