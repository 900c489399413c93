"""The privacy notice of one dialogue, written from its settings so nobody writes one by hand.

Who is responsible, what is stored and what is not, how long, moderation, photos, and who can see
what: each sentence follows from a column of the dialogue or its municipality, or from a rule
that holds for every dialogue (no IP addresses, small groups hidden outside the working group).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template

from ..models import Dialogue
from ..records.retention import due_on
from ..surveys import definition_from_frozen
from .routes import bp, public_dialogue_or_404, survey_context

IMY_URL = "https://www.imy.se/privatperson/utova-dina-rattigheter/klagomal-till-imy/"


@dataclass(frozen=True)
class NoticeFacts:
    """What the notice says, as facts taken from the dialogue (the template words them)."""

    municipality: str
    contact: str | None
    stores_demographics: bool
    photos: bool
    moderation: str
    public_comments: bool
    retention_months: int | None
    retention_decision: str | None
    deleted_from: date | None
    diarienummer: str | None
    min_cell_count: int
    network_reads_raw: bool


def notice_facts(dialogue: Dialogue) -> NoticeFacts:
    """The facts of the dialogue's privacy notice."""
    definition = definition_from_frozen(dialogue.survey_version.definition)
    demographics = any(q.demographic for page in definition.pages for q in page.questions)
    return NoticeFacts(
        municipality=dialogue.municipality.name,
        contact=dialogue.municipality.privacy_contact,
        stores_demographics=demographics,
        photos=dialogue.photos_allowed,
        moderation=dialogue.moderation,
        public_comments=dialogue.show_others_pins,
        retention_months=dialogue.retention_months,
        retention_decision=dialogue.retention_decision,
        deleted_from=due_on(dialogue),
        diarienummer=dialogue.diarienummer,
        min_cell_count=current_app.config["MIN_CELL_COUNT"],
        network_reads_raw=dialogue.municipality.grants_network_raw_access,
    )


@bp.route("/d/<slug>/personuppgifter")
def privacy_notice(slug: str):
    """How the dialogue handles what residents send: the notice for this dialogue's settings."""
    dialogue = public_dialogue_or_404(slug)
    context = survey_context(dialogue)
    return render_template("resident/privacy_notice.html", dialogue=dialogue,
                           facts=notice_facts(dialogue), imy_url=IMY_URL, **context)
