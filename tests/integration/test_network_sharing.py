"""Shared templates, municipality profiles and lessons learned."""

from sqlalchemy import select

from app.extensions import db
from app.models import LessonLearned, MunicipalityProfile, NetworkMember, SharedTemplate, TemplateAdoption
from app.network.sharing import SURVEYS_DIR, as_yaml

from ..conftest import csrf_from
from .network_helpers import coordinator, login, logout

SURVEY = "trygghetsvandring.yaml"


def publish(client, label, yaml_text=""):
    page = client.get("/natverket/mallar").get_data(as_text=True)
    return client.post("/natverket/mallar", data={
        "csrf_token": csrf_from(page), "source": SURVEY, "version_label": label,
        "change_notes": f"Ändringar i {label}", "definition_yaml": yaml_text,
    })


def test_the_coordinator_publishes_versions_and_a_municipality_adapts_one(client, make, app):
    boss = coordinator(make)
    login(client, boss)
    assert publish(client, "1.0").status_code == 302
    assert publish(client, "1.0").status_code == 422  # the same label twice is refused
    original = (SURVEYS_DIR / SURVEY).read_text(encoding="utf-8")
    edited = original.replace("  sv: Trygghetsvandring\n", "  sv: Trygghetsvandring 2.0\n", 1)
    assert edited != original
    assert publish(client, "2.0", edited).status_code == 302
    templates = db.session.execute(select(SharedTemplate).order_by(SharedTemplate.id)).scalars().all()
    assert [t.version_label for t in templates] == ["1.0", "2.0"]
    assert templates[0].survey_version_id != templates[1].survey_version_id
    assert templates[1].change_notes == "Ändringar i 2.0"

    logout(client)
    kommun = make.municipality("Anpassby", "0555")
    login(client, make.user(kommun, "project_leader"))
    form = client.get(f"/natverket/mallar/{templates[0].id}/anvand").get_data(as_text=True)
    yaml_text = as_yaml(templates[0].survey_version.definition)
    adapted = yaml_text.replace("Trygghetsvandring", "Trygghetsvandring i Anpassby", 1)
    response = client.post(f"/natverket/mallar/{templates[0].id}/anvand", data={
        "csrf_token": csrf_from(form), "municipality_id": kommun.id, "definition_yaml": adapted,
    })
    assert response.status_code == 302
    adoption = db.session.execute(select(TemplateAdoption)).scalar_one()
    assert (adoption.municipality_id, adoption.template_id) == (kommun.id, templates[0].id)
    assert adoption.survey_version.definition != templates[0].survey_version.definition

    diff = client.get(f"/natverket/mallar/anvandning/{adoption.id}").get_data(as_text=True)
    assert "<del>-" in diff and "<ins>+" in diff and "Trygghetsvandring i Anpassby" in diff
    listing = client.get("/natverket/mallar").get_data(as_text=True)
    assert "Anpassby" in listing and "2.0" in listing


def test_a_broken_adaptation_is_refused_and_nothing_is_stored(client, make):
    boss = coordinator(make)
    login(client, boss)
    publish(client, "1.0")
    template = db.session.execute(select(SharedTemplate)).scalar_one()
    logout(client)
    kommun = make.municipality()
    login(client, make.user(kommun, "working_group"))
    form = client.get(f"/natverket/mallar/{template.id}/anvand").get_data(as_text=True)
    response = client.post(f"/natverket/mallar/{template.id}/anvand", data={
        "csrf_token": csrf_from(form), "municipality_id": kommun.id,
        "definition_yaml": "format: 1\nid: trygghetsvandring\npages: []\n",
    })
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert db.session.execute(select(TemplateAdoption)).first() is None


def test_only_the_coordinator_publishes(client, make):
    login(client, make.user(make.municipality(), "project_leader"))
    assert publish(client, "9.9").status_code == 403


def test_the_project_leader_edits_the_profile_and_the_coordinator_reads_it(client, make):
    kommun = make.municipality("Profilby", "0666")
    area = make.area(kommun, name="Centrum")
    leader = make.user(kommun, "project_leader")
    colleague = make.user(kommun, "working_group", display_name="Kollega")
    login(client, leader)
    page = client.get(f"/natverket/kommuner/{kommun.id}").get_data(as_text=True)
    assert client.post(f"/natverket/kommuner/{kommun.id}", data={
        "csrf_token": csrf_from(page), "council_decision_on": "2026-03-12",
        "council_decision_reference": "KS 2026/123", "chosen_area_id": area.id,
    }).status_code == 302
    for name, role, email in (("Ada Ordförande", "steering_group", ""),
                              ("Kollega", "working_group", colleague.email)):
        assert client.post(f"/natverket/kommuner/{kommun.id}/personer", data={
            "csrf_token": csrf_from(page), "name": name, "role": role, "email": email,
        }).status_code == 302
    profile = db.session.execute(select(MunicipalityProfile)).scalar_one()
    assert (profile.council_decision_reference, profile.chosen_area_id) == ("KS 2026/123", area.id)
    members = {m.name: m for m in db.session.execute(select(NetworkMember)).scalars()}
    assert members["Kollega"].user_id == colleague.id and members["Ada Ordförande"].user_id is None

    logout(client)
    boss = coordinator(make)
    login(client, boss)
    html = client.get(f"/natverket/kommuner/{kommun.id}?lang=sv").get_data(as_text=True)
    assert "KS 2026/123" in html and "2026-03-12" in html and "Centrum" in html
    assert "Ada Ordförande" in html and colleague.email in html
    assert 'name="council_decision_reference"' not in html  # the coordinator reads, not edits
    assert client.post(f"/natverket/kommuner/{kommun.id}/personer", data={
        "csrf_token": csrf_from(html), "name": "X", "role": "working_group"}).status_code == 403


def test_lessons_are_written_after_closing_and_found_by_search(client, make):
    kommun = make.municipality("Lärby", "0777")
    closed = make.dialogue(make.area(kommun), status="closed", title="Parken")
    still_open = make.dialogue(make.area(kommun), title="Torget")
    login(client, make.user(kommun, "working_group"))
    page = client.get(f"/natverket/dialoger/{closed.id}/lardomar").get_data(as_text=True)
    empty = client.post(f"/natverket/dialoger/{closed.id}/lardomar", data={"csrf_token": csrf_from(page)})
    assert empty.status_code == 422
    assert client.post(f"/natverket/dialoger/{closed.id}/lardomar", data={
        "csrf_token": csrf_from(page), "channels": "Affischer vid busshållplatsen",
        "worked": "Trygghetsvandringen med skolan", "not_reached": "Äldre personer",
    }).status_code == 302
    assert client.get(f"/natverket/dialoger/{still_open.id}/lardomar").status_code == 302
    assert db.session.execute(select(LessonLearned)).scalar_one().dialogue_id == closed.id
    assert "Parken" in client.get("/natverket/lardomar?q=busshållplats").get_data(as_text=True)
    assert "Parken" in client.get("/natverket/lardomar?q=trygghetsvandringen").get_data(as_text=True)
    assert "Parken" not in client.get("/natverket/lardomar?q=simhall").get_data(as_text=True)
    assert "Parken" not in client.get("/natverket/lardomar?q=%25").get_data(as_text=True)


def test_another_municipality_cannot_write_a_dialogues_lessons(client, make):
    theirs = make.dialogue(status="closed")
    login(client, make.user(make.municipality(), "project_leader"))
    assert client.get(f"/natverket/dialoger/{theirs.id}/lardomar").status_code == 404
