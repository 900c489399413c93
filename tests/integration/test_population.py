"""Who answered against who lives there: importing a population table, comparing and weighting.

The expected figures are computed here, from the respondents and inhabitants the test made, with
plain loops: an independent second computation of what app/population/compare.py does in SQL.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html import unescape
from pathlib import Path

from flask import g
from sqlalchemy import func, select

from app.extensions import db
from app.models import Dialogue, PopulationCount, PopulationTable

from ..analysis_helpers import add_pins
from .planner_helpers import login

EXAMPLE = Path(__file__).resolve().parents[2] / "geodata" / "befolkning-husby-exempel.csv"
# Inhabitants of two areas by SCB age band and sex (invented for the test).
POPULATION = {
    ("A1", "20-24 år", "kvinnor"): 100, ("A1", "20-24 år", "män"): 120,
    ("A1", "25-29 år", "kvinnor"): 150, ("A1", "25-29 år", "män"): 130,
    ("A1", "65-69 år", "kvinnor"): 60, ("A1", "65-69 år", "män"): 40,
    ("A2", "20-24 år", "kvinnor"): 80, ("A2", "20-24 år", "män"): 70,
    ("A2", "25-29 år", "kvinnor"): 90, ("A2", "25-29 år", "män"): 110,
    ("A2", "65-69 år", "kvinnor"): 30, ("A2", "65-69 år", "män"): 20,
}
# The survey's option per SCB band (surveys/trygghet-rattvisa-utveckling.yaml, population:).
AGE_OPTION = {"20-24 år": "age_16_24", "25-29 år": "age_25_44", "65-69 år": "age_65_79"}
SEX_OPTION = {"kvinnor": "kvinna", "män": "man"}
# Respondents: (age option, sex option, [(value, sentiment) of their pins]).
RESPONDENTS = (
    [("age_16_24", "kvinna", [("safety", "negative")])] * 6
    + [("age_16_24", "man", [("safety", "positive")])] * 2
    + [("age_25_44", "kvinna", [("justice", "negative")])] * 5
    + [("age_25_44", "man", [("justice", "positive")])] * 3
    + [("age_65_79", "kvinna", [("safety", "negative")])] * 9
    + [("age_65_79", "man", [("development", "idea")])] * 6
    + [("vill_inte_svara", "kvinna", [("safety", "positive")])] * 2  # age not compared
    + [(None, "man", [("safety", "negative")])] * 1  # age unanswered
)


def population_csv(rows: dict = POPULATION) -> bytes:
    lines = ["område;ålder;kön;antal"] + [f"{a};{age};{sex};{n}" for (a, age, sex), n in rows.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _token(client, url: str, name: str) -> str:
    """The CSRF token of a prefixed form (the shared app context's cached token dropped first)."""
    g.pop("csrf_token", None)
    page = client.get(url).get_data(as_text=True)
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)


def _import(client, dialogue_id: int, data: bytes, name: str = "Testbefolkning", **extra):
    token = _token(client, f"/planering/dialoger/{dialogue_id}/befolkning", "upload-csrf_token")
    return client.post(f"/planering/dialoger/{dialogue_id}/befolkning/importera", data={
        "upload-csrf_token": token, "upload-name": name,
        "upload-upload": (io.BytesIO(data), "befolkning.csv"), **extra,
    }, content_type="multipart/form-data")


def _add_respondents(dialogue):
    for age, sex, pins in RESPONDENTS:
        answers = {"kon": sex}
        if age:
            answers["alder"] = age
        add_pins(dialogue, [(59.4108, 17.9259, v, s) for v, s in pins], answers=answers)


def expected(areas=("A1", "A2")):
    """Shares, ratios, scores, weights and weighted pins, computed the long way."""
    inhabitants = Counter()
    for (area, age, sex), n in POPULATION.items():
        if area in areas:
            inhabitants[(AGE_OPTION[age], SEX_OPTION[sex])] += n
    total = sum(inhabitants.values())
    out = {}
    for index, question in ((0, "alder"), (1, "kon")):
        answered = [r for r in RESPONDENTS if r[index] in (AGE_OPTION if index == 0 else SEX_OPTION).values()]
        groups = sorted({k[index] for k in inhabitants})
        rows = {}
        for group in groups:
            resp_share = sum(1 for r in answered if r[index] == group) / len(answered)
            pop_share = sum(n for k, n in inhabitants.items() if k[index] == group) / total
            rows[group] = (resp_share, pop_share, resp_share / pop_share)
        ratios = [r[2] for r in rows.values()]
        out[question] = (rows, min(ratios) / max(ratios))
    classified = [r for r in RESPONDENTS if r[0] in AGE_OPTION.values()]
    n = len(classified)
    weights = {}
    for cell, big_n in inhabitants.items():
        n_cell = sum(1 for r in classified if (r[0], r[1]) == cell)
        weights[cell] = (big_n / total) / (n_cell / n)
    weighted = Counter()
    for age, sex, pins in classified:
        for value, sentiment in pins:
            weighted[(value, sentiment)] += weights[(age, sex)]
    out["weights"], out["weighted"], out["used"] = weights, weighted, n
    return out


