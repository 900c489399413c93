"""Publishing dialogues: a survey definition frozen with its hash, tied to one area."""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import DevelopmentArea, Dialogue, SurveyGroupQuestion, SurveyVersion


def freeze_survey(definition, *, source_name: str | None = None) -> SurveyVersion:
    """The stored version of a validated definition, with its group questions; the same content is
    stored once."""
    content_hash = definition.content_hash()
    version = db.session.execute(
        select(SurveyVersion).where(SurveyVersion.content_hash == content_hash)
    ).scalar_one_or_none()
    if version is None:
        version = SurveyVersion(
            survey_key=definition.id,
            content_hash=content_hash,
            definition=definition.frozen(),
            source_name=source_name,
        )
        db.session.add(version)
        db.session.flush()
        db.session.add_all(SurveyGroupQuestion(survey_version_id=version.id, question_id=q.id)
                           for q in definition.group_questions())
        db.session.flush()
    return version


def create_dialogue(area: DevelopmentArea, version: SurveyVersion, **fields) -> Dialogue:
    """A new dialogue of the area's municipality (flushed; the caller commits)."""
    dialogue = Dialogue(
        municipality_id=area.municipality_id, area=area, survey_version=version, **fields
    )
    db.session.add(dialogue)
    db.session.flush()
    return dialogue
