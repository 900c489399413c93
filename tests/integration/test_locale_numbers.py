"""Numbers in the page's language (Babel): "0,92" in Swedish, "0.92" in English; and the areas
table names an imported file by its name, never by the server's path."""

from __future__ import annotations

import re

from app.areas import store_area
from app.extensions import db

from ..analysis_helpers import add_pins, login
from ..factories import husby_polygon


def test_the_balance_index_is_written_in_the_pages_language(client, make):
    dialogue = make.dialogue()
    add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative")] * 3
             + [(59.4108, 17.9259, "justice", "idea")] * 2
             + [(59.4108, 17.9259, "development", "idea")] * 1)
    login(client, make.user(dialogue.municipality))
    index = {}
    for lang in ("sv", "en"):
        html = client.get(f"/planering/analys/dialoger/{dialogue.id}?lang={lang}").get_data(
            as_text=True)
        index[lang] = re.search(r'id="balance-index">([^<]+)<', html).group(1)
    assert re.fullmatch(r"0,\d\d", index["sv"]) and re.fullmatch(r"0\.\d\d", index["en"])
    assert index["sv"].replace(",", ".") == index["en"]


def test_the_areas_table_shows_the_file_name_not_the_server_path(client, make):
    municipality = make.municipality()
    store_area(municipality, "Husby", husby_polygon(), source="/srv/platsdialog/data/stadsdelar.shp")
    db.session.commit()
    login(client, make.user(municipality))
    html = client.get("/planering/omraden?lang=sv").get_data(as_text=True)
    assert "stadsdelar.shp" in html and "/srv/platsdialog" not in html
    assert re.search(r"<td data-km2>\d+,\d\d</td>", html)
