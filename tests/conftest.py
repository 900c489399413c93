"""Fixtures: the app on a real spatial database (SpatiaLite by default, PostGIS when asked).

Set PLATSDIALOG_TEST_DATABASE_URL to a PostgreSQL URL to run the whole suite on PostGIS;
scripts/test.sh does both. The schema is made by the migrations, so they are tested on both.
"""

from __future__ import annotations

import contextvars
import os
import re
import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import text
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.i18n import compile_catalogs

from .factories import Factories

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"

os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")

# No property test is about speed: on a shared, loaded 2-core CI machine one example slower than
# Hypothesis' default 200 ms deadline would fail a test (DeadlineExceeded, or Flaky on the rerun).
settings.register_profile("platsdialog", deadline=None)
settings.load_profile("platsdialog")


class ProductionLikeClient(FlaskClient):
    """A test client whose every request runs in its own app context, as under gunicorn.

    Flask reuses an app context that is already pushed, so a test holding one (the ``make`` and
    ``app_context`` fixtures) would otherwise share ``g``, Flask-Login's user and the database
    session with the requests it makes: objects stay bound where in production they are detached
    after a commit. Each request runs in an empty ``contextvars`` context instead, so Flask pushes
    a fresh app context (and Flask-SQLAlchemy a fresh session) and tears it down at the end. The
    body is read inside it too (``buffered``), so a streamed download runs as it does in production.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


# Every app a test makes (the session's, and those made with other settings) uses it.
Flask.test_client_class = ProductionLikeClient


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The database under test: PostGIS if PLATSDIALOG_TEST_DATABASE_URL says so, else SpatiaLite."""
    url = os.environ.get("PLATSDIALOG_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The app with its schema migrated to the newest version."""
    compile_catalogs()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            # Export jobs run inside the request that starts them; tests/reliability runs a worker.
            "JOBS_URL": "immediate",
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after a test that used the database, so tests never see each other's rows."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app_context(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app_context) -> Factories:
    """Factories for municipalities, areas, dialogues, pins and users (committed rows)."""
    return Factories()


@pytest.fixture
def is_postgis(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over HTTP on 127.0.0.1 for the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, with everything that would call Google switched off."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def upstream():
    """A throwaway WMTS / WMS / XYZ tile server on localhost (tests/wmts_server.py)."""
    from .wmts_server import WMTSServer

    server = WMTSServer()
    yield server
    server.stop()


@pytest.fixture
def realdata() -> Path:
    """The shared real geodata, or a skip that says where it should be."""
    if not REALDATA.exists():
        pytest.skip(f"real geodata not found at {REALDATA}")
    return REALDATA
