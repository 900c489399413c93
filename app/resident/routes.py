"""Resident pages: the list of open dialogues, a dialogue's map page and its pin form."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, session, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..domain import SENTIMENT_LABELS, VALUE_LABELS
from ..extensions import db, limiter
from ..i18n import content_language
from ..maps import area_map, embed
from ..models import DevelopmentArea, Dialogue
from .forms import PinForm
from .service import PinInput, SubmissionError, submit_pin

bp = Blueprint("resident", __name__)

PUBLIC_STATUSES = ("open", "closed")


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


def render_dialogue(dialogue: Dialogue, form: PinForm, errors: dict[str, str] | None = None):
    """The dialogue page with its map and pin form."""
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"))
    status = 422 if errors or form.errors else 200
    return (
        render_template(
            "resident/dialogue.html",
            dialogue=dialogue,
            form=form,
            errors=errors or {},
            map=embed(m),
            value_labels=VALUE_LABELS,
            sentiment_labels=SENTIMENT_LABELS,
        ),
        status,
    )


@bp.route("/d/<slug>")
def dialogue(slug: str):
    """A dialogue's page: what it is about, the area, and the pin form."""
    return render_dialogue(public_dialogue_or_404(slug), PinForm())


@bp.route("/d/<slug>/pin", methods=["POST"])
@limiter.limit("30 per minute; 300 per hour")
def post_pin(slug: str):
    """Store a pin from the form; refuse it with messages and store nothing if a rule is broken."""
    dialogue = public_dialogue_or_404(slug)
    form = PinForm()
    if not form.validate_on_submit():
        return render_dialogue(dialogue, form)
    if form.website.data:
        abort(400)  # the honeypot was filled in: a bot
    try:
        response = submit_pin(
            dialogue,
            PinInput(
                lat=form.lat.data,
                lng=form.lng.data,
                value=form.value.data,
                sentiment=form.sentiment.data,
                text=form.text.data,
            ),
            idempotency_key=form.idempotency_key.data,
            language=content_language(),
        )
    except SubmissionError as err:
        return render_dialogue(dialogue, form, err.errors)
    session["receipt"] = response.receipt_code
    return redirect(url_for("resident.thanks", slug=slug))


@bp.route("/d/<slug>/tack")
def thanks(slug: str):
    """The thank-you page with the resident's receipt code."""
    dialogue = public_dialogue_or_404(slug)
    return render_template("resident/thanks.html", dialogue=dialogue, receipt=session.get("receipt"))
