"""The read API under /api/v1, described by an OpenAPI document at /api/v1/openapi.json."""

from flask import Flask

from .routes import bp


def init_app(app: Flask) -> None:
    """Register the API and the `platsdialog api-token` command.

    Every endpoint is GET, so CSRF never applies; tokens arrive in a header, not a cookie.
    """
    from .cli import token_cli

    app.register_blueprint(bp)
    app.cli.add_command(token_cli)
