"""The base map in a folium/Leaflet map: its tile layer from our origin, its CRS, its notice.

A base map in SWEREF 99 makes the whole map run in that CRS (Proj4Leaflet): pins, heat, grid and
drawing still speak lat/lng, which Leaflet projects through proj4. If the upstream is known to
be down, or its tiles fail in the browser, the map is the outline view with a notice.
"""

from __future__ import annotations

import re

import folium
from branca.element import Element
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..models import BaseMap
from ..spatial import WEB_MERCATOR
from ..vendor import NODE_MODULES
from .service import FILE_KINDS, source_token, tile_url_template


def crs_name(basemap: BaseMap) -> str:
    """The name under L.CRS of the map's CRS (ours for SWEREF 99, defined by /kartor/…/crs.js)."""
    return "EPSG3857" if basemap.crs == WEB_MERCATOR else f"Platsdialog{basemap.id}"


def shows_tiles(basemap: BaseMap | None) -> bool:
    """Whether a map shows this base map's tiles now (not when its upstream just failed)."""
    if basemap is None:
        return False
    if basemap.crs != WEB_MERCATOR and not (NODE_MODULES / "proj4leaflet").is_dir():
        return False  # `npm ci` has not run: no Proj4Leaflet to show a SWEREF 99 map with
    if basemap.kind in FILE_KINDS:
        return True
    from .proxy import is_down

    return not is_down(basemap.id, source_token(basemap.source))


def map_options(basemap: BaseMap | None) -> dict:
    """folium.Map keyword arguments for this base map: its CRS and zoom range."""
    if not shows_tiles(basemap) or basemap.crs == WEB_MERCATOR:
        return {}
    return {"crs": crs_name(basemap), "max_zoom": len(basemap.tile_matrix) - 1, "min_zoom": 0}


def add_base_tiles(m: folium.Map, basemap: BaseMap) -> None:
    """The base map's tiles from our own origin with its attribution, or the outline-view notice."""
    scripts = [("basemap-fallback", url_for("static", filename="js/basemap-fallback.js"))]
    notice = _("The base map cannot be shown right now; the map shows the area's outline only.")
    down = not shows_tiles(basemap)
    m.get_root().html.add_child(Element(str(Markup(
        '<p class="basemap-notice" role="status" data-map-name="{}"{}>{}</p>').format(
            m.get_name(), Markup("") if down else Markup(" hidden"), notice))))
    if down:
        m.default_js = [*m.default_js, *scripts]
        return
    if basemap.crs != WEB_MERCATOR:
        token = source_token(basemap.source)
        scripts = [("proj4", "/vendor/proj4/proj4.js"),
                   ("proj4leaflet", "/vendor/proj4leaflet/proj4leaflet.js"),
                   ("basemap-crs", url_for("basemap.crs_script", basemap_id=basemap.id, token=token)),
                   *scripts]
    m.default_js = [*m.default_js, *scripts]  # after Leaflet itself, before the map is made
    attribution = str(escape(basemap.attribution))
    if basemap.licence:
        attribution += f" ({licence_html(basemap.licence)})"
    options = {"bounds": [[basemap.south, basemap.west], [basemap.north, basemap.east]]}
    if basemap.crs != WEB_MERCATOR:
        options = {"tile_size": 256, "no_wrap": True}
    folium.TileLayer(
        tiles=tile_url_template(basemap), attr=attribution, name=basemap.name, control=False,
        min_zoom=0, max_zoom=19 if basemap.crs == WEB_MERCATOR else len(basemap.tile_matrix) - 1,
        max_native_zoom=basemap.max_zoom, class_name="base-tiles", **options,
    ).add_to(m)


# Licences that open data for base maps comes under, by how a municipality names them, and their deeds.
_CC_BY = re.compile(r"CC[ -]BY(?P<sa>[ -]SA)?(?:[ -](?P<version>[1-4]\.0))?\b", re.I)
_LICENCE_DEEDS = [(re.compile(r"CC0\b", re.I), "https://creativecommons.org/publicdomain/zero/1.0/"),
                  (re.compile(r"ODbL\b", re.I), "https://opendatacommons.org/licenses/odbl/")]


def _deed(licence: str) -> str | None:
    """The web address of the licence's text, if it is one we know or itself an address."""
    if re.match(r"https?://\S+$", licence):
        return licence
    if by := _CC_BY.match(licence):
        return (f"https://creativecommons.org/licenses/by{'-sa' if by['sa'] else ''}/"
                f"{by['version'] or '4.0'}/")
    return next((deed for pattern, deed in _LICENCE_DEEDS if pattern.match(licence)), None)


def licence_html(licence: str) -> Markup:
    """The licence as the map shows it: a link to its text where we know it."""
    licence = licence.strip()
    url = _deed(licence)
    if url is None:
        return escape(licence)
    return Markup('<a href="{}" rel="license">{}</a>').format(url, licence)


def crs_javascript(basemap: BaseMap) -> str:
    """JavaScript defining L.CRS.<name> for a SWEREF 99 base map (served as a file, not inline)."""
    import json

    from ..spatial import proj4_definition

    matrices = basemap.tile_matrix or []
    options = {"resolutions": [m["resolution"] for m in matrices], "origin": matrices[0]["origin"]}
    return (f"L.CRS[{json.dumps(crs_name(basemap))}] = new L.Proj.CRS("
            f"{json.dumps(f'EPSG:{basemap.crs}')}, {json.dumps(proj4_definition(basemap.crs))}, "
            f"{json.dumps(options)});\n")
