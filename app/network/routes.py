"""Network pages for planners: the overview, municipality profiles and (by grant) raw comments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..access import can, declares, municipality_or_404, visible_municipality_ids
from ..disclosure import min_count
from ..domain import (
    DIALOGUE_STATUSES,
    PHASES,
    ROLE_LABELS,
    SENTIMENT_LABELS,
    SENTIMENTS,
    STATUS_LABELS,
    VALUE_LABELS,
    VALUES,
)
from ..extensions import db
from ..maps import embed
from ..models import DevelopmentArea, Dialogue, MunicipalityProfile, NetworkMember, Pin, User
from . import stats
from .forms import MemberForm, ProfileForm
from .maps import area_outlines, sweden_map

bp = Blueprint("network", __name__, url_prefix="/natverket")

PUBLIC_STATUSES = ("open", "closed")


@bp.before_request
@login_required
def require_login():
    """Every network page for planners needs a login."""


def _filter_arg(name: str, allowed) -> int | str | None:
    raw = request.args.get(name, "")
    for option in allowed:
        if raw == str(option):
            return option
    return None


def listed(dialogues: list[Dialogue]) -> list[Dialogue]:
    """The dialogues the user may see by name: all for the coordinator, else own and public ones."""
    ids = visible_municipality_ids(current_user)
    if ids is None:
        return dialogues
    return [d for d in dialogues if d.municipality_id in ids or d.status in PUBLIC_STATUSES]


@bp.route("/oversikt")
def overview():
    """Every municipality, its areas and dialogues, participation in aggregate and comparisons."""
    phase = _filter_arg("fas", PHASES)
    status = _filter_arg("status", DIALOGUE_STATUSES)
    k = min_count()
    dialogues = stats.network_dialogues(phase, status)
    per_dialogue = stats.dialogue_figures([d.id for d in dialogues])
    rows, total = stats.municipality_rows(dialogues, per_dialogue)
    shown_dialogues = listed(dialogues)
    area_ids = {d.area_id for d in shown_dialogues}
    if current_user.is_network_coordinator:
        area_ids |= set(db.session.execute(select(DevelopmentArea.id)).scalars())
    areas = {a.id: a for a in db.session.execute(
        select(DevelopmentArea).where(DevelopmentArea.id.in_(area_ids))).scalars()}
    outlines = area_outlines(area_ids)
    m = sweden_map(
        [(outlines[i], f"{areas[i].municipality.name}: {areas[i].name}") for i in sorted(outlines)],
        [],
    )
    shown_total, shown_rows, shown_per_dialogue = stats.shown_network(
        total, rows, dialogues, per_dialogue, k, listed={d.id for d in shown_dialogues})
    return render_template(
        "network/overview.html", map=embed(m), k=k, phase=phase, status=status,
        dialogues=[(d, shown_per_dialogue[d.id]) for d in shown_dialogues],
        comparison=stats.comparison_rows(rows, k, shown_rows), total=shown_total,
        values=VALUES, sentiments=SENTIMENTS, value_labels=VALUE_LABELS,
        sentiment_labels=SENTIMENT_LABELS, status_labels=STATUS_LABELS, phases=PHASES,
        statuses=DIALOGUE_STATUSES,
    )


def _profile(municipality_id: int) -> MunicipalityProfile:
    profile = db.session.execute(
        select(MunicipalityProfile).where(MunicipalityProfile.municipality_id == municipality_id)
    ).scalar_one_or_none()
    return profile or MunicipalityProfile(municipality_id=municipality_id)


def _members(municipality_id: int) -> list[NetworkMember]:
    return list(db.session.execute(
        select(NetworkMember).where(NetworkMember.municipality_id == municipality_id)
        .order_by(NetworkMember.role, NetworkMember.name)).scalars())


def _area_choices(municipality_id: int) -> list[SelectChoice]:
    areas = db.session.execute(select(DevelopmentArea).where(
        DevelopmentArea.municipality_id == municipality_id).order_by(DevelopmentArea.name)).scalars()
    return [SelectChoice(0, _("No area chosen"))] + [SelectChoice(a.id, a.name) for a in areas]


@bp.route("/kommuner/<int:municipality_id>", methods=["GET", "POST"])
@declares("view", POST="edit_profile")
def profile(municipality_id: int):
    """A municipality's organisation: council decision, groups and people, and the chosen area."""
    municipality = municipality_or_404(municipality_id, "view")
    may_edit = can(current_user, "edit_profile", municipality)
    record = _profile(municipality.id)
    form = ProfileForm(obj=None if request.method == "POST" else record)
    form.chosen_area_id.choices = _area_choices(municipality.id)
    if request.method == "GET":
        form.chosen_area_id.data = record.chosen_area_id or 0
    if request.method == "POST":
        if not may_edit:
            abort(403)
        if form.validate_on_submit():
            form.populate_obj(record)
            record.chosen_area_id = form.chosen_area_id.data or None
            record.council_decision_reference = form.council_decision_reference.data or ""
            db.session.add(record)
            db.session.commit()
            flash(_("The profile is saved."))
            return redirect(url_for(".profile", municipality_id=municipality.id))
    return render_template(
        "network/profile.html", municipality=municipality, profile=record, form=form,
        member_form=MemberForm(), members=_members(municipality.id), may_edit=may_edit,
        role_labels=ROLE_LABELS, may_read_raw=can(current_user, "read_raw", municipality),
    )


