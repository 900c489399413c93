"""Shared survey templates: publish a version to the network, adopt and adapt it, see the diff."""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml
from sqlalchemy import select

from ..dialogues import freeze_survey
from ..extensions import db
from ..models import SharedTemplate, SurveyVersion, TemplateAdoption
from ..surveys import SurveyDefinition, SurveyError, definition_from_frozen, load_definition
from ..surveys.yamlsource import YamlSyntaxError, parse_yaml

SURVEYS_DIR = Path(__file__).resolve().parents[2] / "surveys"


class SharingError(Exception):
    """A template that cannot be published or adopted; the message is for the user."""


def survey_files() -> list[str]:
    """The survey definition files the coordinator can publish from."""
    return sorted(p.name for p in SURVEYS_DIR.glob("*.yaml"))


def definition_from_text(text: str) -> SurveyDefinition:
    """A checked definition from YAML text; SharingError listing the problems if it is broken."""
    try:
        source = parse_yaml(text)
        if not isinstance(source.data, dict):
            raise SharingError("Texten är ingen enkätdefinition (YAML-mappning saknas).")
        return definition_from_frozen(source.data)
    except YamlSyntaxError as err:
        raise SharingError(f"Ogiltig YAML: {err.message}") from err
    except SurveyError as err:
        raise SharingError("; ".join(p.message for p in err.problems)) from err


def as_yaml(definition: dict) -> str:
    """A frozen definition as readable YAML, the same way every time (for editing and diffs)."""
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


def publish_template(definition: SurveyDefinition, version_label: str, change_notes: str, *,
                     user=None, source_name: str | None = None) -> SharedTemplate:
    """Freeze the definition and publish it to the network under a version label (flushed)."""
    label = version_label.strip()
    taken = db.session.execute(select(SharedTemplate).where(
        SharedTemplate.survey_key == definition.id, SharedTemplate.version_label == label
    )).scalar_one_or_none()
    if taken is not None:
        raise SharingError(f"Version {label} av {definition.id} är redan publicerad.")
    version = freeze_survey(definition, source_name=source_name)
    template = SharedTemplate(
        survey_key=definition.id, version_label=label, change_notes=change_notes.strip(),
        survey_version=version, published_by_id=getattr(user, "id", None),
    )
    db.session.add(template)
    db.session.flush()
    return template


def publish_file(name: str, version_label: str, change_notes: str, *, user=None) -> SharedTemplate:
    """Publish a file from surveys/ as a template version."""
    if name not in survey_files():
        raise SharingError(f"Enkäten {name} finns inte.")
    try:
        definition = load_definition(SURVEYS_DIR / name)
    except SurveyError as err:
        raise SharingError("; ".join(p.message for p in err.problems)) from err
    return publish_template(definition, version_label, change_notes, user=user, source_name=name)


def adopt_template(template: SharedTemplate, municipality_id: int, definition: SurveyDefinition,
                   *, user=None) -> TemplateAdoption:
    """Record that a municipality uses the template, with its adapted definition (flushed)."""
    if definition.id != template.survey_key:
        raise SharingError(
            f"Enkätens id ska vara {template.survey_key}, så att nätverket ser vilken mall den "
            "bygger på."
        )
    version = freeze_survey(definition, source_name=f"{template.survey_key} {template.version_label}")
    adoption = db.session.execute(select(TemplateAdoption).where(
        TemplateAdoption.municipality_id == municipality_id,
        TemplateAdoption.template_id == template.id,
    )).scalar_one_or_none()
    if adoption is None:
        adoption = TemplateAdoption(municipality_id=municipality_id, template=template)
        db.session.add(adoption)
    adoption.survey_version = version
    adoption.adopted_by_id = getattr(user, "id", None)
    db.session.flush()
    return adoption


def adoption_diff(adoption: TemplateAdoption) -> list[str]:
    """The lines a municipality changed in the template (unified diff of the canonical YAML)."""
    original: SurveyVersion = adoption.template.survey_version
    adapted: SurveyVersion = adoption.survey_version
    return list(difflib.unified_diff(
        as_yaml(original.definition).splitlines(), as_yaml(adapted.definition).splitlines(),
        fromfile=f"{adoption.template.survey_key} {adoption.template.version_label}",
        tofile=adoption.municipality.name, lineterm="", n=2,
    ))


def changed(adoption: TemplateAdoption) -> bool:
    """Whether the municipality adapted the template."""
    return adoption.survey_version_id != adoption.template.survey_version_id
