"""Export for formal consultation (samråd): GeoPackage, GeoJSON, CSV, Excel and a written report."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the export pages and the `platsdialog export` command."""
    from .cli import export_command
    from .routes import bp  # here, not at import: the routes use app.jobs, which uses this package

    app.register_blueprint(bp)
    app.cli.add_command(export_command)
