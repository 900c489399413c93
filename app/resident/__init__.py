"""The resident's side: dialogue pages, pins and answers. No account, no tracking."""

from flask import Flask

from . import api  # noqa: F401  (registers the JSON endpoints on the blueprint)
from .routes import bp


def init_app(app: Flask) -> None:
    """Register the resident pages."""
    app.register_blueprint(bp)
