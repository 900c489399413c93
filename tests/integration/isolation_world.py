"""Two municipalities full of planner data, and the fillers that put their objects into URLs.

Used by the isolation matrix: every URL variable of every planner route must have a filler here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.auth.invites import create_invite
from app.extensions import db
from app.jobs.service import result_path
from app.models import (
    ApiToken,
    AuditEvent,
    ExportJob,
    Feedback,
    Membership,
    NamedPlace,
    NetworkMember,
    Photo,
    SharedTemplate,
    SurveyVersion,
    TemplateAdoption,
    Theme,
    ThemeSuggestion,
    User,
)
from app.models.types import utcnow
from app.network.evaluation import start_round
from app.planner.survey_drafts import create_draft
from app.surveys.form import starter_survey, to_yaml

from .sessions import PASSWORD

# URL variable -> the object of the target municipality that fills it. A route with a variable
# not named here makes the matrix fail: add the filler (an id or key of that municipality's object).
FILLERS = {
    "municipality_id": lambda w: w.municipality.id,
    "kommunkod": lambda w: w.municipality.kommunkod,
    "area_id": lambda w: w.area.id,
    "named_place_id": lambda w: w.named_place.id,
    "place_id": lambda w: w.named_place.id,
    "dialogue_id": lambda w: w.dialogue.id,
    "slug": lambda w: w.dialogue.slug,
    "pin_id": lambda w: w.pin.id,
    "response_id": lambda w: w.pin.response_id,
    "photo_id": lambda w: w.photo.id,
    "theme_id": lambda w: w.theme.id,
    "feedback_id": lambda w: w.feedback.id,
    "user_id": lambda w: w.member.id,
    "membership_id": lambda w: w.member.memberships[0].id,
    "invite_id": lambda w: w.invite.id,
    "token": lambda w: w.invite_token,
    "api_token_id": lambda w: w.api_token.id,
    "token_id": lambda w: w.api_token.id,
    "event_id": lambda w: w.audit_event.id,
    "audit_event_id": lambda w: w.audit_event.id,
    "member_id": lambda w: w.network_member.id,
    "adoption_id": lambda w: w.adoption.id,
    "suggestion_id": lambda w: w.suggestion.id,
    "draft_id": lambda w: w.survey_draft.id,
    "job_id": lambda w: w.export_job.id,
}
# Variables that name an object of the whole network, of no municipality: a route with only these
# is judged like a page without objects (it must show no other municipality's secret), never by 404.
NETWORK_FILLERS = {
    # The coordinator publishes templates to every municipality; any working group may copy one.
    "template_id": lambda w: w.template.id,
    # The network's evaluation rounds go to the planners of every municipality (issue 9).
    "round_id": lambda w: w.evaluation_round.id,
}
# Variables that name no municipality's object: the same for every target.
CONSTANTS = {"value": "safety", "sentiment": "negative", "lang": "sv", "phase": 2, "status": "open",
             "format": "csv", "fmt": "csv", "kind": "svg", "paper": "a4"}


@dataclass
class World:
    """One municipality's planner data and its people."""

    municipality: object
    area: object
    named_place: object
    dialogue: object
    pin: object
    photo: object
    theme: object
    feedback: object
    project_leader: object
    working_group: object
    steering_group: object
    member: object
    invite: object
    invite_token: str
    api_token: object
    audit_event: object
    network_member: object
    template: object
    adoption: object
    evaluation_round: object
    export_job: object
    secrets: tuple[str, ...]
    suggestion: object = None
    survey_draft: object = None


@cache
def _password_hash() -> str:
    """One scrypt hash of the test password, computed once: hashing is slow on purpose."""
    return generate_password_hash(PASSWORD, method="scrypt")


def person(municipality, role: str, email: str, name: str) -> User:
    """A user with the test password and a role in the municipality."""
    user = User(email=email.lower(), display_name=name, password_hash=_password_hash())
    user.memberships.append(Membership(municipality=municipality, role=role))
    db.session.add(user)
    db.session.flush()
    return user