@bp.route("/kommuner/<int:municipality_id>/personer", methods=["POST"])
@declares("edit_profile")
def add_member(municipality_id: int):
    """Add a person to the steering group, project leadership or working group."""
    municipality = municipality_or_404(municipality_id, "edit_profile")
    form = MemberForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for(".profile", municipality_id=municipality.id))
    user_id = None
    if form.email.data:
        user = db.session.execute(
            select(User).where(User.email == form.email.data.strip().lower())
        ).scalar_one_or_none()
        if user is None or user.role_in(municipality.id) is None:
            flash(_("No account in this municipality has that e-mail address."), "error")
            return redirect(url_for(".profile", municipality_id=municipality.id))
        user_id = user.id
    db.session.add(NetworkMember(
        municipality_id=municipality.id, name=form.name.data.strip(), role=form.role.data,
        title=(form.title.data or "").strip(), user_id=user_id,
    ))
    db.session.commit()
    flash(_("The person is added."))
    return redirect(url_for(".profile", municipality_id=municipality.id))


@bp.route("/kommuner/<int:municipality_id>/personer/<int:member_id>/ta-bort", methods=["POST"])
@declares("edit_profile")
def remove_member(municipality_id: int, member_id: int):
    """Remove a person from the municipality's groups."""
    municipality = municipality_or_404(municipality_id, "edit_profile")
    member = db.session.get(NetworkMember, member_id)
    if member is None or member.municipality_id != municipality.id:
        abort(404)
    db.session.delete(member)
    db.session.commit()
    flash(_("The person is removed."))
    return redirect(url_for(".profile", municipality_id=municipality.id))


@bp.route("/kommuner/<int:municipality_id>/kommentarer")
@declares("read_raw")
def comments(municipality_id: int):
    """A municipality's raw comments: for its own planners, and the coordinator only by grant."""
    municipality = municipality_or_404(municipality_id, "read_raw")
    pins = db.session.execute(
        select(Pin).join(Dialogue).where(
            Dialogue.municipality_id == municipality.id, Pin.moderation_state != "hidden"
        ).order_by(Pin.created_at.desc()).limit(500)
    ).scalars().all()
    return render_template(
        "network/comments.html", municipality=municipality, pins=pins,
        value_labels=VALUE_LABELS, sentiment_labels=SENTIMENT_LABELS,
    )
