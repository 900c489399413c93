"""Log in and log out."""

from __future__ import annotations

import secrets
from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import ROLE_LABELS
from ..extensions import db, limiter
from ..models import Municipality, User
from ..models.types import utcnow
from . import invites
from .forms import JoinForm, LoginForm, NewAccountForm, NewPasswordForm
from .oidc import enabled_providers, password_login_allowed

bp = Blueprint("auth", __name__, url_prefix="/konto")


@cache
def _unknown_user_hash() -> str:
    """A hash to check a password against when the address has no account."""
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def _safe_next(target: str | None) -> str:
    """A redirect target on this site only (no open redirect)."""
    if target and not urlsplit(target).netloc and target.startswith("/") and "//" not in target:
        return target
    return url_for("planner.index")


@bp.route("/logga-in", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    """The login form; a wrong e-mail or password gets the same answer."""
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            # Hash anyway, so the answer takes as long whether or not the address has an account.
            check_password_hash(_unknown_user_hash(), form.password.data)
        elif user.active and user.check_password(form.password.data):
            if not password_login_allowed(user):
                flash(_("Your municipality has you log in with your work account. Use the button for "
                        "your municipality below."), "error")
                return render_template("auth/login.html", form=form, providers=enabled_providers()), 403
            _start_session(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The e-mail address or password is wrong."), "error")
    return render_template("auth/login.html", form=form, providers=enabled_providers())


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    """End the session, and every other session of the account: a copied cookie stops working too."""
    current_user.session_version += 1
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _start_session(user: User) -> None:
    """A fresh session for the user (no fixation: all but the chosen language is gone)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session.permanent = True
    user.last_login_at = utcnow()


@bp.route("/lank/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def accept(token: str):
    """Use an invitation or reset link: create the account, join the municipality, or set a password."""
    try:
        invite = invites.usable_link(token)
    except invites.LinkRefused as refused:
        return _refused(refused)
    existing = invites.find_user(invite.email)
    if invite.purpose == "reset":
        form = NewPasswordForm()
    else:
        form = JoinForm() if existing is not None else NewAccountForm()
    if form.validate_on_submit():
        try:
            if invite.purpose == "reset":
                user = invites.reset_password(invite, form.password.data)
                message = _("Your new password is saved.")
            else:
                user = invites.accept_invite(
                    invite, display_name=getattr(form, "display_name", None) and form.display_name.data,
                    password=form.password.data)
                message = _("Welcome! You now work in %(municipality)s.",
                            municipality=db.session.get(Municipality, invite.municipality_id).name)
        except invites.LinkRefused as refused:
            db.session.rollback()
            if refused.status != 400:
                return _refused(refused)
            form.password.errors.append(str(refused.message))
        else:
            _start_session(user)
            db.session.commit()
            flash(message, "info")
            return redirect(url_for("planner.index"))
    municipality = db.session.get(Municipality, invite.municipality_id) if invite.municipality_id else None
    response = render_template("auth/accept.html", form=form, invite=invite, existing=existing,
                               municipality=municipality, role_labels=ROLE_LABELS,
                               min_password_length=invites.MIN_PASSWORD_LENGTH)
    return response, 200, {"Cache-Control": "no-store"}


def _refused(refused: invites.LinkRefused):
    """A page saying plainly why the link cannot be used."""
    return render_template("auth/link_refused.html", message=refused.message), refused.status