def test_a_planner_imports_a_population_file_and_the_dialogue_is_compared_with_it(client, make):
    dialogue = make.dialogue()
    dialogue_id, municipality_id = dialogue.id, dialogue.municipality_id
    login(client, make.user(dialogue.municipality, role="project_leader"))
    response = _import(client, dialogue_id, population_csv(), "SCB DeSO 2024")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "SCB DeSO 2024" in page and "1000" in page
    db.session.expire_all()  # the requests ran in their own app contexts
    table = db.session.execute(select(PopulationTable)).scalar_one()
    assert (table.municipality_id, table.total, table.dimensions) == (municipality_id, 1000, ["age", "sex"])
    assert db.session.get(Dialogue, dialogue_id).population_table_id == table.id
    stored = {(c.area_code, c.age, c.sex): c.inhabitants
              for c in db.session.execute(select(PopulationCount)).scalars()}
    assert stored == POPULATION


def test_a_bad_population_file_is_refused_line_by_line_in_swedish_and_nothing_is_stored(client, make):
    dialogue = make.dialogue()
    login(client, make.user(dialogue.municipality))
    bad = ("område;ålder;kön;antal\n"
           "A1;20-24 år;kvinnor;100\n"
           "A1;25-29 år;män;många\n"
           "A1;totalt;kvinnor;900\n"
           "A1;20-24 år;kvinnor;5\n"
           "A2;65-69 år;;7\n"
           "A2;65-69 år;män;..\n").encode()
    response = _import(client, dialogue.id, bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    problems = [unescape(p) for p in re.findall(r"<li>(Rad \d+:[^<]*)</li>", html)]
    assert [p.split(":")[0] for p in problems] == ["Rad 3", "Rad 4", "Rad 5", "Rad 6", "Rad 7"]
    assert problems[0] == "Rad 3: 'många' är inte ett helt antal invånare."
    assert "'totalt' är en summa av andra rader" in problems[1]
    assert problems[2] == "Rad 5: samma område och grupp som rad 2."
    assert problems[3] == "Rad 6: kolumnen kön är tom."
    assert "sekretessmarkerat" in problems[4]
    assert "ingenting har sparats" in html.lower()
    assert db.session.execute(select(func.count()).select_from(PopulationTable)).scalar_one() == 0
    assert db.session.execute(select(func.count()).select_from(PopulationCount)).scalar_one() == 0
    header_only = _import(client, dialogue.id, b"region;antal\nA1;5\n")
    assert header_only.status_code == 422
    assert "Rad 1: filen behöver en kolumn ålder eller kön" in header_only.get_data(as_text=True)


def test_the_command_imports_an_scb_pxweb_file_and_refuses_a_bad_one(runner, make, tmp_path):
    dialogue = make.dialogue()
    kommunkod, slug, dialogue_id = dialogue.municipality.kommunkod, dialogue.slug, dialogue.id
    good = tmp_path / "scb.csv"
    # SCB's PxWeb: comma-separated, Windows-1252, region as "code name", the year as the count.
    good.write_bytes(('"region","ålder","kön","2024"\n'
                      '"0180C1090 Husby","25-29 år","kvinnor",412\n'
                      '"0180C1090 Husby","25-29 år","män",398\n').encode("cp1252"))
    result = runner.invoke(args=["population", "import", str(good), "--kommunkod", kommunkod,
                                 "--name", "SCB 2024", "--dialogue", slug])
    assert result.exit_code == 0, result.output
    assert "810 invånare i 1 områden" in result.output
    db.session.expire_all()
    table = db.session.execute(select(PopulationTable)).scalar_one()
    count = db.session.execute(select(PopulationCount).where(PopulationCount.sex == "män")).scalar_one()
    assert (count.area_code, count.area_name, count.inhabitants) == ("0180C1090", "Husby", 398)
    assert db.session.get(Dialogue, dialogue_id).population_table_id == table.id
    bad = tmp_path / "bad.csv"
    bad.write_text("område;kön;antal\nA1;kvinnor;-3\n", encoding="utf-8")
    result = runner.invoke(args=["population", "import", str(bad), "--kommunkod", kommunkod,
                                 "--name", "Fel"])
    assert result.exit_code == 1
    assert "bad.csv: Rad 2: '-3' är inte ett helt antal invånare." in result.output
    assert db.session.execute(select(func.count()).select_from(PopulationTable)).scalar_one() == 1


def sv(x: float, digits: int) -> str:
    """A number as a Swedish page shows it: a decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


def _figures(html: str, question_id: str) -> dict:
    table = html[html.index(f'id="representation-{question_id}"'):]
    table = table[:table.index("</table>")]
    rows = {}
    for group, body in re.findall(r'<tr data-group="(\w+)">(.*?)</tr>', table, re.S):
        cells = dict(re.findall(r"<td data-([\w-]+)>([^<]*)</td>", body))
        rows[group] = cells
    score = re.search(r"<td colspan=\"4\" data-score>([^<]*)</td>", table).group(1)
    return {"rows": rows, "score": score}


def test_the_statistics_page_compares_and_weights_as_an_independent_computation_does(client, make):
    dialogue = make.dialogue()
    _add_respondents(dialogue)
    login(client, make.user(dialogue.municipality))
    assert _import(client, dialogue.id, population_csv()).status_code == 302
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/statistik").get_data(as_text=True)
    want = expected()
    for question in ("alder", "kon"):
        rows, score = want[question]
        shown = _figures(html, question)
        assert shown["score"] == sv(score, 2)
        for group, (resp_share, pop_share, ratio) in rows.items():
            cells = shown["rows"][group]
            assert cells["respondent-share"] == sv(resp_share * 100, 1) + " %"
            assert cells["population-share"] == sv(pop_share * 100, 1) + " %"
            assert cells["ratio"] == sv(ratio, 2)
    weighted = dict(re.findall(r'<tr data-value="(\w+)">.*?<td data-weighted>([^<]*)</td>', html, re.S))
    for value in ("safety", "justice", "development"):
        total = sum(w for (v, _s), w in want["weighted"].items() if v == value)
        assert weighted[value] == sv(total, 1)
    method = re.search(r'id="weighting-method">(.*?)</p>', html, re.S).group(1)
    assert "poststratifiering på alder × kon" in method
    assert f"de {want['used']} svarande" in method and "3 är utelämnade" in method

    # The same numbers, unrounded, from the service the page uses.
    from app.population.compare import compare
    from app.surveys import definition_from_frozen

    db.session.expire_all()  # the requests ran in their own app contexts
    fresh = db.session.get(Dialogue, dialogue.id)
    result = compare(fresh, definition_from_frozen(fresh.survey_version.definition), "sv", min_count=0)
    assert {k: round(v, 9) for k, v in result.weighting.weights.items()} == {
        k: round(v, 9) for k, v in want["weights"].items()}
    for (value, sentiment), w in want["weighted"].items():
        assert abs(result.values[value][sentiment] - w) < 1e-9


def test_choosing_some_areas_compares_with_those_areas_only(client, make):
    from .planner_helpers import post

    dialogue = make.dialogue()
    _add_respondents(dialogue)
    login(client, make.user(dialogue.municipality))
    assert _import(client, dialogue.id, population_csv()).status_code == 302
    table_id = db.session.execute(select(PopulationTable.id)).scalar_one()
    token = _token(client, f"/planering/dialoger/{dialogue.id}/befolkning", "choice-csrf_token")
    response = client.post(f"/planering/dialoger/{dialogue.id}/befolkning/valj", data={
        "choice-csrf_token": token, "choice-table_id": str(table_id), "choice-areas": ["A2"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dialogue, dialogue.id).population_areas == ["A2"]
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/statistik").get_data(as_text=True)
    rows, score = expected(areas=("A2",))["kon"]
    share = _figures(html, "kon")["rows"]["kvinna"]["population-share"]
    assert share == sv(rows['kvinna'][1] * 100, 1) + " %"
    assert _figures(html, "kon")["score"] == sv(score, 2)
    assert post(client, f"/planering/dialoger/{dialogue.id}/befolkning/valj").status_code == 400


def test_the_steering_group_sees_small_groups_hidden_and_the_score_without_them(client, make):
    dialogue = make.dialogue()
    _add_respondents(dialogue)  # two men aged 16-24 ... only 8 aged 16-24; men 12
    login(client, make.user(dialogue.municipality))
    assert _import(client, dialogue.id, population_csv()).status_code == 302
    steering = make.user(dialogue.municipality, role="steering_group")
    client.get("/konto/logga-ut")
    other = client.application.test_client()
    login(other, steering)
    html = other.get(f"/planering/analys/dialoger/{dialogue.id}/styrgrupp").get_data(as_text=True)
    shown = _figures(html, "alder")
    assert set(shown["rows"]) == {"age_16_24", "age_25_44", "age_65_79", "age_45_64", "age_80_plus"}
    # Every age group with respondents has at least 5 here; build a small one to be hidden.
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "idea")] * 2, answers={"alder": "age_45_64"})
    html = other.get(f"/planering/analys/dialoger/{dialogue.id}/styrgrupp").get_data(as_text=True)
    row = re.search(r'<tr data-group="age_45_64">(.*?)</tr>', html, re.S).group(1)
    assert "färre än 5" in row and "data-respondents" not in row


def test_the_demo_ships_an_example_table_marked_as_an_example(app):
    from app.population.importer import parse_population_csv

    with app.app_context():
        parsed = parse_population_csv(EXAMPLE.read_bytes())
    assert not parsed.problems
    assert parsed.dimensions == ["age", "sex", "birth_country"]
    assert all("(exempel)" in r.area_name for r in parsed.rows)
