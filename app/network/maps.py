"""A map of Sweden with development areas as outlines and links to dialogues."""

from __future__ import annotations

import json

import folium
from markupsafe import Markup, escape
from shapely import from_geojson
from sqlalchemy import func, select

from ..basemap import service as basemaps
from ..extensions import db
from ..maps import base_map
from ..models import DevelopmentArea

# [[south, west], [north, east]] of Sweden, in folium's order.
SWEDEN_BOUNDS = [[55.3, 10.9], [69.1, 24.2]]


def area_outlines(area_ids: set[int]) -> dict[int, str]:
    """Area id -> the outline as GeoJSON text, made by the database."""
    if not area_ids:
        return {}
    rows = db.session.execute(
        select(DevelopmentArea.id, func.ST_AsGeoJSON(DevelopmentArea.geom)).where(
            DevelopmentArea.id.in_(area_ids)
        )
    )
    return dict(rows.all())


def sweden_map(outlines: list[tuple[str, str]], markers: list[tuple[str, str, str]],
               height: str = "70vh") -> folium.Map:
    """Outlines (GeoJSON, label) and linked markers (GeoJSON of the area, label, url) on Sweden."""
    # The site-wide base map (the network spans all of Sweden); SVG, so each outline is its own element.
    m = base_map(height, basemaps.default_for(None), prefer_canvas=False)
    for geojson, label in outlines:
        folium.GeoJson(
            json.loads(geojson),
            style_function=lambda _f: {"color": "#1a1a1a", "weight": 2, "fillOpacity": 0.2},
            tooltip=folium.Tooltip(str(escape(label))),
            control=False,
        ).add_to(m)
    for geojson, label, url in markers:
        centre = from_geojson(geojson).representative_point()
        popup = Markup('<a href="{}">{}</a>').format(url, label)
        # The popup's content goes in as an option (JSON-encoded): folium's own Popup(html) needs
        # jQuery ("$ is not defined"), which stopped the page's map script before fitBounds.
        folium.Marker(
            [centre.y, centre.x], popup=folium.Popup(None, content=str(popup)), tooltip=str(escape(label))
        ).add_to(m)
    m.fit_bounds(SWEDEN_BOUNDS)
    return m
