"""The network of municipalities: profiles, shared survey templates, evaluation and lessons."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import PHASES, ROLES, sql_in
from ..extensions import db
from .types import UTCDateTime, utcnow


class MunicipalityProfile(db.Model):
    """The organisation behind a municipality's participation: council decision and chosen area."""

    __tablename__ = "municipality_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), unique=True
    )
    council_decision_on: Mapped[date | None]
    council_decision_reference: Mapped[str] = mapped_column(String(120), default="")
    chosen_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("development_area.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    municipality = relationship("Municipality")
    chosen_area = relationship("DevelopmentArea")


class NetworkMember(db.Model):
    """A person in a municipality's steering group, project leadership or working group."""

    __tablename__ = "network_member"
    __table_args__ = (
        CheckConstraint(sql_in("role", ROLES), name="role_known"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120), default="")  # e.g. "planarkitekt"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    user = relationship("User")


class SharedTemplate(db.Model):
    """A survey definition the coordinator published to the network, frozen with a version label."""

    __tablename__ = "shared_template"
    __table_args__ = (UniqueConstraint("survey_key", "version_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(100), index=True)
    version_label: Mapped[str] = mapped_column(String(40))
    change_notes: Mapped[str] = mapped_column(Text, default="")
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT")
    )
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey_version = relationship("SurveyVersion")
    adoptions = relationship("TemplateAdoption", back_populates="template")


class TemplateAdoption(db.Model):
    """A municipality's copy of a shared template, with the (possibly adapted) version it uses."""

    __tablename__ = "template_adoption"
    __table_args__ = (UniqueConstraint("municipality_id", "template_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int] = mapped_column(ForeignKey("shared_template.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT")
    )
    adopted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality = relationship("Municipality")
    template = relationship("SharedTemplate", back_populates="adoptions")
    survey_version = relationship("SurveyVersion")


class EvaluationRound(db.Model):
    """One run of the network's evaluation questionnaire to the municipalities' planners."""

    __tablename__ = "evaluation_round"
    __table_args__ = (CheckConstraint(sql_in("phase", PHASES), name="phase_1_to_4"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[int] = mapped_column(default=4)
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_version.id", ondelete="RESTRICT")
    )
    is_open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey_version = relationship("SurveyVersion")


class EvaluationAnswer(db.Model):
    """One planner's answer set in one evaluation round."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_round.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LessonLearned(db.Model):
    """What a working group learned from a closed dialogue, shared with the network."""

    __tablename__ = "lesson_learned"
    __table_args__ = (
        CheckConstraint(
            "length(worked) > 0 OR length(did_not_work) > 0", name="says_something"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), unique=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(Text, default="")
    channels: Mapped[str] = mapped_column(Text, default="")
    reached: Mapped[str] = mapped_column(Text, default="")
    not_reached: Mapped[str] = mapped_column(Text, default="")
    worked: Mapped[str] = mapped_column(Text, default="")
    did_not_work: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    dialogue = relationship("Dialogue")
    municipality = relationship("Municipality")
