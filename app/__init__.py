"""Platsdialog: early citizen dialogue in place development for Swedish municipalities."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints and CLI; no queries here."""
    app = Flask(__name__, instance_relative_config=True)

    from .config import load_config

    load_config(app, test_config)

    from . import database, i18n, security, vendor
    from .extensions import csrf, db, limiter, migrate

    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    vendor.init_app(app)

    from . import (
        accessibility,
        admin,
        analysis,
        api,
        auth,
        basemap,
        cli,
        demo,
        export,
        jobs,
        network,
        planner,
        records,
        resident,
    )

    accessibility.init_app(app)
    auth.init_app(app)
    basemap.init_app(app)
    resident.init_app(app)
    planner.init_app(app)
    analysis.init_app(app)
    export.init_app(app)
    jobs.init_app(app)
    api.init_app(app)
    admin.init_app(app)
    demo.init_app(app)
    network.init_app(app)
    records.init_app(app)
    cli.init_app(app)
    _register_error_pages(app)
    from . import errors

    errors.init_app(app)  # after the error pages: database faults become 503 + Retry-After
    return app


def _register_error_pages(app: Flask) -> None:
    """Plain, translated error pages: never a traceback in front of a resident."""

    def render_error(error):
        code = getattr(error, "code", 500)
        return render_template("error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)
