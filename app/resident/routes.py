"""Resident pages: open dialogues, a landing page, the questionnaire, its plain form, the thanks page."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask import Response as HttpResponse
from flask_babel import get_locale
from flask_babel import gettext as _
from geoalchemy2.shape import to_shape
from shapely import from_geojson
from sqlalchemy import select

from ..areas import area_geojson
from ..basemap import service as basemaps
from ..domain import SENTIMENT_LABELS, VALUE_COLOURS, VALUE_LABELS
from ..export.mapimage import value_map_png
from ..extensions import db, limiter
from ..i18n import content_language
from ..maps import area_map, embed
from ..models import Dialogue, NamedPlace, Pin
from ..planner.queue import replies_for
from ..spatial import valid_lat_lng
from ..surveys import SurveyDefinition, definition_from_frozen
from .plain import (
    MAP_WIDTHS,
    PlainForm,
    apply_problems,
    change_slots,
    clicked_place,
    map_size,
    new_form,
    read_form,
    take_photos,
)
from .publication import visibility_promise, visibility_receipt
from .strings import survey_strings
from .submission import SubmissionRefused, submit_response
from .writing import survey_definition

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


@bp.route("/favicon.ico")
def favicon():
    """The site's icon (browsers ask for it on every page, and often drop the answer half-read).

    Answered from memory, not from an open file: a browser that drops the connection leaves no
    file handle for the server to close.
    """
    response = HttpResponse(_icon(current_app.static_folder), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.add_etag()
    return response.make_conditional(request)


@lru_cache(maxsize=1)
def _icon(static_folder: str) -> bytes:
    return (Path(static_folder) / "favicon.ico").read_bytes()


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


def map_config(q, text, *, photos_allowed: bool) -> dict:
    """What the page needs to know about a map question (also for the survey editor's preview)."""
    return {
        "id": q.id, "values": list(q.values), "sentiments": list(q.sentiments),
        "min": q.min_pins, "max": q.max_pins, "photo": q.photo and photos_allowed,
        "maxLength": min(q.comment_max_length or 2000, 2000),
        "categories": [{"id": c.id, "label": text(c.label)} for c in q.categories],
        "categoryRequired": q.category_required,
        "prompts": {v: text(p) for v, p in (q.prompts or {}).items()},
        "shape": q.shape, "maxLengthM": (q.max_length_km or 0) * 1000 or None,
        "minAreaM2": q.min_area_m2, "maxAreaM2": q.max_area_m2,
    }


def area_outline(area_id: int):
    """The area's outline as a Shapely geometry (WGS84)."""
    return from_geojson(area_geojson(area_id))


def named_places(area_id: int) -> list[NamedPlace]:
    """The area's named places, in the planners' order."""
    return db.session.execute(
        select(NamedPlace).where(NamedPlace.area_id == area_id).order_by(
            NamedPlace.position, NamedPlace.name)
    ).scalars().all()


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
        "visibility_promise": visibility_promise(dialogue),
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
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"), height="45vh",
                 basemap=basemaps.for_dialogue(dialogue))
    others = []
    if dialogue.show_others_pins:
        others = db.session.execute(
            select(Pin).where(Pin.dialogue_id == dialogue.id, Pin.moderation_state == "published")
            .order_by(Pin.created_at.desc()).limit(LANDING_LIST_LIMIT)
        ).scalars().all()
    # The municipality's public answers, shown under each comment while the dialogue runs.
    answers = replies_for([p.id for p in others], published_only=True)
    labels = {"values": {k: str(v) for k, v in VALUE_LABELS.items()},
              "sentiments": {k: str(v) for k, v in SENTIMENT_LABELS.items()}}
    return render_template("resident/landing.html", dialogue=dialogue, map=embed(m),
                           others=others, answers=answers, others_labels=labels, **context)


@bp.route("/d/<slug>/svara")
def questionnaire(slug: str):
    """The questionnaire: the survey's pages, map questions with several pins, review and send."""
    dialogue = public_dialogue_or_404(slug)
    if not dialogue.accepts_responses:
        return redirect(url_for("resident.dialogue", slug=slug))
    context = survey_context(dialogue)
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"), height="55vh",
                 basemap=basemaps.for_dialogue(dialogue))
    places = named_places(dialogue.area_id)
    return render_template("resident/questionnaire.html", dialogue=dialogue, map=embed(m),
                           places=places, area=json.loads(area_geojson(dialogue.area_id)),
                           strings=survey_strings(), **context)


