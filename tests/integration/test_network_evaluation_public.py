"""The evaluation's answers and aggregation, and the public page of open dialogues."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import EvaluationAnswer
from app.network import evaluation

from ..conftest import csrf_from
from .network_helpers import coordinator, login

RANKS = {"prioritera-verktyget": "1", "prioritera-metodstod": "2", "prioritera-analys": "3",
         "prioritera-erfarenhetsutbyte": "4"}


def answer_form(mandat: str) -> dict:
    return {"roll": "arbetsgrupp", "kanaler": ["webb", "plats"], "mandat": mandat,
            "tre_varden": "4", "samtycke": "yes", **RANKS}


def test_a_planner_answers_once_per_round_and_bad_answers_store_nothing(client, make):
    boss = coordinator(make)
    login(client, boss)
    page = client.get("/natverket/utvardering").get_data(as_text=True)
    assert client.post("/natverket/utvardering", data={
        "csrf_token": csrf_from(page), "title": "Fas 4, våren", "phase": "4"}).status_code == 302
    round_id = int(re.search(r"/utvardering/(\d+)/rapport",
                             client.get("/natverket/utvardering").get_data(as_text=True)).group(1))
    kommun = make.municipality()
    planner_client = client.application.test_client()
    login(planner_client, make.user(kommun, "working_group"))
    url = f"/natverket/utvardering/{round_id}/svara"
    form = planner_client.get(url + "?lang=en").get_data(as_text=True)
    assert "What was your role in the dialogue?" in form
    bad = planner_client.post(url, data={"csrf_token": csrf_from(form), "mandat": "9"})
    assert bad.status_code == 422
    assert db.session.execute(select(EvaluationAnswer)).first() is None
    for mandat in ("2", "5"):  # answering again replaces the first answer set
        assert planner_client.post(url, data={"csrf_token": csrf_from(form),
                                              **answer_form(mandat)}).status_code == 302
    stored = db.session.execute(select(EvaluationAnswer)).scalar_one()
    assert stored.answers["mandat"] == 5 and stored.municipality_id == kommun.id
    assert stored.answers["prioritera"] == ["verktyget", "metodstod", "analys", "erfarenhetsutbyte"]


def test_the_steering_group_does_not_answer(client, make):
    with client.application.test_request_context():
        evaluation_round = evaluation.start_round("R", 4)
    db.session.commit()
    login(client, make.user(make.municipality(), "steering_group"))
    assert client.get(f"/natverket/utvardering/{evaluation_round.id}/svara").status_code == 403


def test_the_report_aggregates_the_network_and_hides_small_municipalities(client, make):
    evaluation_round = evaluation.start_round("Fas 4", 4)
    big, small = make.municipality("Storby", "0901"), make.municipality("Lillby", "0902")
    scores = {big: [5, 4, 4, 3, 5, 4], small: [1, 2]}
    for municipality, values in scores.items():
        for value in values:
            user = make.user(municipality, "working_group")
            errors = evaluation.submit(evaluation_round, user, municipality.id,
                                       {"roll": "arbetsgrupp", "kanaler": ["webb"], "mandat": value,
                                        "samtycke": True},
                                       "sv")
            assert errors == {}
    db.session.commit()
    login(client, coordinator(make))
    html = client.get(f"/natverket/utvardering/{evaluation_round.id}/rapport?lang=sv").get_data(as_text=True)
    assert '<span id="total-answers">8</span>' in html
    every = [v for values in scores.values() for v in values]
    network_mean = round(sum(every) / len(every), 2)
    mandat = html.split('data-question="mandat"', 1)[1].split("</section>", 1)[0]
    assert f'<span data-figure="mean">{network_mean}</span>' in mandat
    assert re.search(r'data-option="webb">8<', html)
    rows = html.split('id="per-municipality"', 1)[1].split("</table>", 1)[0]
    storby = rows.split("Storby", 1)[1].split("</tr>", 1)[0]
    lillby = rows.split("Lillby", 1)[1].split("</tr>", 1)[0]
    assert 'data-figure="answers">6<' in storby
    assert f'data-figure="mandat">{round(sum(scores[big]) / 6, 2)}<' in storby
    assert "&lt;5" in lillby and 'data-figure="mandat">–<' in lillby
    phase = client.get("/natverket/utvardering/fas/4").get_data(as_text=True)
    assert '<span id="total-answers">8</span>' in phase


def test_the_public_page_lists_only_open_dialogues(client, make):
    shown = make.dialogue(title="Öppen dialog i Husby")
    hidden = [make.dialogue(title=f"Dold {status}", status=status)
              for status in ("draft", "closed", "archived")]
    html = client.get("/natverket").get_data(as_text=True)
    assert "Öppen dialog i Husby" in html and f"/d/{shown.slug}" in html
    for dialogue in hidden:
        assert dialogue.title not in html and f"/d/{dialogue.slug}" not in html
    data = client.get("/api/v1/network/dialogues").get_json()
    assert [d["title"] for d in data["dialogues"]] == ["Öppen dialog i Husby"]
    assert data["dialogues"][0]["url"].endswith(f"/d/{shown.slug}")


def test_a_dialogue_title_is_escaped_in_the_map_popup(client, make):
    make.dialogue(title='<img src=x onerror="alert(1)">')
    html = client.get("/natverket").get_data(as_text=True)
    assert '<img src=x onerror' not in html
