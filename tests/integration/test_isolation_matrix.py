"""The isolation matrix: every planner route and method, as every role, against two municipalities.

Generated from app.url_map, so a route added tomorrow is covered without editing this file. Only
the explicit allowlists below are left out or judged by what they show. For each actor, target
municipality, route and method the expected answer follows from app.access: 404 when the actor
has no role in the target municipality, 403 (or 404) when the actor sees it but lacks the
permission, and a real page (no 403/404/500) when the actor may. Nothing in the database may
change while the refusals are tried. And on every answer to everyone: a resident's comment (a
pin's text) only for those who may read raw comments in its municipality; the network
coordinator only where the municipality grants it.
"""

from __future__ import annotations

import pytest
from flask import Blueprint
from flask_login import login_required
from sqlalchemy import select
from werkzeug.routing import Map, Rule

from app import create_app
from app.access import PERMISSIONS, can
from app.extensions import db
from app.models import AuditEvent, Dialogue, Municipality, User

from ..conftest import csrf_from
from .export_helpers import logged
from .isolation_world import CONSTANTS, FILLERS, NETWORK_FILLERS, build_world, fill, names_objects
from .sessions import Session

# Public by design (resident pages, assets, logging in, using a one-time link). Keep this short.
PUBLIC_BLUEPRINTS = {"resident": "resident pages are public", "vendor": "front-end assets",
                     "accessibility": "the accessibility statement is for everyone",
                     "basemap": "base map tiles: shown to anonymous residents, hold no one's answers"}
PUBLIC_ENDPOINTS = {
    "static": "our CSS and JS",
    "auth.login": "the login form",
    "auth.logout": "ends one's own session, touches no planner data",
    "auth.accept": "the invitation / reset link: the token is the credential",
    "auth.sso_start": "logging in through the municipality's identity provider",
    "auth.sso_callback": "back from the identity provider: its ID token is the credential",
}
# Open without login by design. Visited by every actor and logged out, and judged by what they
# show (no other municipality's secret, no raw comment), not by 404: they name no private object.
OPEN_ENDPOINTS = {
    "network_public.page": "the public network page: every municipality's open dialogues (issue 9)",
    "network_public.api_dialogues": "the same open dialogues as JSON, for other sites and journalists",
    "api.public_pins": "the published pins of a public dialogue that shows them, as its resident "
                       "page does; any other slug answers 404 to everyone alike",
    "api.openapi": "the API's own description; no data",
}
SKIP_METHODS = {"HEAD", "OPTIONS"}


def is_public(rule) -> bool:
    """Whether the rule is on the allowlist."""
    return rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


def planner_rules(app) -> list:
    """Every rule the matrix visits."""
    return sorted((r for r in app.url_map.iter_rules() if not is_public(r)), key=lambda r: r.rule)


def required_permission(app, rule, method: str) -> str:
    """The permission a route needs: declared by access.require / site_admin_required / declares
    (per method if it says so), else "export" for export endpoints, "view" for GET and "edit" for
    other methods."""
    view = app.view_functions[rule.endpoint]
    by_method = getattr(view, "required_permissions", {})
    if method in by_method:
        return by_method[method]
    declared = getattr(view, "required_permission", None)
    if declared:
        return declared
    if "export" in rule.endpoint:
        return "export"
    return "view" if method == "GET" else "edit"


def allowed(user, permission: str, municipality) -> bool:
    """What app.access says the user may do in the municipality."""
    if permission == "site_admin":
        return user.is_site_admin
    return can(user, permission, municipality)


def sees(user, municipality) -> bool:
    """Whether the user may know that the municipality's objects exist."""
    return user.is_network_coordinator or user.role_in(municipality.id) is not None


def fingerprint() -> dict:
    """Every row of every table, to prove that refused requests stored nothing.

    Left out: the audit log's export events, which a permitted download writes by design (a GET);
    exports_logged() proves each of them was a permitted one.
    """
    rows = {}
    for table in db.metadata.sorted_tables:
        statement = select(table)
        if table.name == AuditEvent.__tablename__:
            statement = statement.where(table.c.action != "export")
        result = db.session.execute(statement).all()
        # Geometries compare by their hex WKB (`desc`), not by object identity.
        rows[table.name] = sorted(repr(tuple(getattr(v, "desc", v) for v in r)) for r in result)
    return rows


