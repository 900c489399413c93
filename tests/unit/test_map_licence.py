"""The licence a base map is under, as its attribution shows it: a link to the licence's text
where we know it, plain escaped text otherwise (a planner's words are never markup)."""

from __future__ import annotations

import pytest

from app.basemap.leaflet import licence_html


@pytest.mark.parametrize(("licence", "deed"), [
    ("CC0 1.0 (Stockholms stad)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/"),
    ("cc-by-sa", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("ODbL 1.0 (© OpenStreetMaps bidragsgivare)", "https://opendatacommons.org/licenses/odbl/"),
    ("https://www.lantmateriet.se/sv/geodata/oppna-data/", "https://www.lantmateriet.se/sv/geodata/oppna-data/"),
])
def test_a_known_licence_links_to_its_text(licence, deed):
    assert str(licence_html(licence)) == f'<a href="{deed}" rel="license">{licence.replace("&", "&amp;")}</a>'


@pytest.mark.parametrize("licence", ["Egen licens <b>x</b>", "CCBY", "javascript:alert(1)",
                                     'https://x.se/" onmouseover="alert(1)'])
def test_any_other_licence_is_plain_escaped_text(licence):
    shown = str(licence_html(licence))
    assert "<a" not in shown and "<b>" not in shown and '"' not in shown.replace("&#34;", "")
