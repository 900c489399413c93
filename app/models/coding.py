"""The working group's coding of comments into themes, and its feedback to residents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import SENTIMENTS, VALUES, sql_in
from ..extensions import db
from .types import UTCDateTime, utcnow

pin_theme = Table(
    "pin_theme",
    db.metadata,
    Column("pin_id", ForeignKey("pin.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(db.Model):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("dialogue_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))

    pins = relationship("Pin", secondary=pin_theme, back_populates="themes")


class Feedback(db.Model):
    """Återkoppling: what the working group tells residents, per theme, per pin or overall."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("theme_id IS NULL OR pin_id IS NULL", name="one_target"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    pin_id: Mapped[int | None] = mapped_column(ForeignKey("pin.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    theme = relationship("Theme")
    pin = relationship("Pin")


SUGGESTION_STATES = ("open", "accepted", "rejected")


class ThemeSuggestion(db.Model):
    """A theme found in the comments' words, for the working group to accept, merge or reject.

    Accepted and rejected suggestions are kept, so that a new run does not offer them again.
    """

    __tablename__ = "theme_suggestion"
    __table_args__ = (
        CheckConstraint(sql_in("status", SUGGESTION_STATES), name="status_known"),
        CheckConstraint(sql_in("value", VALUES), name="value_known"),
        CheckConstraint("sentiment IS NULL OR " + sql_in("sentiment", SENTIMENTS),
                        name="sentiment_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str | None] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(120))
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    # The comments the suggestion covers, strongest first (the first few are its examples).
    pin_ids: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    theme = relationship("Theme")
