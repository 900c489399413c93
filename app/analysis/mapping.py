"""The analysis maps: heat layers per value, grid choropleths, the balance map and pin data.

Every layer is built from aggregated cells, so a page's weight follows the number of cells, not
the number of pins. Individual pins go to the page only below a threshold, as compact JSON that
a small script clusters; their comments are escaped here, before they reach any HTML.
"""

from __future__ import annotations

import folium
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from folium.plugins import HeatMap
from markupsafe import Markup, escape

from ..domain import SENTIMENT_LABELS, VALUE_COLOURS, VALUE_LABELS, VALUES
from ..i18n import shape_label
from ..maps import area_map
from ..spatial import shape_geojson
from .balance import balance, balance_colour
from .grid import Cell, GridCell, cell_polygons_wgs84
from .valuemaps import HEAT_GRADIENT

MODERATION_LABELS = {"published": _l("Published"), "pending": _l("Awaiting review"), "hidden": _l("Hidden")}


def heat_map(area_geojson: str, cells: list[Cell], basemap=None) -> folium.Map:
    """A map with one switchable heat layer per value; points are cell centres weighted by count."""
    m = area_map(area_geojson, outline_label=_("The dialogue's area"), basemap=basemap)
    top = max((c.count for c in cells), default=1)
    for value in VALUES:
        points = [
            [round(lat, 5), round(lng, 5), round(c.count / top, 4)]
            for c in cells if c.value == value
            for lat, lng in (c.centre_lat_lng,)
        ]
        layer = folium.FeatureGroup(name=str(VALUE_LABELS[value]), show=value == VALUES[0])
        if points:
            HeatMap(points, radius=25, blur=18, min_opacity=0.3, max_zoom=16,
                    gradient=HEAT_GRADIENT).add_to(layer)
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _scale(count: int, top: int) -> str:
    """A light-to-dark blue for a count (five steps), readable under black outlines."""
    stops = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
    return stops[min(int(count / max(top, 1) * len(stops)), len(stops) - 1)]


def grid_map(area_geojson: str, cells: list[GridCell], labels: dict[str, str] | None = None,
             basemap=None) -> folium.Map:
    """Choropleths of the grid: all pins, each value, and the balance of the three values."""
    m = area_map(area_geojson, outline_label=_("The dialogue's area"), basemap=basemap)
    rings = cell_polygons_wgs84(cells)
    features = []
    for cell, ring in zip(cells, rings, strict=True):
        b = balance(cell.by_value)
        # Where the small-number rule hides a value's count, the shares would give it back.
        features.append({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {
                "cell": (labels or {}).get(cell.key, cell.key), "total": cell.total,
                **{v: cell.shown(v) for v in VALUES},
                "balance": None if b.index is None or cell.hidden else round(b.index, 2),
                "dominant": "–" if cell.hidden else
                str(VALUE_LABELS[b.dominant]) if b.dominant else _("none (tie)"),
            },
        })
    layers = [("total", _("All comments"))] + [(v, str(VALUE_LABELS[v])) for v in VALUES]
    for key, label in layers:
        top = max((f["properties"][key] or 0 for f in features), default=1)
        _geojson_layer(features, label, key == "total",
                       lambda f, key=key, top=top: _scale(f["properties"][key] or 0, top),
                       [key, "cell"], [label, _("Cell")]).add_to(m)
    _geojson_layer(features, _("Attention share of the three values"), False,
                   lambda f: balance_colour(f["properties"]["balance"]),
                   ["balance", "dominant", "total", "cell"],
                   [_("Attention share index"), _("Dominant value"), _("All comments"), _("Cell")]).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _geojson_layer(features, name, show, colour, fields, aliases) -> folium.GeoJson:
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        show=show,
        overlay=True,
        style_function=lambda f: {"fillColor": colour(f), "color": "#333333", "weight": 0.5,
                                  "fillOpacity": 0.7},
        # folium refuses a tooltip on an empty collection (no pins yet, or every cell suppressed).
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[str(a) for a in aliases])
        if features else None,
        embed=True,
    )


def pin_popup(pin, photo_url: str | None) -> Markup:
    """A pin's popup: value, sentiment, the comment (escaped), its photo link and moderation state."""
    parts = [
        Markup("<p><strong>{}</strong> · {}</p>").format(
            VALUE_LABELS[pin.value], SENTIMENT_LABELS[pin.sentiment]),
        Markup('<p class="pin-comment">{}</p>').format(escape(pin.text)),
    ]
    if photo_url:
        parts.append(Markup('<p><a href="{}" target="_blank" rel="noopener">{}</a></p>').format(
            photo_url, _("Photo")))
    parts.append(Markup("<p>{}: {}</p>").format(
        _("Moderation"), MODERATION_LABELS.get(pin.moderation_state, pin.moderation_state)))
    return Markup("").join(parts)


def pin_payload(pins) -> list[list]:
    """Compact pin data for the cluster script: [lat, lng, colour, popup HTML, label, shape] per
    pin; shape is a drawn route's or area's GeoJSON geometry (6 decimals), null for a point."""
    from ..spatial import from_sweref

    payload = []
    for pin in pins:
        lat, lng = from_sweref(pin.sweref_e, pin.sweref_n)
        photo = (url_for("analysis.photo", pin_id=pin.id) if pin.photo_id else None)
        label = f"{VALUE_LABELS[pin.value]}: {SENTIMENT_LABELS[pin.sentiment]}"
        if (size := shape_label(pin)) is not None:
            label += f" · {size}"
        payload.append([round(lat, 6), round(lng, 6), VALUE_COLOURS[pin.value],
                        str(pin_popup(pin, photo)), label, shape_geojson(pin.shape)])
    return payload
