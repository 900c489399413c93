"""The network of municipalities: overview, profiles, shared templates, evaluation, lessons."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the network's pages, its public page and API, and its CLI."""
    from . import evaluation_routes, shared_routes  # noqa: F401  (routes on the shared blueprint)
    from .blueprint import bp as shared_bp
    from .cli import network_cli
    from .public import bp as public_bp
    from .routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(shared_bp)
    app.register_blueprint(public_bp)
    app.cli.add_command(network_cli)
