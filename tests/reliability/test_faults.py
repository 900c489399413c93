"""A database that is down or locked is a 503 with Retry-After; any other fault a plain 500."""

from __future__ import annotations

import pytest
import sqlean
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Response

from ..factories import Factories
from ..plain_form import PlainForm
from .server import app_on, closed_port, migrate

TRACE_WORDS = ("Traceback", "psycopg", "sqlalchemy", "OperationalError", 'File "')


def assert_plain(body: str) -> None:
    for word in TRACE_WORDS:
        assert word not in body


@pytest.fixture(scope="module")
def app_without_database(tmp_path_factory):
    """The app pointed at a PostgreSQL that is not running (a port held closed for the module)."""
    with closed_port() as port:
        yield create_app({
            "SECRET_KEY": "x", "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{port}/nowhere",
        })


def test_a_database_that_is_down_is_a_503_page_to_retry(app_without_database):
    response = app_without_database.test_client().get("/", headers={"Accept-Language": "sv"})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    body = response.get_data(as_text=True)
    assert "Tjänsten är upptagen – försök igen om en stund" in body
    assert_plain(body)


def test_a_database_that_is_down_answers_json_to_json_clients(app_without_database):
    response = app_without_database.test_client().post(
        "/d/husby/enkel", json={"pins": []}, headers={"Accept-Language": "en"}
    )
    # CSRF refuses a JSON post to the form before any database work; a page that needs the
    # database answers in JSON when JSON is asked for.
    page = app_without_database.test_client().get(
        "/d/husby", headers={"Accept": "application/json", "Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert page.status_code == 503
    assert page.is_json
    assert page.get_json() == {
        "error": "unavailable", "message": "The service is busy – try again in a moment"
    }
    assert page.headers["Retry-After"].isdigit()


def test_any_other_fault_is_a_plain_500_page(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail from deep inside")

    response = app.test_client().get("/boom", headers={"Accept-Language": "sv"})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Något gick fel hos oss" in body
    assert "secret detail" not in body
    assert_plain(body)


@pytest.fixture(scope="module")
def locked_file(tmp_path_factory):
    """A migrated SpatiaLite file with one open dialogue, for the lock tests."""
    path = tmp_path_factory.mktemp("locked") / "locked.sqlite"
    migrate(f"sqlite:///{path}")
    return path


def test_a_locked_spatialite_file_is_a_503_and_the_resend_is_stored_once(locked_file):
    with app_on(f"sqlite:///{locked_file}", SQLITE_BUSY_TIMEOUT_MS=100, TESTING=False) as app:
        slug = Factories().dialogue().slug
        client = app.test_client()
        form = PlainForm.open(client, slug).click_map("karta_trygghet").set(**{
            "pin-karta_trygghet-0-sentiment": "idea", "samtycke": "true",
            "pin-karta_trygghet-0-comment": "Fler bänkar längs gångvägen."})
        other = sqlean.connect(str(locked_file), isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # a backup or another process holds the file
        try:
            refused = form.send().response
        finally:
            other.execute("COMMIT")
            other.close()
        assert refused.status_code == 503
        assert refused.headers["Retry-After"].isdigit()
        assert_plain(refused.get_data(as_text=True))
        db.session.remove()
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 0
        first, again = form.send().response, form.send().response
        assert (first.status_code, again.status_code) == (302, 302)
        db.session.remove()
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 1
