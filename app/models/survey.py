"""Survey versions: frozen definitions that dialogues publish, and drafts edited in the browser."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class SurveyGroupQuestion(db.Model):
    """A demographic choice question of a survey version, written with the version.

    The tallies of pins per answer (app/models/tally.py) count only these questions' answers: the
    database triggers find them here, as they cannot read the frozen definition.
    """

    __tablename__ = "survey_group_question"

    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(100), primary_key=True)


class ResponseOption(db.Model):
    """An option a response chose in a group question, kept by triggers on `answer` (migration
    c7d3a5e1f824): how a demographic-group filter finds its respondents by index."""

    __tablename__ = "response_option"
    # Covering for reading a respondent's options (stats._grouped_pins); the cascades use it too.
    __table_args__ = (Index("ix_response_option_response", "response_id", "question_id", "option_id"),)

    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"),
                                             primary_key=True)
    question_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    option_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"),
                                             primary_key=True)


class SurveyDraft(db.Model):
    """A municipality's survey being written in the browser editor; its revisions are YAML."""

    __tablename__ = "survey_draft"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    survey_key: Mapped[str] = mapped_column(String(100))  # the latest revision's own id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality = relationship("Municipality")
    revisions = relationship("SurveyDraftRevision", back_populates="draft",
                             order_by="SurveyDraftRevision.number", cascade="all, delete-orphan")


class SurveyDraftRevision(db.Model):
    """One saved version of a draft: the YAML text exactly as saved or uploaded (the source)."""

    __tablename__ = "survey_draft_revision"
    __table_args__ = (
        UniqueConstraint("draft_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("length(yaml_text) > 0", name="yaml_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("survey_draft.id", ondelete="CASCADE"),
                                          index=True)
    number: Mapped[int]
    yaml_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # of the checked definition
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft = relationship("SurveyDraft", back_populates="revisions")
    created_by = relationship("User")
