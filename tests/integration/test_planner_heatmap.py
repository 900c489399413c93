"""The first planner view: a heat layer per value, behind a login, scoped to the municipality."""

import re

from ..conftest import csrf_from


def login(client, user, password="rätt-lösenord-123"):
    page = client.get("/konto/logga-in").get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": password,
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def test_the_heatmap_needs_a_login(client, make):
    dialogue = make.dialogue()
    response = client.get(f"/planering/dialoger/{dialogue.id}/varmekarta")
    assert response.status_code == 302
    assert "/konto/logga-in" in response.headers["Location"]


def test_the_heatmap_counts_pins_per_value_and_draws_a_layer_for_each(client, make):
    dialogue = make.dialogue()
    for value, n in (("safety", 3), ("justice", 1), ("development", 2)):
        for i in range(n):
            make.pin(dialogue, lat=59.4108 + i * 0.001, value=value)
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/dialoger/{dialogue.id}/varmekarta", follow_redirects=True).get_data(
        as_text=True)
    counts = dict(re.findall(r'data-value="(\w+)">(\d+)<', html))
    assert counts == {"safety": "3", "justice": "1", "development": "2"}
    assert html.count("L.heatLayer(") == 3
    assert "/vendor/folium/leaflet_heat.min.js" in html


def test_another_municipalitys_dialogue_answers_404(client, make):
    theirs = make.dialogue()
    mine = make.municipality()
    login(client, make.user(mine))
    assert client.get(f"/planering/analys/dialoger/{theirs.id}").status_code == 404
    assert theirs.title not in client.get("/planering/").get_data(as_text=True)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make):
    user = make.user(make.municipality())
    page = client.get("/konto/logga-in", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": "fel",
    }, headers={"Accept-Language": "sv"})
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet är fel" in response.get_data(as_text=True)
