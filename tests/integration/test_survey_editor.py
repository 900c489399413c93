"""The survey editor as a planner without JavaScript uses it: form posts, problems at their
fields, versions, the YAML file out and back in with a diff, and publishing a dialogue with it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.models import Dialogue, SurveyDraft, SurveyDraftRevision
from app.surveys import check_file, definition_from_frozen, load_definition

from .form_reader import read_form
from .planner_helpers import login, post

EDITOR = "survey-editor"
SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


def _new_draft(client, municipality, name="Parken 2026"):
    response = post(client, "/planering/enkater", {
        "name": name, "municipality_id": municipality.id, "start": "__starter__"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _press(client, url, html, action, **changes):
    """Submit the editor's form as shown, with some fields changed, by pressing a button."""
    data = read_form(html, EDITOR)
    for name, value in changes.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    data["action"] = action
    return client.post(url, data=data)


def _field_error(html: str, name: str) -> str:
    match = re.search(rf'id="e-{re.escape(name)}"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error slot for {name}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


def test_a_new_survey_starts_as_a_checked_first_version(client, make, tmp_path):
    municipality = make.municipality()
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    page = client.get(f"/planering/enkater/{draft_id}").get_data(as_text=True)
    assert 'name="title-sv" value="Parken 2026"' in page
    assert "Preview for residents" in page or "Förhandsvisning" in page
    download = client.get(f"/planering/enkater/{draft_id}/yaml")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    path = tmp_path / "parken.yaml"
    path.write_bytes(download.data)
    assert check_file(path) == []


def test_a_planner_builds_every_question_type_and_saves_a_version_that_survey_check_accepts(
        client, make, tmp_path):
    municipality = make.municipality()
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    url = f"/planering/enkater/{draft_id}"
    html = client.get(url).get_data(as_text=True)
    html = _press(client, url, html, "refresh", languages="sv, en, sv-lattlast").get_data(as_text=True)
    assert 'name="title-sv-lattlast"' in html and 'name="title-en"' in html
    types = ["single_choice", "multi_choice", "likert", "text", "number", "ranking", "info"]
    for qtype in types:
        response = _press(client, url, html, "add pages-0-questions",
                          **{"new-type-pages-0-questions": qtype})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
    # The new questions came after consent; fill in what each needs.
    fills = {}
    for j, qtype in enumerate(types, start=2):
        q = f"pages-0-questions-{j}"
        fills[f"{q}-text-sv"] = f"Fråga av typen {qtype}"
        fills[f"{q}-text-en"] = f"A {qtype} question"
        if qtype in ("single_choice", "multi_choice", "ranking"):
            fills[f"{q}-options-0-label-sv"] = "Ja"
            fills[f"{q}-options-1-label-sv"] = "Nej"
        if qtype == "likert":
            fills[f"{q}-labels-low-sv"] = "Mycket otrygg"
            fills[f"{q}-labels-high-sv"] = "Mycket trygg"
    fills["pages-0-questions-3-show_if-question"] = "fraga_1"
    fills["pages-0-questions-3-show_if-in"] = "alternativ_1"
    fills["pages-0-questions-0-prompts-safety-sv"] = "Vad gör platsen trygg?"
    fills["pages-0-questions-6-min"] = "0"
    fills["pages-0-questions-6-max"] = "120,5"
    response = _press(client, url, html, "save", **fills)
    assert response.status_code == 302, _field_errors_text(response.get_data(as_text=True))
    revision = db.session.execute(select(SurveyDraftRevision).where(
        SurveyDraftRevision.draft_id == draft_id, SurveyDraftRevision.number == 2)).scalar_one()
    path = tmp_path / "v2.yaml"
    path.write_bytes(client.get(f"{url}/yaml").data)
    assert path.read_text(encoding="utf-8") == revision.yaml_text
    assert check_file(path) == []
    data = yaml.safe_load(revision.yaml_text)
    questions = data["pages"][0]["questions"]
    assert {q["type"] for q in questions} == {"map_pin", "consent", *types}
    assert questions[3]["show_if"] == {"question": "fraga_1", "equals": "alternativ_1"}
    assert questions[0]["prompts"] == {"safety": {"sv": "Vad gör platsen trygg?"}}
    assert questions[6]["max"] == 120.5
    assert data["languages"] == ["sv", "en", "sv-lattlast"]


def _field_errors_text(html: str) -> str:
    return " | ".join(re.findall(r'<li><a href="#f-[^"]+">([^<]+)</a></li>', html))


def test_a_problem_is_shown_next_to_its_field_and_nothing_is_saved(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    url = f"/planering/enkater/{draft_id}"
    html = client.get(url).get_data(as_text=True)
    response = _press(client, url, html, "save", **{
        "pages-0-questions-0-text-sv": "", "pages-0-questions-0-max_pins": "tio",
        "pages-0-questions-1-id": "karta"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Texten är tom" in _field_error(html, "pages-0-questions-0-text-sv")
    assert "heltal" in _field_error(html, "pages-0-questions-0-max_pins")
    assert "karta" in _field_error(html, "pages-0-questions-1-id")
    assert 'id="f-pages-0-questions-0-text-sv"' in html and 'aria-invalid="true"' in html
    assert 'href="#f-pages-0-questions-0-text-sv"' in html  # the summary links to the field
    count = db.session.execute(select(SurveyDraftRevision).where(
        SurveyDraftRevision.draft_id == draft_id)).scalars().all()
    assert len(count) == 1


def test_buttons_move_and_remove_questions_without_saving(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    url = f"/planering/enkater/{draft_id}"
    html = client.get(url).get_data(as_text=True)
    html = _press(client, url, html, "down pages-0-questions-0").get_data(as_text=True)
    form = read_form(html, EDITOR)
    assert form["pages-0-questions-0-type"] == "consent"
    assert form["pages-0-questions-1-type"] == "map_pin"
    assert re.search(r'id="down-pages-0-questions-1"[^>]*autofocus', html)  # focus follows
    html = _press(client, url, html, "remove pages-0-questions-0").get_data(as_text=True)
    form = read_form(html, EDITOR)
    assert form["pages-0-questions-0-type"] == "map_pin" and "pages-0-questions-1-type" not in form
    assert "consent" in _field_error(html, "survey").lower() or "samtycke" in html.lower()
    assert client.post(url, data={**read_form(html, EDITOR), "action": "remove pages-9"}
                       ).status_code == 400


def test_an_uploaded_yaml_shows_its_diff_and_is_saved_only_when_confirmed(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    url = f"/planering/enkater/{draft_id}"
    original = client.get(f"{url}/yaml").get_data(as_text=True)
    edited = original.replace("sv: Kartan", "sv: Kartan över parken")
    assert edited != original
    response = post(client, f"{url}/ladda-upp", {
        "upload": (io.BytesIO(edited.encode("utf-8")), "parken.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "-    sv: Kartan" in page and "+    sv: Kartan över parken" in page
    assert len(db.session.execute(select(SurveyDraftRevision)).scalars().all()) == 1
    response = post(client, f"{url}/ladda-upp", {
        "confirm": "1", "filename": "parken.yaml", "yaml_text": read_form(
            page.replace("<form method=\"post\" action", "<form id=\"confirm\" method=\"post\" action"),
            "confirm")["yaml_text"]})
    assert response.status_code == 302
    latest = db.session.execute(select(SurveyDraftRevision).order_by(
        SurveyDraftRevision.number.desc())).scalars().first()
    assert latest.number == 2 and latest.yaml_text == edited


def test_a_broken_upload_names_the_line_and_stores_nothing(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    url = f"/planering/enkater/{draft_id}"
    original = client.get(f"{url}/yaml").get_data(as_text=True)
    broken = original.replace("type: consent", "type: signature")
    line = broken.splitlines().index("    type: signature") + 1
    response = post(client, f"{url}/ladda-upp", {
        "upload": (io.BytesIO(broken.encode("utf-8")), "trasig.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"trasig.yaml:{line}:" in page and "signature" in page
    assert len(db.session.execute(select(SurveyDraftRevision)).scalars().all()) == 1


def test_a_dialogue_published_from_a_draft_keeps_its_version_when_the_draft_changes(client, make):
    municipality = make.municipality()
    area = make.area(municipality)
    login(client, make.user(municipality))
    draft_id = _new_draft(client, municipality)
    page = client.get(f"/planering/dialoger/ny?survey=utkast-{draft_id}").get_data(as_text=True)
    assert f'<option selected value="utkast-{draft_id}">' in page
    response = post(client, "/planering/dialoger/ny", {
        "survey": f"utkast-{draft_id}", "area_id": area.id, "title": "Parken",
        "slug": "parken-2026"})
    assert response.status_code == 302, response.get_data(as_text=True)
    dialogue = db.session.execute(select(Dialogue)).scalar_one()
    frozen = definition_from_frozen(dialogue.survey_version.definition)
    assert frozen.title == {"sv": "Parken 2026"}
    url = f"/planering/enkater/{draft_id}"
    html = client.get(url).get_data(as_text=True)
    assert _press(client, url, html, "save", **{"title-sv": "Parken, andra utkastet"}
                  ).status_code == 302
    db.session.expire_all()
    again = db.session.get(Dialogue, dialogue.id)
    assert definition_from_frozen(again.survey_version.definition).title == {"sv": "Parken 2026"}


def test_the_steering_group_reads_the_editor_but_cannot_change_it(client, make):
    municipality = make.municipality()
    worker = make.user(municipality, email="wg@example.se")
    reader = make.user(municipality, "steering_group", email="sg@example.se")
    login(client, worker)
    draft_id = _new_draft(client, municipality)
    client.post("/konto/logga-ut", data={"csrf_token": ""})
    other = client.application.test_client()
    login(other, reader)
    url = f"/planering/enkater/{draft_id}"
    page = other.get(url)
    assert page.status_code == 200 and 'value="save"' not in page.get_data(as_text=True)
    assert post(other, url, {"action": "save"}).status_code == 403
    assert db.session.execute(select(SurveyDraft)).scalar_one().id == draft_id


@pytest.mark.parametrize("name", sorted(p.name for p in SURVEYS.glob("*.yaml")))
def test_every_shipped_survey_goes_through_the_form_unchanged(client, make, name):
    """The form can hold the whole format: a file opened in the editor and saved as it is shows
    residents exactly the same survey (the same content hash)."""
    municipality = make.municipality()
    login(client, make.user(municipality))
    response = post(client, "/planering/enkater", {
        "name": name, "municipality_id": municipality.id, "start": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    draft_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    url = f"/planering/enkater/{draft_id}"
    html = client.get(url).get_data(as_text=True)
    assert "editor-summary" in html and 'role="alert" tabindex="-1" hidden' in html  # no problems
    response = _press(client, url, html, "save")
    assert response.status_code == 302, _field_errors_text(response.get_data(as_text=True))
    first, second = db.session.execute(select(SurveyDraftRevision).where(
        SurveyDraftRevision.draft_id == draft_id).order_by(SurveyDraftRevision.number)).scalars()
    assert first.yaml_text == (SURVEYS / name).read_text(encoding="utf-8")
    assert second.content_hash == first.content_hash
    assert load_definition(SURVEYS / name).content_hash() == second.content_hash


def test_a_long_survey_in_nine_languages_posts_from_the_script_as_multipart(client, make):
    municipality = make.municipality()
    login(client, make.user(municipality))
    response = post(client, "/planering/enkater", {
        "name": "Stor", "municipality_id": municipality.id,
        "start": "trygghet-rattvisa-utveckling.yaml"})
    url = response.headers["Location"]
    html = client.get(url).get_data(as_text=True)
    data = read_form(html, EDITOR)
    data["languages"] = "sv, en, sv-lattlast, ar, so, fi, fa, ti, tr"
    html = client.post(url, data={**data.to_dict(flat=False), "action": "refresh"}).get_data(
        as_text=True)
    data = read_form(html, EDITOR)
    assert len(list(data.items(multi=True))) > 1000  # more than Werkzeug's default limit
    response = client.post(url, data={**data.to_dict(flat=False), "action": "refresh"},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and 'name="title-fi"' in response.get_data(as_text=True)
