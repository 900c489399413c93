"""Site administration: create municipalities, invite their first project leader, reset links."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import site_admin_required
from ..auth import invites
from ..domain import ROLE_LABELS
from ..extensions import db
from ..models import Membership, Municipality, User
from ..models.audit import record
from .forms import ConfirmForm, LeaderInviteForm, MunicipalityForm
from .users import link_url

bp = Blueprint("site_admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in site administrator."""


def _page(form: MunicipalityForm | None = None, link=None, status: int = 200):
    municipalities = db.session.execute(select(Municipality).order_by(Municipality.name)).scalars().all()
    users = db.session.execute(
        select(User).options(selectinload(User.memberships).selectinload(Membership.municipality))
        .order_by(User.email)
    ).scalars().all()
    html = render_template(
        "admin/site.html", form=form or MunicipalityForm(), municipalities=municipalities, users=users,
        leader_form=LeaderInviteForm(), confirm_form=ConfirmForm(), link=link, role_labels=ROLE_LABELS,
    )
    return html, status, {"Cache-Control": "no-store"}


def _shown(link, purpose: str) -> dict:
    return {"url": link_url(link.token), "email": link.invite.email, "purpose": purpose,
            "expires_at": link.invite.expires_at}


@bp.route("/", methods=["GET", "POST"])
@site_admin_required
def index():
    """All municipalities and accounts, and the form that adds a municipality."""
    form = MunicipalityForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.is_submitted() else 200)
    taken = db.session.execute(
        select(Municipality).where(Municipality.kommunkod == form.kommunkod.data)
    ).scalar_one_or_none()
    if taken is not None:
        form.kommunkod.errors.append(_("%(name)s already has the municipality code %(code)s.",
                                       name=taken.name, code=taken.kommunkod))
        return _page(form, status=400)
    municipality = Municipality(name=form.name.data.strip(), kommunkod=form.kommunkod.data,
                                population=form.population.data)
    db.session.add(municipality)
    db.session.flush()
    record("municipality.create", user=current_user, municipality_id=municipality.id, obj=municipality)
    link = None
    if form.leader_email.data:
        link = _shown(invites.create_invite(form.leader_email.data, "project_leader", municipality,
                                            current_user), "invite")
    db.session.commit()
    return _page(link=link)


@bp.route("/kommuner/<int:municipality_id>/inbjudan", methods=["POST"])
@site_admin_required
def invite_leader(municipality_id: int):
    """Invite a project leader to a municipality and show the link once."""
    municipality = db.get_or_404(Municipality, municipality_id)
    form = LeaderInviteForm()
    if not form.validate_on_submit():
        flash(_("Write a whole e-mail address, e.g. anna@kommun.se."), "error")
        return _page(status=400)
    try:
        link = invites.create_invite(form.email.data, "project_leader", municipality, current_user)
    except invites.LinkRefused as refused:
        flash(str(refused.message), "error")
        return _page(status=400)
    db.session.commit()
    return _page(link=_shown(link, "invite"))


@bp.route("/anvandare/<int:user_id>/aterstallningslank", methods=["POST"])
@site_admin_required
def reset_link(user_id: int):
    """Create a password reset link for any account and show it once."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    link = invites.create_reset(user, current_user)
    db.session.commit()
    return _page(link=_shown(link, "reset"))