def build_world(make, label: str) -> World:
    """A municipality with an area, a dialogue, a pin with a photo, a theme, feedback and users."""
    municipality = make.municipality(name=f"Kommun {label}")
    area = make.area(municipality, name=f"Område {label}")
    place = NamedPlace(area_id=area.id, name=f"Torget {label}")
    db.session.add(place)
    version = db.session.execute(select(SurveyVersion)).scalars().first() or make.survey_version()
    # A draft that hides others' pins: its title is the municipality's own, and the pin's text is a
    # raw comment on every page (the network lists open dialogues; the pins API serves public pins).
    dialogue = make.dialogue(area, version=version, title=f"Hemlig dialog {label}", status="draft",
                             show_others_pins=False)
    photo = Photo(data=b"\xff\xd8\xff", width=1, height=1)
    db.session.add(photo)
    db.session.flush()
    pin = make.pin(dialogue, text=f"Hemlig kommentar {label}", photo_id=photo.id)
    theme = Theme(dialogue_id=dialogue.id, name=f"Belysning {label}")
    theme.pins.append(pin)
    db.session.add(theme)
    db.session.flush()
    feedback = Feedback(dialogue_id=dialogue.id, theme_id=theme.id, text=f"Vi byter lampor {label}")
    db.session.add(feedback)
    people = {
        role: person(municipality, role, f"{role}.{label}@example.se", f"{role} {label}")
        for role in ("project_leader", "working_group", "steering_group")
    }
    member = person(municipality, "working_group", f"medlem.{label}@example.se", f"Medlem {label}")
    link = create_invite(f"ny.{label}@example.se", "working_group", municipality,
                         people["project_leader"])
    api_token = ApiToken(municipality_id=municipality.id, name=f"QGIS {label}",
                         token_hash=hashlib.sha256(label.encode()).hexdigest())
    event = AuditEvent(municipality_id=municipality.id, action="test.event", detail={})
    network_member = NetworkMember(municipality_id=municipality.id, name=f"Styrgruppsledamot {label}",
                                   role="steering_group")
    template = SharedTemplate(survey_key=version.survey_key, version_label=f"mall-{label}",
                              survey_version_id=version.id)
    adoption = TemplateAdoption(municipality=municipality, template=template,
                                survey_version_id=version.id)
    evaluation_round = start_round(f"Utvärdering {label}", 4)
    suggestion = ThemeSuggestion(dialogue_id=dialogue.id, value="safety", sentiment="negative",
                                 label=f"Förslag {label}", keywords=["lampa"], pin_ids=[pin.id])
    # A finished export with its file: a permitted download of it is logged as an export.
    export_job = ExportJob(id=f"job{label}".ljust(32, "0")[:32], dialogue_id=dialogue.id,
                           user_id=people["project_leader"].id, via="ui", format="csv",
                           options={"crs": 3006, "include_hidden": False, "photos": False, "quotes": True},
                           mimetype="text/csv", rows_total=1, state="done", filename=f"{label}.csv",
                           size_bytes=12, expires_at=utcnow() + timedelta(hours=1))
    result_path(export_job.id).write_text("pin_id\r\n1\r\n")
    db.session.add_all([api_token, event, network_member, template, adoption, evaluation_round,
                        export_job, suggestion])
    survey_draft = create_draft(municipality.id, f"Enkät {label}", to_yaml(starter_survey(
        "enkat-" + re.sub("[^a-z0-9]+", "-", label.lower()).strip("-"), f"Hemlig enkät {label}")))
    db.session.commit()
    return World(
        municipality, area, place, dialogue, pin, photo, theme, feedback,
        people["project_leader"], people["working_group"], people["steering_group"], member,
        link.invite, link.token, api_token, event, network_member, template, adoption,
        evaluation_round, export_job,
        secrets=(dialogue.title, pin.text, member.email, link.invite.email, theme.name,
                 network_member.name),
        suggestion=suggestion,
        survey_draft=survey_draft,
    )


def fill(rule, world: World) -> dict | None:
    """URL values for the rule from the world's objects; None if a variable has no filler."""
    values = {}
    for name in rule.arguments:
        if name in FILLERS:
            values[name] = FILLERS[name](world)
        elif name in NETWORK_FILLERS:
            values[name] = NETWORK_FILLERS[name](world)
        elif name in CONSTANTS:
            values[name] = CONSTANTS[name]
        else:
            return None
    return values


def names_objects(rule) -> bool:
    """Whether the rule's URL names an object of some municipality (not only constants)."""
    return any(name in FILLERS for name in rule.arguments)
