"""The isolation matrix, continued: raw comments by grant, every export format, API tokens.

The matrix (test_isolation_matrix.py) fills <fmt> with one raw format; here every format is taken
by every kind of actor, by session and by token, and the coordinator's grant is proved to open
exactly the raw pages.
"""

from __future__ import annotations

import pytest
from flask import Blueprint
from flask_login import login_required
from sqlalchemy import select, update

from app import create_app
from app.access import can, declares, dialogue_or_404
from app.api.tokens import create_token
from app.export.service import FORMATS, permission_for
from app.extensions import db
from app.models import Dialogue, Pin

from .export_helpers import logged, take_api_export, take_export
from .isolation_world import build_world
from .sessions import Session
from .test_isolation_matrix import body_of, raw_comments_shown, required_permission, sweep


@pytest.fixture
def worlds(app, make):
    """Municipality A (the actors' home) and B, a network coordinator and a site admin."""
    a, b = build_world(make, "A"), build_world(make, "B")
    coordinator = make.user(None, None, email="samordnare@example.se", is_network_coordinator=True)
    admin = make.user(None, None, email="admin@example.se", is_site_admin=True)
    return a, b, coordinator, admin


def test_with_a_grant_the_coordinator_reads_that_municipalitys_raw_comments(app, worlds):
    a, b, coordinator, _ = worlds
    b.municipality.grants_network_raw_access = True
    db.session.commit()
    # The whole matrix for the coordinator: B's raw pages must now answer, A's still refuse.
    failures, visited, _ = sweep(app, worlds, actors=(coordinator,))
    assert not failures, "\n".join(failures)
    assert visited > 30
    session = Session(app, coordinator)
    for url in (f"/natverket/kommuner/{b.municipality.id}/kommentarer",
                f"/planering/dialoger/{b.dialogue.id}/moderering",
                f"/planering/dialoger/{b.dialogue.id}/teman"):
        assert b.pin.text in session.get(url), url
    assert session.send("GET", f"/natverket/kommuner/{a.municipality.id}/kommentarer",
                        {}).status_code == 403
    assert session.send("GET", f"/planering/analys/pins/{b.pin.id}/foto", {}).status_code == 200


def test_a_route_that_shows_a_comment_to_a_mere_viewer_is_caught(app, worlds, database_url):
    """A page that checks "view" but prints the pin's text: the raw-comment rule finds it."""
    careless = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
                           "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": False})
    bp = Blueprint("chatty", __name__)

    @bp.route("/planering/prat/<int:dialogue_id>")
    @login_required
    def quote(dialogue_id: int):
        dialogue = dialogue_or_404(dialogue_id, "view")
        return " ".join(db.session.execute(
            select(Pin.text).where(Pin.dialogue_id == dialogue.id)).scalars())

    careless.register_blueprint(bp)
    failures, _, _ = sweep(careless, worlds)
    with careless.app_context():
        db.engine.dispose()
    a, b = worlds[0], worlds[1]
    assert failures and all("chatty.quote" in f for f in failures)
    assert any(f.startswith(f"steering_group.a@example.se GET /planering/prat/{a.dialogue.id} ")
               and "shows a raw comment of ['Kommun A']" in f for f in failures)
    assert any(f.startswith(f"samordnare@example.se GET /planering/prat/{b.dialogue.id} ")
               for f in failures)


def test_a_view_can_declare_a_permission_per_method(app):
    @declares("read_raw", POST="edit")
    def coding(dialogue_id: int):
        """Reads raw comments; tags them on POST."""

    rule = type("RuleLike", (), {"endpoint": "x.coding"})()
    app_like = type("AppLike", (), {"view_functions": {"x.coding": coding}})()
    assert required_permission(app_like, rule, "GET") == "read_raw"
    assert required_permission(app_like, rule, "POST") == "edit"


def ready_for(fmt: str, worlds) -> None:
    """An archive package is made of a closed dialogue only: close A's and B's for it."""
    if fmt == "archive":
        db.session.execute(update(Dialogue).where(Dialogue.id.in_([w.dialogue.id for w in worlds[:2]]))
                           .values(status="closed"))
        db.session.commit()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_export_format_by_session_answers_as_access_says(app, worlds, fmt):
    """Page and API, each role of A and the coordinator, against A's and B's dialogue."""
    a, b, coordinator, _ = worlds
    ready_for(fmt, worlds)
    permission = permission_for(FORMATS[fmt])
    for user in (a.working_group, a.steering_group, coordinator):
        session = Session(app, user)
        for target in (a, b):
            sees = user.is_network_coordinator or user.role_in(target.municipality.id)
            may = can(user, permission, target.municipality)
            expected = 200 if may else 403 if sees else 404
            for take in (take_export, take_api_export):
                response = take(session.client, target.dialogue.id, fmt)
                assert response.status_code == expected, (user.email, take, response.status_code)
                assert not raw_comments_shown(user, body_of(response), worlds), (user.email, take)


def test_the_report_quotes_comments_only_for_those_who_may_read_them(app, worlds):
    a, _, _, _ = worlds
    working_group, steering_group = (
        take_export(Session(app, user).client, a.dialogue.id, "report-html").get_data(as_text=True)
        for user in (a.working_group, a.steering_group))
    assert a.pin.text in working_group and "Citat utelämnas" not in working_group
    assert a.pin.text not in steering_group and "Citat utelämnas" in steering_group
    assert a.theme.name in steering_group  # the themes and their counts stay


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_token_reaches_its_own_municipalitys_exports_only(app, worlds, fmt):
    a, b, _, _ = worlds
    ready_for(fmt, worlds)
    plain, _ = create_token(a.municipality, "QGIS")
    db.session.commit()
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {plain}"}
    other = take_api_export(client, b.dialogue.id, fmt, headers=bearer)
    assert other.status_code == 404 and other.json["error"]["status"] == 404
    assert b.pin.text not in body_of(other)
    assert logged("export") == []
    # A token opens no planner page: the export page needs a login.
    page = take_export(client, b.dialogue.id, fmt, headers=bearer)
    assert page.status_code == 302 and "/konto/logga-in" in page.location
    own = take_api_export(client, a.dialogue.id, fmt, headers=bearer)
    assert own.status_code == 200 and body_of(own)
    [event] = logged("export")
    assert event.municipality_id == a.municipality.id and event.detail["via"] == "api-token"
