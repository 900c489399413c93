"""Export for formal consultation (samråd): GeoPackage, GeoJSON, CSV, Excel and a written report."""

from flask import Flask

from .routes import bp


def init_app(app: Flask) -> None:
    """Register the export pages and the `platsdialog export` command."""
    from .cli import export_command

    app.register_blueprint(bp)
    app.cli.add_command(export_command)
