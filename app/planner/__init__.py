"""The municipality's side: dialogues, heatmaps, moderation. Everything behind a login."""

from flask import Flask

from .routes import bp


def init_app(app: Flask) -> None:
    """Register the planner pages."""
    app.register_blueprint(bp)