@bp.route("/d/<slug>/tack")
def thanks(slug: str):
    """The thank-you page with the resident's receipt code and what happens next."""
    dialogue = public_dialogue_or_404(slug)
    context = survey_context(dialogue)
    receipt = session.get("receipt")
    return render_template("resident/thanks.html", dialogue=dialogue, receipt=receipt,
                           visibility_receipt=visibility_receipt(dialogue, receipt), **context)


def render_plain_form(dialogue: Dialogue, form: PlainForm, status: int = 200):
    """The whole survey as a plain form, for a browser without JavaScript."""
    context = survey_context(dialogue)
    places = named_places(dialogue.area_id)
    definition, t = context["definition"], context["t"]

    def condition_of(q) -> str:
        """When a question with show_if applies, in words (without JavaScript it is always shown)."""
        earlier = definition.question(q.show_if.question)
        answers = [f"“{t(o.label)}”" for o in earlier.options if o.id in q.show_if.any_of]
        if "other" in q.show_if.any_of:
            answers.append(f"“{_('Other')}”")
        return _("Answer this only if you answered %(answers)s to “%(question)s”.",
                 answers=_(" or ").join(answers), question=t(earlier.text))

    return render_template(
        "resident/plain.html", dialogue=dialogue, form=form, places=places, plain=True,
        condition_of=condition_of,
        map_url=lambda **args: url_for("resident.plain_map", slug=dialogue.slug, **args),
        map_sizes={size: map_size(area_outline(dialogue.area_id), size) for size in MAP_WIDTHS},
        **context,
    ), status


@bp.route("/d/<slug>/enkel")
def plain_form(slug: str):
    """The questionnaire as a plain form: the way in without JavaScript."""
    dialogue = public_dialogue_or_404(slug)
    return render_plain_form(dialogue, new_form(survey_definition(dialogue)))


@bp.route("/d/<slug>/enkel", methods=["POST"])
@limiter.limit("30 per minute; 300 per hour")
def plain_form_post(slug: str):
    """Place, add or remove a comment and show the form again; or send it all, checked and stored once."""
    dialogue = public_dialogue_or_404(slug)
    definition = survey_definition(dialogue)
    form = read_form(definition, request.form)
    allowed = {q.id for q in definition.map_questions() if q.photo and dialogue.photos_allowed}
    take_photos(form, request.files, dialogue.id, allowed)
    action = request.form.get("action", "")
    if clicked_place(form, dialogue.area_id, lambda: area_outline(dialogue.area_id)) or action.startswith(
            ("add:", "remove:")):
        if action.startswith(("add:", "remove:")):
            change_slots(form, definition, action)
        db.session.commit()  # a photo chosen in this post is kept until the form is sent
        return render_plain_form(dialogue, form)
    if action != "send":
        db.session.commit()
        return render_plain_form(dialogue, form)
    try:
        stored = submit_response(dialogue, form.payload(definition), language=content_language(),
                                 definition=definition)
    except SubmissionRefused as refused:
        db.session.commit()
        apply_problems(form, refused.problems)
        return render_plain_form(dialogue, form, refused.status if refused.status != 400 else 422)
    db.session.commit()
    session["receipt"] = stored.receipt_code
    return redirect(url_for("resident.thanks", slug=slug))


@bp.route("/d/<slug>/karta-<size>.png")
def plain_map(slug: str, size: str):
    """The area drawn on the server, with named places and the comment's marker (if ?at=lat,lng)."""
    dialogue = public_dialogue_or_404(slug)
    if size not in MAP_WIDTHS:
        abort(404)
    outline = area_outline(dialogue.area_id)
    width, height = map_size(outline, size)
    markers = []
    at = (request.args.get("at") or "").split(",")
    if len(at) == 2 and (spot := valid_lat_lng(*at)) is not None:
        markers.append((*spot, VALUE_COLOURS.get(request.args.get("value", ""), "#1a1a1a")))
    places = [(to_shape(p.geom).y, to_shape(p.geom).x, p.name)
              for p in named_places(dialogue.area_id) if p.geom is not None]
    png = value_map_png(outline, [], "safety", "#1a1a1a", basemap=basemaps.for_dialogue(dialogue),
                        width=width, height=height, markers=markers, places=places)
    response = HttpResponse(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
