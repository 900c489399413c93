"""folium maps for our pages, with assets served locally and a configurable tile layer."""

from __future__ import annotations

import json
import re

import folium
from flask import current_app
from markupsafe import Markup
from shapely import from_geojson

from .spatial import folium_bounds


def area_map(area_geojson: str, *, outline_label: str, height: str = "60vh") -> folium.Map:
    """A map fitted to the area's outline, on tiles if configured, else on a plain background."""
    tile_url = current_app.config.get("TILE_URL") or None
    m = folium.Map(
        tiles=None,
        height=height,
        control_scale=True,
        prefer_canvas=True,
        zoom_snap=0.25,
    )
    if tile_url:
        folium.TileLayer(
            tiles=tile_url, attr=current_app.config.get("TILE_ATTRIBUTION") or " ", max_zoom=19
        ).add_to(m)
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
