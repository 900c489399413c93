"""folium maps for our pages, with assets served locally and a configurable tile layer."""

from __future__ import annotations

import json
import re

import folium
from branca.element import MacroElement
from flask import current_app
from jinja2 import Template
from markupsafe import Markup
from shapely import from_geojson

from .security import csp_nonce
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


class HtmlPopup(MacroElement):
    """A popup of trusted, escaped HTML bound to its parent marker.

    folium's own Popup builds its content with jQuery (`$(...)`), which we do not load, and gives
    it inline style attributes, which our CSP refuses; Leaflet's bindPopup with a string needs
    neither.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }});
        {% endmacro %}
    """)

    def __init__(self, html: Markup):
        super().__init__()
        self._name = "HtmlPopup"
        self.html = str(html)


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
