"""folium maps for our pages, with assets served locally and a configurable tile layer."""

from __future__ import annotations

import json
import re

import folium
from branca.element import MacroElement
from flask import url_for
from jinja2 import Template
from markupsafe import Markup
from shapely import from_geojson

from .spatial import folium_bounds


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's own adds miles and feet)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


def base_map(height: str = "60vh", basemap=None, *, prefer_canvas: bool = True) -> folium.Map:
    """An empty folium map with our base map's tiles under it (none: a plain background)."""
    from .basemap.leaflet import add_base_tiles, map_options

    m = folium.Map(tiles=None, height=height, control_scale=False, prefer_canvas=prefer_canvas,
                   zoom_snap=0.25,
                   **map_options(basemap))
    MetricScale().add_to(m)
    m.default_js = [*m.default_js, ("map-locale", url_for("static", filename="js/map-locale.js"))]
    if basemap is not None:
        add_base_tiles(m, basemap)
    return m


def area_map(area_geojson: str, *, outline_label: str, height: str = "60vh", basemap=None) -> folium.Map:
    """A map fitted to the area's outline, on the base map if there is one, else a plain background."""
    m = base_map(height, basemap)
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
    m.fit_bounds(folium_bounds(from_geojson(area_geojson)))
    return m


# folium writes a page of its own: a viewport that forbids zooming (WCAG 1.4.4) and full-page
# styles on html and body. Our pages have their own; these would break them.
_FOLIUM_PAGE_ONLY = re.compile(
    r"<meta name=\"viewport\"[^>]*>|<style>\s*html, body \{[^}]*\}\s*</style>|"
    r"<meta http-equiv=\"content-type\"[^>]*>"
)


def embed(m: folium.Map) -> dict[str, Markup]:
    """The pieces of a rendered folium map to place in our own page template."""
    root = m.get_root()
    root.render()
    return {
        "name": Markup(m.get_name()),
        "header": Markup(_FOLIUM_PAGE_ONLY.sub("", root.header.render())),
        "html": Markup(root.html.render()),
        "script": Markup(f"<script>{root.script.render()}</script>"),
    }