def exports_logged() -> list[tuple]:
    """(user, municipality) of every export in the audit log."""
    return [(db.session.get(User, e.user_id), db.session.get(Municipality, e.municipality_id))
            for e in logged("export")]


def unfillable(rules) -> list[str]:
    """The URL variables of these rules that the matrix has no filler for."""
    return sorted(
        f"{rule.rule} ({rule.endpoint}): <{name}>"
        for rule in rules for name in rule.arguments
        if name not in FILLERS and name not in NETWORK_FILLERS and name not in CONSTANTS
    )


def test_every_url_variable_of_a_planner_route_has_a_filler(app):
    unknown = unfillable(planner_rules(app))
    assert not unknown, (
        "These planner routes have URL variables the isolation matrix cannot fill, so their isolation "
        "is untested. Add a filler (an object of the target municipality) to FILLERS, or a constant "
        "to CONSTANTS, in tests/integration/isolation_world.py:\n  " + "\n  ".join(unknown)
    )


def test_a_new_route_with_an_unknown_variable_is_caught():
    rules = [Rule("/planering/prylar/<int:gizmo_id>/<int:dialogue_id>", endpoint="planner.gizmo")]
    Map(rules)
    assert unfillable(rules) == [
        "/planering/prylar/<int:gizmo_id>/<int:dialogue_id> (planner.gizmo): <gizmo_id>"]


@pytest.fixture
def worlds(app, make):
    """Municipality A (the actors' home) and B (the other one), plus a coordinator and a site admin."""
    a, b = build_world(make, "A"), build_world(make, "B")
    coordinator = make.user(None, None, email="samordnare@example.se", is_network_coordinator=True)
    admin = make.user(None, None, email="admin@example.se", is_site_admin=True)
    return a, b, coordinator, admin


def body_of(response) -> str:
    """The response body as text (binary bodies too: a secret in them is still found)."""
    data = response.get_data()
    response.close()  # a sent file's handle
    return data.decode("utf-8", "replace")


def raw_comments_shown(user, body: str, worlds) -> list[str]:
    """The municipalities whose raw comment (pin text) the body shows to a user who may not read it."""
    return [w.municipality.name for w in worlds[:2]
            if w.pin.text in body and not can(user, "read_raw", w.municipality)]


