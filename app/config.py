"""Configuration: defaults, then the instance folder's config.py, then the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


class Defaults:
    """Settings every installation starts from; override them in instance/config.py or the environment."""

    SECRET_KEY = None  # set per installation; create_app makes one for the instance folder
    SQLALCHEMY_DATABASE_URI = None  # filled in by load_config: SpatiaLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    # A resident may take a long time over the map; the token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # photos are at most 10 MB; the rest is form overhead
    # The survey editor posts one field per text and language (as multipart from its script): a
    # long survey in nine languages has over a thousand. Werkzeug's default is 1,000.
    MAX_FORM_PARTS = 10_000
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # How many reverse proxies (nginx, Caddy) stand in front and set X-Forwarded-For/-Proto.
    TRUSTED_PROXIES = 0
    # Base maps (`platsdialog basemap add`): where added tile files are kept, and where tiles
    # fetched from an upstream XYZ/WMTS server are cached. None: instance/basemaps, instance/tile-cache.
    BASEMAP_DIR = None
    TILE_CACHE_DIR = None
    # How long a cached upstream tile is fresh (seconds): the upstream's own Cache-Control max-age or
    # Expires if it sends one, kept between the two bounds; without one, the maximum. A stale tile is
    # fetched again, and still answered while the upstream is down.
    TILE_CACHE_MAX_AGE = 7 * 86400
    TILE_CACHE_MIN_AGE = 3600
    # Dialogue slug -> https origins (a municipality's own site) that may show it in an iframe.
    EMBED_ORIGINS: dict = {}
    # Cells with fewer pins than this are hidden in views for people outside the working group.
    MIN_CELL_COUNT = 5
    # What only the installation knows for the accessibility statement (/tillganglighet): organisation,
    # email, phone, response_days, published_on, updated_on (and assessed_on, method, conformance if
    # the installation made its own assessment). The known issues are in app/accessibility.
    ACCESSIBILITY_STATEMENT: dict = {}
    # Background jobs (exports): the queue (a SQLite file in the instance folder unless set, e.g.
    # redis://127.0.0.1:6379/0 for several app servers), where workers put finished files (a folder
    # every app server can read), how long a file is kept, and when a silent worker counts as lost.
    JOBS_URL = ""
    JOB_RESULTS_DIR = ""
    JOB_RESULT_HOURS = 24
    JOB_HEARTBEAT_SECONDS = 5
    JOB_STALE_SECONDS = 60
    # Cells x layers of hot spots one request computes (one layer of 1,000 cells); more (a whole
    # municipality at 100 m, or the nine-layer GeoJSON of more than 111 cells) are computed as a
    # job when a planner asks. 999 permutations, about 0.6 ms per cell and layer without numba:
    # one layer of 1,600 cells 0.7 s, nine of 400 cells 2.3 s (2 busy cores, 2026-12-01).
    HOTSPOT_INLINE_CELLS = 1000


ENV_SETTINGS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "BASEMAP_DIR": "BASEMAP_DIR",
    "TILE_CACHE_DIR": "TILE_CACHE_DIR",
    "TILE_CACHE_MAX_AGE": "TILE_CACHE_MAX_AGE",
    "TILE_CACHE_MIN_AGE": "TILE_CACHE_MIN_AGE",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "JOBS_URL": "JOBS_URL",
    "JOB_RESULTS_DIR": "JOB_RESULTS_DIR",
    "HOTSPOT_INLINE_CELLS": "HOTSPOT_INLINE_CELLS",
}


def load_config(app, test_config: dict | None) -> None:
    """Fill app.config from defaults, the instance config file and the environment, in that order."""
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for env_name, key in ENV_SETTINGS.items():
            if os.environ.get(env_name):
                app.config[key] = os.environ[env_name]
        if os.environ.get("PLATSDIALOG_DEVELOPMENT"):
            app.config["SESSION_COOKIE_SECURE"] = False
            app.config["REMEMBER_COOKIE_SECURE"] = False
    else:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'platsdialog.sqlite'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance)


def _instance_secret(instance: Path) -> str:
    """Read the installation's secret key, creating it on first run so restarts keep sessions."""
    import contextlib
    import secrets
    import tempfile

    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        # Several gunicorn workers start at once: each writes its own candidate to a private
        # temporary file and links it into place; link() fails if the key exists, so exactly
        # one candidate wins and every worker reads that one (never a half-written file).
        fd, candidate = tempfile.mkstemp(dir=instance, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):
                os.link(candidate, path)
        finally:
            os.unlink(candidate)
    return path.read_text().strip()
