"""Planner accounts: log in and out. Residents never have accounts."""

from flask import Flask

from ..extensions import db, login_manager
from ..models import User
from . import sso_routes  # noqa: F401  (registers sign-in through the municipality's provider)
from .oidc import oauth
from .routes import bp


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session, if the session is still current (password unchanged, active)."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or str(user.session_version) != version:
        return None
    return user


def init_app(app: Flask) -> None:
    """Bind Flask-Login and the login routes."""
    from flask_babel import lazy_gettext as _l

    login_manager.init_app(app)
    oauth.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"
    app.register_blueprint(bp)