def judge(user, rule, permission: str, may: bool, target, other, response) -> str | None:
    """What is wrong with one answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if not names_objects(rule) or rule.endpoint in OPEN_ENDPOINTS:
        html = body_of(response)
        # The site admin manages accounts: their e-mail addresses, nothing else.
        shown = {other.member.email} if permission == "site_admin" and may else set()
        leaked = [s for s in other.secrets if s in html and s not in shown]
        if leaked and not user.is_network_coordinator:
            return f"shows the other municipality's {leaked}"
        return None
    if may:
        if status in (403, 404):
            return f"{status}, but the user may; is the filler right?"
    elif not sees(user, target.municipality) and permission != "site_admin":
        if status != 404:
            return f"{status}, expected 404 (other municipality)"
    elif status not in (403, 404):
        return f"{status}, expected 403 or 404 (no {permission})"
    return None


def sweep(app, worlds, actors=None) -> tuple[list[str], int, dict]:
    """Every actor (default: A's three roles, the coordinator, the site admin), route, method and
    target municipality.

    Returns the failures, the number of requests, and the database as it was after logging in.
    """
    a, b, coordinator, admin = worlds
    failures, visited = [], 0
    actors = actors or (a.project_leader, a.working_group, a.steering_group, coordinator, admin)
    sessions = [Session(app, user) for user in actors]
    before = fingerprint()
    for session in sessions:
        user = session.user
        for rule in planner_rules(app):
            for method in sorted(rule.methods - SKIP_METHODS):
                for target in (a, b) if names_objects(rule) else (b,):
                    values = fill(rule, target)
                    assert values is not None, "see test_every_url_variable_of_a_planner_route_has_a_filler"
                    permission = required_permission(app, rule, method)
                    may = allowed(user, permission, target.municipality)
                    if may and method != "GET":
                        continue  # a real change; proved by test_permitted_changes_find_their_object
                    url = _build(app, rule, values)
                    form = {name: FILLERS[name](target) for name in FILLERS}
                    response = session.send(method, url, form)
                    visited += 1
                    problem = judge(user, rule, permission, may, target, b, response)
                    raw = raw_comments_shown(user, body_of(response), worlds)
                    if raw and not problem:
                        problem = f"shows a raw comment of {raw} to a user who may not read it"
                    if problem:
                        failures.append(f"{user.email} {method} {url} ({rule.endpoint}, needs "
                                        f"{permission}): {problem}")
    return failures, visited, before


def test_every_role_gets_404_or_403_exactly_where_access_says_so(app, worlds):
    failures, visited, before = sweep(app, worlds)
    db.session.expire_all()
    assert not failures, "\n".join(failures)
    assert fingerprint() == before, "a refused request or a GET changed the database"
    exports = exports_logged()
    assert exports and all(can(user, "export", where) for user, where in exports)
    assert visited > 50


def test_a_careless_new_route_is_caught_without_editing_this_file(app, worlds, database_url):
    """A route that loads a dialogue by id without app.access, as someone might add tomorrow."""
    careless = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
                           "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": False})
    bp = Blueprint("careless", __name__)

    @bp.route("/planering/slarv/<int:dialogue_id>", methods=["GET", "POST"])
    @login_required
    def peek(dialogue_id: int):
        return db.get_or_404(Dialogue, dialogue_id).title

    careless.register_blueprint(bp)
    failures, _, _ = sweep(careless, worlds)
    with careless.app_context():
        db.engine.dispose()
    assert failures and all("careless.peek" in f for f in failures)
    b_dialogue = worlds[1].dialogue.id
    assert f"project_leader.a@example.se GET /planering/slarv/{b_dialogue} (careless.peek, needs view): " \
           "200, expected 404 (other municipality)" in failures
    assert any(f.startswith("steering_group.a@example.se POST") and "expected 403 or 404" in f
               for f in failures)


def _build(app, rule, values: dict) -> str:
    """The URL of a rule with its variables filled."""
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_permitted_changes_find_their_object(app, make):
    """The other half of the proof: with the right role, each write route finds the filled object.

    Without this a wrong filler would make every 404 above pass for the wrong reason.
    """
    failures = []
    for rule in planner_rules(app):
        for method in sorted(rule.methods - SKIP_METHODS - {"GET"}):
            if not names_objects(rule):
                continue
            world = build_world(make, f"W{len(failures)}{rule.endpoint}{method}"[:40])
            permission = required_permission(app, rule, method)
            user = world.project_leader
            if permission == "site_admin":
                user = make.user(None, None, is_site_admin=True)
            elif permission not in PERMISSIONS:
                failures.append(f"{rule.endpoint}: unknown permission {permission}")
                continue
            session = Session(app, user)
            url = _build(app, rule, fill(rule, world))
            form = {name: FILLERS[name](world) for name in FILLERS}
            response = session.send(method, url, form)
            if response.status_code in (403, 404) or response.status_code >= 500:
                failures.append(f"{method} {url} ({rule.endpoint}) as {user.email}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_logged_out_visitors_get_no_planner_page(app, worlds):
    a, b, _, _ = worlds
    client = app.test_client()
    csrf = csrf_from(client.get("/konto/logga-in").get_data(as_text=True))
    for rule in planner_rules(app):
        values = fill(rule, b)
        url = _build(app, rule, values)
        for method in sorted(rule.methods - SKIP_METHODS):
            response = client.open(url, method=method, data={"csrf_token": csrf})
            if rule.endpoint in OPEN_ENDPOINTS:
                body = body_of(response)
                assert response.status_code < 500, (method, url, response.status_code)
                assert not [s for s in b.secrets if s in body], (method, url)
                continue
            redirected_to_login = response.status_code == 302 and "/konto/logga-in" in response.location
            assert redirected_to_login or response.status_code in (401, 404), (method, url,
                                                                                response.status_code)


def test_a_declared_permission_is_what_the_matrix_expects(app):
    from app.access import declares

    @declares("read_raw")
    def moderation_queue(dialogue_id: int):
        """A view that calls dialogue_or_404(dialogue_id, "read_raw") inside."""

    rule = Rule("/planering/dialoger/<int:dialogue_id>/moderering", endpoint="x.queue")
    Map([rule])
    app_like = type("AppLike", (), {"view_functions": {"x.queue": moderation_queue}})()
    assert required_permission(app_like, rule, "GET") == "read_raw"
