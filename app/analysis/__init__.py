"""Per-value analysis: heat layers, grid summaries, the balance of the three values, statistics."""

from flask import Flask

from . import balance_routes  # noqa: F401  (registers the assessment and hotspot pages on bp)
from .routes import bp


def init_app(app: Flask) -> None:
    """Register the analysis pages."""
    app.register_blueprint(bp)
