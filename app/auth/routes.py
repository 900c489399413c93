"""Log in and log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..models import User
from ..models.types import utcnow
from .forms import LoginForm

bp = Blueprint("auth", __name__, url_prefix="/konto")


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
        if user is not None and user.active and user.check_password(form.password.data):
            session.clear()
            login_user(user)
            session.permanent = True
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The e-mail address or password is wrong."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    """End the session."""
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
