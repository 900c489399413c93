"""The two databases behind one code base: SpatiaLite (embedded default) and PostGIS."""

from __future__ import annotations

import os
import sys

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from .extensions import db

SPATIALITE_INSTALL = "apt-get install -y libsqlite3-mod-spatialite"


class SpatiaLiteMissing(RuntimeError):
    """mod_spatialite cannot be loaded; the message is the one line a user needs."""


def is_sqlite(url: str) -> bool:
    """True when the database URL points at SQLite (and so SpatiaLite)."""
    return url.startswith("sqlite")


def sqlite_engine_options(options: dict) -> dict:
    """Engine options for SQLite: a driver module that may load extensions."""
    import sqlean

    return {**options, "module": sqlean}


def _load_spatialite(dbapi_conn, busy_timeout_ms: int = 15000) -> None:
    """Load mod_spatialite into a new SQLite connection and make it safe for several writers."""
    library = os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
    dbapi_conn.enable_load_extension(True)
    try:
        dbapi_conn.load_extension(library)
    except Exception as err:  # sqlean raises OperationalError with the loader's text
        raise SpatiaLiteMissing(
            f"SpatiaLite ({library}) kunde inte laddas: {err}. Installera det med: {SPATIALITE_INSTALL}"
        ) from err
    finally:
        dbapi_conn.enable_load_extension(False)
    # WAL lets residents read while one writes; the busy timeout makes writers queue instead of
    # failing with "database is locked".
    dbapi_conn.execute("PRAGMA journal_mode = WAL")
    dbapi_conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    dbapi_conn.execute("PRAGMA foreign_keys = ON")
    dbapi_conn.execute("PRAGMA synchronous = NORMAL")
    if dbapi_conn.execute("SELECT CheckSpatialMetaData()").fetchone()[0] < 1:
        # WGS84 only: loading every EPSG SRID takes seconds; we reproject with pyproj instead.
        dbapi_conn.execute("SELECT InitSpatialMetaData(1, 'WGS84')")


def check_spatialite() -> None:
    """Fail early, with the install command, when mod_spatialite is not on this machine."""
    import sqlean

    conn = sqlean.connect(":memory:")
    try:
        _load_spatialite(conn)
    finally:
        conn.close()


def init_app(app: Flask) -> None:
    """Bind the database to the app, with SpatiaLite loaded into every SQLite connection."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if is_sqlite(url):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = sqlite_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        )
    else:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
    db.init_app(app)
    if is_sqlite(url):
        with app.app_context():
            busy_ms = app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000)
            event.listen(db.engine, "connect", lambda conn, _record: _load_spatialite(conn, busy_ms))


def dialect_name(engine: Engine | None = None) -> str:
    """'sqlite' or 'postgresql'."""
    return (engine or db.engine).dialect.name


def ensure_postgis(engine: Engine) -> None:
    """Create the PostGIS extension when the database lacks it (needs the right to do so)."""
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))


def exit_with(message: str) -> None:
    """Print one line for the user and stop: no traceback for a missing system package."""
    print(message, file=sys.stderr)
    raise SystemExit(2)
