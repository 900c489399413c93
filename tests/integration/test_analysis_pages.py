"""The analysis pages as planners and the steering group see them."""

import json
import re

from ..analysis_helpers import add_pins, login


def test_the_analysis_page_has_a_heat_layer_per_value_and_counts(client, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108 + i * 0.001, 17.9259, v, "negative")
                        for v, n in (("safety", 3), ("justice", 1), ("development", 2))
                        for i in range(n)])
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}?lang=en").get_data(as_text=True)
    counts = dict(re.findall(r'data-value="(\w+)">(\d+)<', html))
    assert counts == {"safety": "3", "justice": "1", "development": "2"}
    assert html.count("L.heatLayer(") == 3
    pins = json.loads(re.search(r'<script type="application/json" id="pin-data">(.*?)</script>',
                                html, re.S).group(1))
    assert len(pins) == 6


def test_the_old_heatmap_address_redirects_to_the_analysis_page(client, make):
    dialogue = make.dialogue()
    login(client, make.user(dialogue.municipality))
    response = client.get(f"/planering/dialoger/{dialogue.id}/varmekarta")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/planering/analys/dialoger/{dialogue.id}")


def _pages(dialogue):
    base = f"/planering/analys/dialoger/{dialogue.id}"
    return [base, f"{base}/rutnat", f"{base}/rutnat?size=100", f"{base}/statistik",
            f"{base}/styrgrupp"]


def test_every_analysis_page_renders_for_the_working_group_and_the_steering_group(app, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative")] * 6,
             answers={"alder": "age_25_44", "relation": ["bor", "arbetar"], "trygg_kvall": 4,
                      "undviker_platser": "ja"})
    for role in ("working_group", "steering_group"):
        client = app.test_client()
        login(client, make.user(dialogue.municipality, role=role))
        for url in _pages(dialogue):
            response = client.get(url + ("&" if "?" in url else "?") + "lang=en")
            assert response.status_code == 200, (role, url)


def test_statistics_count_answers_and_groups(client, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative")] * 3,
             answers={"alder": "age_25_44", "trygg_kvall": 4, "undviker_platser": "ja"})
    add_pins(dialogue, [(59.4108, 17.9259, "justice", "idea")] * 2,
             answers={"alder": "age_16_24", "trygg_kvall": 2, "undviker_platser": "nej"})
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/statistik?lang=en").get_data(
        as_text=True)
    table = html[html.index('id="question-trygg_kvall"'):]
    assert re.search(r'data-option="4">3<', table) and re.search(r'data-option="2">2<', table)
    group = html[html.index('id="group-alder"'):]
    row = re.search(r'data-group="age_25_44">(.*?)</tr>', group, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row) == ["3", "60 %", "3", "0", "0"]
