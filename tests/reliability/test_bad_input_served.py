"""The bad-input corpus, sent over HTTP to gunicorn on the database under test (the plain
form's cases of test_bad_input.py too).

Every case is a request a stranger (or a planner's browser) can send. Each must get a 4xx with a
clear message in Swedish, no 5xx, nothing stored (rows counted in every table a request could
write before and after), and the server must still answer afterwards.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import text

from app.extensions import db
from app.models import NamedPlace, SharedTemplate, Theme
from app.network.sharing import as_yaml

from ..conftest import csrf_from
from ..factories import INSIDE
from ..plain_form import ServedClient
from .client import CONSENT, MAP_QUESTION
from .test_bad_input import FORM_CASES, NUL_CASES, form_for

TABLES = ("response", "pin", "answer", "photo", "shared_template", "template_adoption",
          "survey_version", "theme", "pin_theme", "feedback", "audit_event", "dialogue",
          "export_job")
SV = {"Accept-Language": "sv"}


def row_counts() -> dict[str, int]:
    """Rows in every table a request in the corpus could write (seen fresh, not from a cache)."""
    db.session.remove()
    counts = {t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}  # noqa: S608
    db.session.remove()
    return counts


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def alias_bomb(levels: int = 9) -> str:
    """A 'billion laughs' YAML of a few hundred bytes: 10**levels values once expanded."""
    lines = ['a0: &a0 ["ha","ha","ha","ha","ha","ha","ha","ha","ha","ha"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG file that claims width x height pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


@dataclass
class World:
    base: str
    slug: str
    dialogue_id: int
    place_id: int
    template_id: int
    template_yaml: str
    pin_id: int
    theme_id: int
    planner: requests.Session
    coordinator: requests.Session


def logged_in(base: str, email: str, password: str = "rätt-lösenord-123") -> requests.Session:
    """A browser session that logged in through the login form."""
    browser = requests.Session()
    browser.headers.update(SV)
    token = csrf_from(browser.get(f"{base}/konto/logga-in", timeout=30).text)
    answer = browser.post(f"{base}/konto/logga-in", data={"csrf_token": token, "email": email,
                                                         "password": password},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    return browser


def page_token(browser: requests.Session, url: str) -> str:
    return csrf_from(browser.get(url, timeout=30).text)


@pytest.fixture
def world(make, served) -> World:
    municipality = make.municipality()
    dialogue = make.dialogue(make.area(municipality), show_others_pins=True, photos_allowed=True)
    place = NamedPlace(area_id=dialogue.area_id, name="Husby centrum", position=1)
    db.session.add(place)
    db.session.commit()
    pin = make.pin(dialogue)
    leader = make.user(municipality, "project_leader")
    coordinator = make.user(None, None, is_network_coordinator=True)
    template = SharedTemplate(survey_key="trygghet-rattvisa-utveckling", version_label="1.0",
                              change_notes="", survey_version_id=dialogue.survey_version_id)
    theme = Theme(dialogue_id=dialogue.id, name="Belysning")
    db.session.add_all([template, theme])
    db.session.commit()
    found = World(served, dialogue.slug, dialogue.id, place.id, template.id,
                  as_yaml(template.survey_version.definition), pin.id, theme.id,
                  logged_in(served, leader.email), logged_in(served, coordinator.email))
    db.session.remove()
    return found


def resident(world: World) -> tuple[requests.Session, str]:
    browser = requests.Session()
    browser.headers.update(SV)
    return browser, page_token(browser, f"{world.base}/d/{world.slug}/svara")


def submission(world: World, *, answers=None, pins=None) -> dict:
    return {"key": "corpus-key-00000000000001", "answers": {**CONSENT, **(answers or {})},
            "pins": pins if pins is not None else [], "website": ""}


def map_pin(**fields) -> dict:
    pin = {"question": MAP_QUESTION["safety"], "sentiment": "negative", "comment": "Mörkt här.",
           "location": {"kind": "map", "lat": INSIDE[0], "lng": INSIDE[1]}}
    return {**pin, **fields}


def send_json(world: World, body: str | bytes):
    browser, token = resident(world)
    return browser.post(f"{world.base}/d/{world.slug}/svar", data=body, timeout=60,
                        headers={"X-CSRFToken": token, "Content-Type": "application/json"})


# (name, function(world) -> response, allowed statuses, words the answer must contain)
def _cases():
    def svar(payload):
        return lambda w: send_json(w, json.dumps(payload(w)) if callable(payload) else payload)

    # JSON cannot be written with a lone surrogate by json.dumps(ensure_ascii=False); the escape can.
    def surrogate_answer(w):
        return json.dumps(submission(w, answers={"ovrigt": "x"})).replace('"x"', '"tr\\udfffasig"')

    def surrogate_comment(w):
        return json.dumps(submission(w, pins=[map_pin(comment="x")])).replace('"x"', '"M\\udfffrkt"')

    def api(query):
        return lambda w: requests.get(f"{w.base}/api/v1/dialogues/{w.slug}/pins?{query}", timeout=30,
                                      headers=SV)

    def planner_post(path, form, *, page=None, who="planner"):
        def run(w):
            browser = getattr(w, who)
            url = w.base + path.format(d=w.dialogue_id, t=w.template_id)
            token = page_token(browser, w.base + (page or path).format(d=w.dialogue_id, t=w.template_id))
            data = {k: (v(w) if callable(v) else v) for k, v in form.items()}
            return browser.post(url, data={**data, "csrf_token": token}, timeout=120, allow_redirects=False)
        return run

    def planner_get(path):
        return lambda w: w.planner.get(w.base + path.format(d=w.dialogue_id), timeout=30,
                                       allow_redirects=False)

    def theme(w):
        return str(w.theme_id)

    deep_yaml = "a: " + "[" * 100_000 + "]" * 100_000
    yield "json: 100,000 nested [", lambda w: send_json(w, nested(100_000)), {400}, ["nästlade"]
    yield "json: 40 nested lists in an answer", svar(lambda w: submission(
        w, answers={"ovrigt": json.loads(nested(40))})), {400}, ["nästlade"]
    yield "json: lone surrogate in an answer", lambda w: send_json(w, surrogate_answer(w)), \
        {400}, ["surrogat"]
    yield "json: lone surrogate in a pin comment", lambda w: send_json(w, surrogate_comment(w)), \
        {400}, ["surrogat"]
    yield "json: named place id 10**30", svar(lambda w: submission(w, pins=[map_pin(
        location={"kind": "named_place", "place": 10**30})])), {422}, ["Välj en av platserna"]
    yield "json: named place id -1", svar(lambda w: submission(w, pins=[map_pin(
        location={"kind": "named_place", "place": -1})])), {422}, ["Välj en av platserna"]
    yield "json: named place id as text", svar(lambda w: submission(w, pins=[map_pin(
        location={"kind": "named_place", "place": str(w.place_id)})])), {422}, ["Välj en av platserna"]
    yield "json: not an object", lambda w: send_json(w, "[1, 2, 3]"), {400, 422}, []
    yield "json: broken", lambda w: send_json(w, b"{\"key\": \xff"), {400}, []
    yield "json: a 5000-digit number", lambda w: send_json(w, '{"key": ' + "9" * 5000 + "}"), {400}, []
    for query in ("limit=²", "cursor=²", "limit=١٠", "limit=" + "9" * 40, "cursor=-1", "limit=0",
                  "cursor=" + str(10**30)):
        yield f"api: {query}", api(query), {400}, ["heltal"]
    yield "url: dialogue id 10**30", lambda w: w.planner.get(
        f"{w.base}/planering/dialoger/{10**30}", timeout=30), {404}, []
    yield "url: dialogue id ²", lambda w: w.planner.get(
        f"{w.base}/planering/dialoger/²", timeout=30), {404}, []
    yield "url: api export of dialogue -5", lambda w: requests.post(
        f"{w.base}/api/v1/dialogues/-5/exports/csv", timeout=30), {401, 404}, []
    yield "url: api export of dialogue 10**30", lambda w: requests.post(
        f"{w.base}/api/v1/dialogues/{10**30}/exports/csv", timeout=30), {401, 404}, []
    yield "planner: pin_ids=²", planner_post("/planering/dialoger/{d}/teman/tagga",
                                             {"theme_id": theme, "pin_ids": "²"},
                                             page="/planering/dialoger/{d}/teman"), {400}, []
    yield "planner: pin_ids=10**30", planner_post("/planering/dialoger/{d}/teman/tagga",
                                                  {"theme_id": theme, "pin_ids": str(10**30)},
                                                  page="/planering/dialoger/{d}/teman"), {400}, []
    yield "planner: theme_id=²", planner_post("/planering/dialoger/{d}/teman/tagga",
                                              {"theme_id": "²", "pin_ids": "1"},
                                              page="/planering/dialoger/{d}/teman"), {400}, ["heltal"]
    yield "planner: fb-target=pin:²", planner_post(
        "/planering/dialoger/{d}/aterkoppling", {"fb-target": "pin:²", "fb-text": "Tack!"}), {400}, ["heltal"]
    yield "planner: fb-target=theme:10**30", planner_post(
        "/planering/dialoger/{d}/aterkoppling", {"fb-target": f"theme:{10**30}", "fb-text": "Tack!"}
    ), {400}, ["heltal"]
    yield "planner: theme filter ²", planner_get("/planering/dialoger/{d}/teman?theme=²"), {200, 400}, []
    for crs in ("²", "3006²", "١٢٣", str(10**30)):
        yield f"planner: export crs={crs}", planner_post(
            "/planering/dialoger/{d}/export/gpkg", {"crs": crs}, page="/planering/dialoger/{d}/export/"), \
            {400}, ["kunde inte göras"]
    yield "network: alias bomb adopted", planner_post(
        "/natverket/mallar/{t}/anvand", {"municipality_id": lambda w: _municipality_of(w),
                                         "definition_yaml": alias_bomb()}), {422}, ["alias"]
    yield "network: 100,000 nested [ adopted", planner_post(
        "/natverket/mallar/{t}/anvand", {"municipality_id": lambda w: _municipality_of(w),
                                         "definition_yaml": deep_yaml}), {413, 422}, []
    yield "network: 40 levels adopted", planner_post(
        "/natverket/mallar/{t}/anvand", {"municipality_id": lambda w: _municipality_of(w),
                                         "definition_yaml": "a: " + nested(40)}), {422}, ["nivåer"]
    yield "network: recursive alias adopted", planner_post(
        "/natverket/mallar/{t}/anvand", {"municipality_id": lambda w: _municipality_of(w),
                                         "definition_yaml": "a: &a [*a, *a]\n"}), {422}, ["sig självt"]
    yield "network: municipality id 10**30", planner_post(
        "/natverket/mallar/{t}/anvand", {"municipality_id": str(10**30),
                                         "definition_yaml": lambda w: w.template_yaml}), {422}, []
    yield "network: coordinator publishes an alias bomb", planner_post(
        "/natverket/mallar", {"source": "trygghet-rattvisa-utveckling.yaml", "version_label": "9.9",
                              "change_notes": "", "definition_yaml": alias_bomb()},
        who="coordinator"), {422}, ["alias"]
    yield "photo: 30000 x 30000 PNG", lambda w: _upload(w, png_header(30000, 30000)), {422}, \
        ["för många bildpunkter"]
    # The plain form (no JavaScript), walked as a browser does: a click on the map image first.
    for overrides, status, message in FORM_CASES:
        yield f"plain form: {overrides}", _plain(overrides), {status}, [message]
    for overrides, status in NUL_CASES:
        yield f"plain form: {overrides!r}", _plain(overrides), {status}, []


def _plain(overrides: dict):
    return lambda w: form_for(ServedClient(w.base), w.slug, **overrides).send().response


def _municipality_of(world: World) -> str:
    page = world.planner.get(f"{world.base}/natverket/mallar/{world.template_id}/anvand", timeout=30).text
    return re.search(r'name="municipality_id"[^>]*>\s*<option[^>]*value="(\d+)"', page).group(1)


def _upload(world: World, data: bytes):
    browser, token = resident(world)
    return browser.post(f"{world.base}/d/{world.slug}/foto", files={"photo": ("bild.png", data, "image/png")},
                        headers={"X-CSRFToken": token}, timeout=60)


CASES = list(_cases())


def readable(answer: requests.Response) -> str:
    """The answer's text as a person reads it (JSON bodies with their escapes decoded)."""
    if answer.headers.get("Content-Type", "").startswith("application/json"):
        return json.dumps(answer.json(), ensure_ascii=False)
    return answer.text


def test_every_bad_request_is_a_clear_4xx_and_stores_nothing(world):
    failures = []
    for name, send, statuses, words in CASES:
        before = row_counts()
        answer = send(world)
        body = readable(answer)
        if answer.status_code not in statuses or any(w not in body for w in words):
            shown = re.sub(r"\s+", " ", body)[:300]
            errors = re.findall(r'class="field-error"[^>]*>([^<]*)<', body)
            failures.append(f"{name}: {answer.status_code} {errors or shown}")
        if row_counts() != before:
            failures.append(f"{name}: stored something ({before} -> {row_counts()})")
        assert requests.get(world.base + "/", timeout=30).status_code == 200, f"down after {name}"
    assert failures == [], "\n".join(failures)

