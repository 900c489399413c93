"""Base maps: tile files and upstream tile sources, served from our own origin."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tile routes and the `basemap` CLI group."""
    from .cli import basemap_cli
    from .routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(basemap_cli)
