"""Resident pages: open dialogues, a dialogue's landing page, the questionnaire and the thanks page."""

from __future__ import annotations

import json

from flask import Blueprint, abort, g, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..domain import SENTIMENT_LABELS, VALUE_COLOURS, VALUE_LABELS
from ..extensions import db, limiter
from ..i18n import content_language
from ..maps import area_map, embed
from ..models import DevelopmentArea, Dialogue, NamedPlace, Pin
from ..surveys import SurveyDefinition, definition_from_frozen
from .forms import PinForm
from .service import PinInput, SubmissionError, submit_pin
from .strings import survey_strings

bp = Blueprint("resident", __name__)

PUBLIC_STATUSES = ("open", "closed")
LANDING_LIST_LIMIT = 50  # others' newest comments, as a list beside the map (no mouse needed)
# Each language named in itself, so a resident recognises their own.
LANGUAGE_NAMES = {
    "sv": "Svenska", "en": "English", "sv-lattlast": "Lättläst svenska", "ar": "العربية",
    "so": "Soomaali", "fi": "Suomi", "fa": "فارسی", "ti": "ትግርኛ", "tr": "Türkçe",
    "pl": "Polski", "uk": "Українська", "bs": "Bosanski", "ku": "Kurdî", "es": "Español",
    "de": "Deutsch", "fr": "Français", "ru": "Русский", "smi": "Sámegiella", "yi": "ייִדיש",
}


@bp.route("/")
def index():
    """Open and recently closed dialogues, for a resident who arrives without a link."""
    dialogues = (
        db.session.execute(
            select(Dialogue)
            .where(Dialogue.status.in_(PUBLIC_STATUSES))
            .order_by(Dialogue.status.desc(), Dialogue.opens_on.desc())
        )
        .scalars()
        .all()
    )
    return render_template("resident/index.html", dialogues=dialogues)


def public_dialogue_or_404(slug: str) -> Dialogue:
    """A dialogue residents may see (open or closed), by its slug."""
    dialogue = db.session.execute(
        select(Dialogue).where(Dialogue.slug == slug, Dialogue.status.in_(PUBLIC_STATUSES))
    ).scalar_one_or_none()
    if dialogue is None:
        abort(404)
    return dialogue


def area_geojson(area_id: int) -> str:
    """The area's outline as GeoJSON text, made by the database."""
    return db.session.execute(
        select(func.ST_AsGeoJSON(DevelopmentArea.geom)).where(DevelopmentArea.id == area_id)
    ).scalar_one()


def map_config(q, text, *, photos_allowed: bool) -> dict:
    """What the page needs to know about a map question (also for the survey editor's preview)."""
    return {
        "id": q.id, "values": list(q.values), "sentiments": list(q.sentiments),
        "min": q.min_pins, "max": q.max_pins, "photo": q.photo and photos_allowed,
        "maxLength": min(q.comment_max_length or 2000, 2000),
        "categories": [{"id": c.id, "label": text(c.label)} for c in q.categories],
        "categoryRequired": q.category_required,
        "prompts": {v: text(p) for v, p in (q.prompts or {}).items()},
    }


def survey_context(dialogue: Dialogue) -> dict:
    """The definition, the resident's language for its texts, and the language switcher."""
    definition: SurveyDefinition = definition_from_frozen(dialogue.survey_version.definition)
    get_locale()  # the locale selector records a ?lang= choice in the session
    lang = content_language()
    if lang not in definition.languages:
        interface = str(get_locale())
        lang = interface if interface in definition.languages else "sv"
    g.page_language = lang
    languages = [(code, LANGUAGE_NAMES.get(code, code)) for code in definition.languages]

    def text(localized) -> str:
        return definition.text(localized, lang)

    return {
        "definition": definition,
        "lang": lang,
        "t": text,
        "map_config": lambda q: map_config(q, text, photos_allowed=dialogue.photos_allowed),
        "survey_languages": languages,
        "value_labels": VALUE_LABELS,
        "value_colours": VALUE_COLOURS,
        "sentiment_labels": SENTIMENT_LABELS,
    }


@bp.route("/d/<slug>")
def dialogue(slug: str):
    """A dialogue's landing page: what and why, the area, the dates, privacy, languages."""
    return render_landing(public_dialogue_or_404(slug))


def render_landing(dialogue: Dialogue):
    """The landing page of a dialogue (also the planners' preview of a draft)."""
    context = survey_context(dialogue)
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"), height="45vh")
    others = []
    if dialogue.show_others_pins:
        others = db.session.execute(
            select(Pin).where(Pin.dialogue_id == dialogue.id, Pin.moderation_state == "published")
            .order_by(Pin.created_at.desc()).limit(LANDING_LIST_LIMIT)
        ).scalars().all()
    return render_template("resident/landing.html", dialogue=dialogue, map=embed(m),
                           others=others, **context)


@bp.route("/d/<slug>/svara")
def questionnaire(slug: str):
    """The questionnaire: the survey's pages, map questions with several pins, review and send."""
    dialogue = public_dialogue_or_404(slug)
    if not dialogue.accepts_responses:
        return redirect(url_for("resident.dialogue", slug=slug))
    context = survey_context(dialogue)
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"), height="55vh")
    places = db.session.execute(
        select(NamedPlace).where(NamedPlace.area_id == dialogue.area_id).order_by(
            NamedPlace.position, NamedPlace.name)
    ).scalars().all()
    return render_template("resident/questionnaire.html", dialogue=dialogue, map=embed(m),
                           places=places, area=json.loads(area_geojson(dialogue.area_id)),
                           strings=survey_strings(), **context)


@bp.route("/d/<slug>/tack")
def thanks(slug: str):
    """The thank-you page with the resident's receipt code and what happens next."""
    dialogue = public_dialogue_or_404(slug)
    context = survey_context(dialogue)
    return render_template("resident/thanks.html", dialogue=dialogue,
                           receipt=session.get("receipt"), **context)


def render_simple_form(dialogue: Dialogue, form: PinForm, errors: dict[str, str] | None = None):
    """The single-comment form, for a browser without JavaScript."""
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"))
    status = 422 if errors or form.errors else 200
    return (
        render_template(
            "resident/dialogue.html", dialogue=dialogue, form=form, errors=errors or {},
            map=embed(m), value_labels=VALUE_LABELS, sentiment_labels=SENTIMENT_LABELS,
        ),
        status,
    )


@bp.route("/d/<slug>/enkel")
def simple_form(slug: str):
    """One comment on the map through a plain form: the way in without JavaScript."""
    return render_simple_form(public_dialogue_or_404(slug), PinForm())


@bp.route("/d/<slug>/pin", methods=["POST"])
@limiter.limit("30 per minute; 300 per hour")
def post_pin(slug: str):
    """Store a pin from the form; refuse it with messages and store nothing if a rule is broken."""
    dialogue = public_dialogue_or_404(slug)
    form = PinForm()
    if not form.validate_on_submit():
        return render_simple_form(dialogue, form)
    if form.website.data:
        abort(400)  # the honeypot was filled in: a bot
    try:
        response = submit_pin(
            dialogue,
            PinInput(lat=form.lat.data, lng=form.lng.data, value=form.value.data,
                     sentiment=form.sentiment.data, text=form.text.data),
            idempotency_key=form.idempotency_key.data,
            language=content_language(),
        )
    except SubmissionError as err:
        return render_simple_form(dialogue, form, err.errors)
    session["receipt"] = response.receipt_code
    return redirect(url_for("resident.thanks", slug=slug))
