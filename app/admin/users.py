"""A project leader's page for the municipality's users: roles, removals, invitations, reset links."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..access import (
    can,
    in_municipality_or_404,
    may_reset_password,
    member_or_404,
    require,
    visible_municipality_ids,
)
from ..auth import invites
from ..domain import ROLE_LABELS
from ..extensions import db
from ..models import Invite, Membership, Municipality, User
from ..models.audit import record
from ..models.types import utcnow
from .forms import ConfirmForm, InviteForm, RoleForm

bp = Blueprint("users", __name__, url_prefix="/planering/kommuner")


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in planner."""


@bp.route("/")
def municipalities():
    """The municipalities whose users the planner manages; straight to the page if just one."""
    ids = visible_municipality_ids(current_user)
    query = select(Municipality).order_by(Municipality.name)
    if ids is not None:
        query = query.where(Municipality.id.in_(ids))
    managed = [m for m in db.session.execute(query).scalars() if can(current_user, "manage_users", m)]
    if len(managed) == 1:
        return redirect(url_for("users.index", municipality_id=managed[0].id))
    return render_template("admin/municipalities.html", municipalities=managed)


def _page(municipality: Municipality, invite_form: InviteForm | None = None, link=None, status=200):
    """The user management page, with the link just created shown this once."""
    memberships = db.session.execute(
        select(Membership).join(User).where(Membership.municipality_id == municipality.id)
        .order_by(func.lower(User.display_name))
    ).scalars().all()
    pending = db.session.execute(
        select(Invite).where(Invite.municipality_id == municipality.id, Invite.purpose == "invite",
                             Invite.used_at.is_(None), Invite.expires_at > utcnow())
        .order_by(Invite.created_at.desc())
    ).scalars().all()
    html = render_template(
        "admin/users.html", municipality=municipality, memberships=memberships, pending=pending,
        invite_form=invite_form or InviteForm(), confirm_form=ConfirmForm(),
        role_labels=ROLE_LABELS, link=link,
        may_reset={m.user_id: may_reset_password(current_user, m.user) for m in memberships},
    )
    return html, status, {"Cache-Control": "no-store"}


def link_url(token: str) -> str:
    """The full address of a one-time link."""
    return url_for("auth.accept", token=token, _external=True)


@bp.route("/<int:municipality_id>/anvandare")
@require("manage_users")
def index(municipality: Municipality):
    """Users and roles of the municipality, pending invitations and the invitation form."""
    return _page(municipality)


@bp.route("/<int:municipality_id>/inbjudningar", methods=["POST"])
@require("manage_users")
def invite(municipality: Municipality):
    """Create an invitation link and show it once."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(municipality, form, status=400)
    try:
        link = invites.create_invite(form.email.data, form.role.data, municipality, current_user)
    except invites.LinkRefused as refused:
        form.email.errors.append(str(refused.message))
        return _page(municipality, form, status=400)
    db.session.commit()
    shown = {"url": link_url(link.token), "email": link.invite.email, "purpose": "invite",
             "expires_at": link.invite.expires_at}
    return _page(municipality, InviteForm(formdata=None), link=shown)


@bp.route("/<int:municipality_id>/inbjudningar/<int:invite_id>/aterkalla", methods=["POST"])
@require("manage_users")
def revoke_invite(municipality: Municipality, invite_id: int):
    """Withdraw an invitation that has not been used."""
    pending = in_municipality_or_404(Invite, invite_id, municipality)
    if ConfirmForm().validate_on_submit() and pending.used_at is None:
        pending.expires_at = utcnow()
        record("invite.revoke", user=current_user, municipality_id=municipality.id, obj=pending)
        db.session.commit()
        flash(_("The invitation to %(email)s is withdrawn.", email=pending.email), "info")
    return redirect(url_for("users.index", municipality_id=municipality.id))


def _membership(municipality: Municipality, membership_id: int) -> Membership:
    return in_municipality_or_404(Membership, membership_id, municipality)


def _leaves_no_leader(municipality: Municipality, membership: Membership) -> bool:
    """Whether taking this member's project leader role would leave the municipality without one."""
    if membership.role != "project_leader":
        return False
    leaders = db.session.execute(
        select(func.count()).select_from(Membership).where(
            Membership.municipality_id == municipality.id, Membership.role == "project_leader")
    ).scalar_one()
    return leaders <= 1


@bp.route("/<int:municipality_id>/medlemmar/<int:membership_id>/roll", methods=["POST"])
@require("manage_users")
def change_role(municipality: Municipality, membership_id: int):
    """Give a member another role."""
    membership = _membership(municipality, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
    elif form.role.data != "project_leader" and _leaves_no_leader(municipality, membership):
        flash(_("The municipality must keep at least one project leader."), "error")
    elif form.role.data != membership.role:
        old = membership.role
        membership.role = form.role.data
        record("membership.role", user=current_user, municipality_id=municipality.id,
               obj=membership, old=old, new=membership.role)
        db.session.commit()
        flash(_("%(name)s is now %(role)s.", name=membership.user.display_name,
                role=ROLE_LABELS[membership.role]), "info")
    return redirect(url_for("users.index", municipality_id=municipality.id))


@bp.route("/<int:municipality_id>/medlemmar/<int:membership_id>/ta-bort", methods=["POST"])
@require("manage_users")
def remove(municipality: Municipality, membership_id: int):
    """Take a person out of the municipality (the account stays, for other municipalities)."""
    membership = _membership(municipality, membership_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if _leaves_no_leader(municipality, membership):
        flash(_("The municipality must keep at least one project leader."), "error")
    else:
        name = membership.user.display_name
        record("membership.remove", user=current_user, municipality_id=municipality.id,
               obj=membership, removed_user_id=membership.user_id)
        db.session.delete(membership)
        db.session.commit()
        flash(_("%(name)s no longer works in %(municipality)s.", name=name,
                municipality=municipality.name), "info")
    return redirect(url_for("users.index", municipality_id=municipality.id))


@bp.route("/<int:municipality_id>/anvandare/<int:user_id>/aterstallningslank", methods=["POST"])
@require("manage_users")
def reset_link(municipality: Municipality, user_id: int):
    """Create a password reset link for a member and show it once."""
    user = member_or_404(user_id, municipality)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not may_reset_password(current_user, user):
        flash(_("%(name)s also works in another municipality: ask a site administrator for a reset link.",
                name=user.display_name), "error")
        return redirect(url_for("users.index", municipality_id=municipality.id))
    link = invites.create_reset(user, current_user)
    db.session.commit()
    shown = {"url": link_url(link.token), "email": user.email, "purpose": "reset",
             "expires_at": link.invite.expires_at}
    return _page(municipality, link=shown)
