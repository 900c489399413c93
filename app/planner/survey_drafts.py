"""Survey drafts: saving a checked YAML revision, the diff of an upload, publishing the latest.

Services flush, the routes commit (one commit per request). Every text goes through the same
check as `survey check` (surveys.check_text), so what the editor saves can be published.
"""

from __future__ import annotations

import difflib

from sqlalchemy import func, select

from ..dialogues import freeze_survey
from ..extensions import db
from ..models import SurveyDraft, SurveyDraftRevision, SurveyVersion
from ..models.types import utcnow
from ..surveys import Problem, SurveyDefinition, SurveyError, definition_from_text


def checked(text: str, name: str) -> SurveyDefinition:
    """The definition in YAML text; SurveyError with every problem (file:line) if it has any."""
    return definition_from_text(text, name)


def save_revision(draft: SurveyDraft, text: str, *, user=None, note: str = "") -> SurveyDraftRevision:
    """Check the text and store it as the draft's next revision (flushed)."""
    definition = checked(text, f"{draft.name}.yaml")
    number = (db.session.execute(select(func.max(SurveyDraftRevision.number))
                                 .where(SurveyDraftRevision.draft_id == draft.id)).scalar() or 0) + 1
    revision = SurveyDraftRevision(draft_id=draft.id, number=number, yaml_text=text,
                                   content_hash=definition.content_hash(), note=note[:300],
                                   created_by_id=getattr(user, "id", None))
    draft.survey_key = definition.id
    draft.updated_at = utcnow()
    db.session.add(revision)
    db.session.flush()
    return revision


def create_draft(municipality_id: int, name: str, text: str, *, user=None,
                 note: str = "") -> SurveyDraft:
    """A new draft of the municipality with the text as its first revision (flushed)."""
    definition = checked(text, f"{name}.yaml")
    draft = SurveyDraft(municipality_id=municipality_id, name=name.strip(),
                        survey_key=definition.id)
    db.session.add(draft)
    db.session.flush()
    save_revision(draft, text, user=user, note=note)
    return draft


def latest_revision(draft: SurveyDraft) -> SurveyDraftRevision:
    """The draft's newest revision (every draft has at least one)."""
    return db.session.execute(
        select(SurveyDraftRevision).where(SurveyDraftRevision.draft_id == draft.id)
        .order_by(SurveyDraftRevision.number.desc()).limit(1)
    ).scalar_one()


def revision(draft: SurveyDraft, number: int) -> SurveyDraftRevision | None:
    """One revision of the draft by its number, or None."""
    return db.session.execute(select(SurveyDraftRevision).where(
        SurveyDraftRevision.draft_id == draft.id, SurveyDraftRevision.number == number)
    ).scalar_one_or_none()


def text_diff(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    """The unified diff between two YAML texts, line by line."""
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_name,
                                     tofile=new_name, lineterm="", n=2))


def freeze_draft(draft: SurveyDraft) -> SurveyVersion:
    """Freeze the draft's latest revision for a dialogue (the same content is stored once)."""
    latest = latest_revision(draft)
    definition = checked(latest.yaml_text, f"{draft.name}.yaml")
    return freeze_survey(definition, source_name=f"{draft.name} (version {latest.number})")


def unix_lines(text: str) -> str:
    """The text with \n line ends (a browser sends a form's text back with \r\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_upload(raw: bytes, name: str) -> str:
    """An uploaded file as text with \n line ends; SurveyError when it is not UTF-8."""
    try:
        return unix_lines(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise SurveyError([Problem(name, None, "Filen är inte sparad som UTF-8.")]) from err
