"""The municipality's side: dialogues, areas, moderation, coding. Everything behind a login."""

from flask import Flask
from flask_babel import format_decimal

from .routes import bp


def init_app(app: Flask) -> None:
    """Register the planner pages, their template helpers, the auto-close hook and CLI."""
    from . import areas, coding, dialogues, moderation, population, suggestions, surveys  # noqa: F401
    from .cli import dialogues_cli
    from .coding import public_outcome
    from .lifecycle import close_expired_lazily

    app.register_blueprint(bp)
    app.jinja_env.globals["dialogue_outcome"] = public_outcome
    app.jinja_env.filters["km2"] = lambda value: format_decimal(value, format="#,##0.00")
    # An area imported on the server (`platsdialog area import /srv/data/x.shp`) shows its file
    # name: the server's folders are nobody's business on a web page.
    app.jinja_env.filters["file_name"] = lambda source: (source or "").replace("\\", "/").rsplit(
        "/", 1)[-1]
    app.cli.add_command(dialogues_cli)

    @app.before_request
    def close_expired_before_request():
        """Lazily close dialogues past their end date, so no page shows one as open."""
        from flask import request

        # A resident's submission checks the end date itself (Dialogue.accepts_responses), so the
        # busiest request of all skips this query.
        if request.endpoint not in (None, "static", "vendor.asset", "resident.submit"):
            close_expired_lazily()
