"""folium maps for our pages, with assets served locally and a configurable tile layer."""

from __future__ import annotations

import json
import re

import folium
from branca.element import MacroElement
from flask import url_for
from flask_babel import gettext as _
from jinja2 import Template
from markupsafe import Markup
from shapely import from_geojson

from .security import csp_nonce
from .spatial import folium_bounds


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's own adds miles and feet)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


class PlaceLabels(MacroElement):
    """The named places as labels on the map (drawn by place-labels.js, data in the map's script)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "PlatsdialogPlaceLabels.add({{ this._parent.get_name() }}, {{ this.data }});"
        "{% endmacro %}"
    )

    def __init__(self, places: list[tuple[float, float, str]]) -> None:
        super().__init__()
        rows = [[round(lat, 6), round(lng, 6), name] for lat, lng, name in places]
        # JSON inside a <script>: "<" escaped, so a name can never close the element.
        self.data = Markup(json.dumps(rows, ensure_ascii=False).replace("<", "\\u003c"))


class MapCredits(MacroElement):
    """The attribution's "i" button, which folds the credits away on a narrow map (map-credits.js)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "PlatsdialogMapCredits.add({{ this._parent.get_name() }}, {{ this.texts }});"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        texts = {"label": _("About the map")}
        self.texts = Markup(json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c"))


def base_map(height: str = "60vh", basemap=None, *, prefer_canvas: bool = True) -> folium.Map:
    """An empty folium map with our base map's tiles under it (none: a plain background)."""
    from .basemap.leaflet import add_base_tiles, map_options

    m = folium.Map(tiles=None, height=height, control_scale=False, prefer_canvas=prefer_canvas,
                   zoom_snap=0.25,
                   **map_options(basemap))
    MetricScale().add_to(m)
    MapCredits().add_to(m)
    m.default_js = [*m.default_js, ("map-locale", url_for("static", filename="js/map-locale.js")),
                    ("map-credits", url_for("static", filename="js/map-credits.js")),
                    ("place-labels", url_for("static", filename="js/place-labels.js"))]
    if basemap is not None:
        add_base_tiles(m, basemap)
    return m


def area_map(area_geojson: str, *, outline_label: str, height: str = "60vh", basemap=None) -> folium.Map:
    """A map fitted to the area's outline with its named places as labels, on the base map if there
    is one, else a plain background."""
    from .areas import named_places_within

    m = base_map(height, basemap)
    outline = from_geojson(area_geojson)
    folium.GeoJson(
        json.loads(area_geojson),
        name=outline_label,
        style_function=lambda _feature: {
            "color": "#1a1a1a",
            "weight": 3,
            "fillColor": "#ffffff",
            "fillOpacity": 0.15,
            "interactive": False,
        },
        control=False,
    ).add_to(m)
    places = named_places_within(outline)
    if places:
        PlaceLabels(places).add_to(m)
    m.fit_bounds(folium_bounds(outline))
    return m


# folium writes a page of its own: a viewport that forbids zooming (WCAG 1.4.4) and full-page
# styles on html and body. Our pages have their own; these would break them.
_FOLIUM_PAGE_ONLY = re.compile(
    r"<meta name=\"viewport\"[^>]*>|<style>\s*html, body \{[^}]*\}\s*</style>|"
    r"<meta http-equiv=\"content-type\"[^>]*>"
)


# folium's own inline <script> and <style> elements (never ones with a src: those are ours).
_INLINE_TAG = re.compile(r"<(script|style)(?![^>]*\bsrc=)(?=[\s>])")


def with_nonce(markup: str) -> str:
    """Folium's inline script and style elements marked with this request's CSP nonce."""
    nonce = csp_nonce()
    return _INLINE_TAG.sub(lambda tag: f'<{tag.group(1)} nonce="{nonce}"', markup)


def embed(m: folium.Map) -> dict[str, Markup]:
    """The pieces of a rendered folium map to place in our own page template (CSP nonce added)."""
    root = m.get_root()
    root.render()
    return {
        "name": Markup(m.get_name()),
        "header": Markup(with_nonce(_FOLIUM_PAGE_ONLY.sub("", root.header.render()))),
        "html": Markup(with_nonce(root.html.render())),
        "script": Markup(with_nonce(f"<script>{root.script.render()}</script>")),
    }
