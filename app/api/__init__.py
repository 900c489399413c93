"""The read API under /api/v1, described by an OpenAPI document at /api/v1/openapi.json."""

from flask import Flask

from .routes import bp


def init_app(app: Flask) -> None:
    """Register the API and the `platsdialog api-token` command.

    Tokens arrive in a header, not a cookie; the one POST (starting an export) checks CSRF
    when it is made with a login session instead.
    """
    from . import exports  # noqa: F401 - its routes join the blueprint
    from .cli import token_cli

    app.register_blueprint(bp)
    app.cli.add_command(token_cli)
