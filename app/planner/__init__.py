"""The municipality's side: dialogues, areas, moderation, coding. Everything behind a login."""

from flask import Flask
from flask_babel import format_decimal

from .routes import bp


def init_app(app: Flask) -> None:
    """Register the planner pages, their template helpers and CLI."""
    from . import areas, coding, dialogues, moderation, population, suggestions, surveys  # noqa: F401
    from .cli import dialogues_cli
    from .coding import public_outcome

    app.register_blueprint(bp)
    app.jinja_env.globals["dialogue_outcome"] = public_outcome
    app.jinja_env.filters["km2"] = lambda value: format_decimal(value, format="#,##0.00")
    # An area imported on the server (`platsdialog area import /srv/data/x.shp`) shows its file
    # name: the server's folders are nobody's business on a web page.
    app.jinja_env.filters["file_name"] = lambda source: (source or "").replace("\\", "/").rsplit(
        "/", 1)[-1]
    app.cli.add_command(dialogues_cli)
