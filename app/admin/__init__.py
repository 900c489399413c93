"""User management: a project leader's page for the municipality's users, and site administration."""

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime

from . import sign_in  # noqa: F401  (registers the sign-in settings on the site admin blueprint)
from .site import bp as site_bp
from .users import bp as users_bp


def init_app(app: Flask) -> None:
    """Register the user management and site administration pages."""
    app.jinja_env.filters["format_link_date"] = _format_link_date
    app.register_blueprint(users_bp)
    app.register_blueprint(site_bp)


def _format_link_date(moment: datetime) -> str:
    """A link's expiry as the reader writes dates, in the installation's time zone."""
    return format_datetime(moment, "short")
