"""Small cells are hidden from people outside the working group; raw pins stay under a threshold."""

import json
import re

from ..analysis_helpers import add_pins, login

BUSY = (59.4108, 17.9259)   # five pins: shown to everyone
LONELY = (59.4060, 17.9350)  # one pin, in another 250 m cell: only the working group sees it
BUSIER = (59.4150, 17.9200)  # six pins in a third cell


def _grid_cells(html: str) -> set[str]:
    return set(re.findall(r'<tr data-cell="([^"]+)"', html))


def _dialogue_with_a_lonely_pin(make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(*BUSY, "safety", "negative")] * 5 + [(*LONELY, "justice", "idea")]
             + [(*BUSIER, "justice", "negative")] * 6)
    return dialogue


def test_the_working_group_sees_every_cell(client, make):
    dialogue = _dialogue_with_a_lonely_pin(make)
    login(client, make.user(dialogue.municipality, role="working_group"))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/rutnat?size=250").get_data(as_text=True)
    assert len(_grid_cells(html)) == 3


def test_the_steering_group_never_sees_a_cell_with_fewer_than_five_pins(client, make):
    dialogue = _dialogue_with_a_lonely_pin(make)
    login(client, make.user(dialogue.municipality, role="steering_group"))
    base = f"/planering/analys/dialoger/{dialogue.id}"
    html = client.get(f"{base}/rutnat?size=250").get_data(as_text=True)
    # The lonely cell is hidden, and so is the smallest other cell (complementary suppression):
    # the area's totals are published, so total minus the shown cells would give the 1 back.
    assert len(_grid_cells(html)) == 1
    assert 'id="hidden-cells"' in html
    # The map's GeoJSON carries only the busiest cell too.
    assert html.count('"total": 6') >= 1 and '"total": 1' not in html and '"total": 5' not in html
    analysis = client.get(base).get_data(as_text=True)
    assert 'id="pin-data"' not in analysis  # no raw comments for the steering group
    dashboard = client.get(f"{base}/styrgrupp").get_data(as_text=True)
    assert '"total": 1' not in dashboard and '"total": 6' in dashboard


def test_the_dashboard_hides_small_cells_even_for_the_working_group(client, make):
    dialogue = _dialogue_with_a_lonely_pin(make)
    login(client, make.user(dialogue.municipality, role="working_group"))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}/styrgrupp").get_data(as_text=True)
    assert '"total": 1' not in html and 'id="hidden-cells"' in html


def test_the_page_never_carries_more_raw_pins_than_the_threshold(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "ANALYSIS_MAX_RAW_PINS", 4)
    dialogue = make.dialogue()
    add_pins(dialogue, [(*BUSY, "safety", "negative")] * 4)
    login(client, make.user(dialogue.municipality))
    url = f"/planering/analys/dialoger/{dialogue.id}"

    def raw_pins() -> int:
        html = client.get(url).get_data(as_text=True)
        found = re.search(r'id="pin-data">(.*?)</script>', html, re.S)
        return len(json.loads(found.group(1))) if found else 0

    assert raw_pins() == 4
    add_pins(dialogue, [(*BUSY, "justice", "idea")])
    assert raw_pins() == 0
    assert raw_pins() == 0 and "L.heatLayer(" in client.get(url).get_data(as_text=True)
    # Narrowing the filter below the threshold brings the pins back.
    html = client.get(url + "?sentiment=idea").get_data(as_text=True)
    assert len(json.loads(re.search(r'id="pin-data">(.*?)</script>', html, re.S).group(1))) == 1


def test_a_comment_is_escaped_in_the_pin_data(client, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(*BUSY, "safety", "negative", '<img src=x onerror="alert(1)">')])
    login(client, make.user(dialogue.municipality))
    html = client.get(f"/planering/analys/dialoger/{dialogue.id}").get_data(as_text=True)
    assert "<img src=x" not in html
    popup = json.loads(re.search(r'id="pin-data">(.*?)</script>', html, re.S).group(1))[0][3]
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in popup


def test_the_dashboard_renders_when_every_cell_is_suppressed(client, make):
    """One pin only: no cell reaches the threshold, and the page still answers (it once crashed)."""
    dialogue = make.dialogue()
    add_pins(dialogue, [(*LONELY, "justice", "idea")])
    login(client, make.user(dialogue.municipality, role="steering_group"))
    for view in ("styrgrupp", "rutnat?size=250"):
        response = client.get(f"/planering/analys/dialoger/{dialogue.id}/{view}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'id="hidden-cells"' in html and '"total": 1' not in html
