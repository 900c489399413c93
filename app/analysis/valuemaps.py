"""The assessment maps: one per value side by side, the weak leg, and the hot and cold spots.

Colours are ColorBrewer schemes that colour-blind readers can tell apart: RdBu (diverging) for
the net assessment from -1 to +1, YlOrBr (sequential) for the density of comments, and the
Okabe-Ito value colours for the weak leg. No rainbow: its hues have no order a reader can see.
All three value maps share one scale and one legend, so they can be compared at a glance.
"""

from __future__ import annotations

import re

import folium
from flask_babel import gettext as _
from markupsafe import Markup

from ..domain import SENTIMENT_LABELS, VALUE_COLOURS, VALUE_LABELS, VALUES
from ..maps import area_map, embed
from .assessment import ValueBalance
from .grid import GridCell, cell_polygons_wgs84
from .hotspots import Hotspots

# ColorBrewer RdBu, 7 classes: red is negative, blue positive, the middle near-white is even.
NET_EDGES = (-0.6, -0.3, -0.1, 0.1, 0.3, 0.6)
NET_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
# ColorBrewer YlOrBr, 5 classes, for comments per cell.
DENSITY_COLOURS = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
HOT, COLD = "#b2182b", "#2166ac"
TOO_FEW = "#bdbdbd"
# leaflet.heat's default gradient is a rainbow (blue, cyan, lime, yellow, red); YlOrBr instead.
HEAT_GRADIENT = {0.2: "#fed98e", 0.45: "#fe9929", 0.7: "#d95f0e", 1.0: "#993404"}


def net_colour(net: float | None) -> str | None:
    """The RdBu class colour of a net assessment; None where there is none."""
    if net is None:
        return None
    return NET_COLOURS[sum(net >= edge for edge in NET_EDGES)]


def net_legend() -> list[tuple[str, str]]:
    """The assessment legend: (colour, label) from most negative to most positive."""
    bounds = ("−1", *(f"{e:+.1f}".replace("-", "−") for e in NET_EDGES), "+1")
    rows = [(NET_COLOURS[i], f"{bounds[i]} … {bounds[i + 1]}") for i in range(len(NET_COLOURS))]
    return [*rows, (TOO_FEW, _("too few judgements to assess"))]


def weak_legend() -> list[tuple[str | None, str]]:
    """The weak-leg legend: each value's colour, and an outline for no clear weak leg."""
    return [*((VALUE_COLOURS[v], str(VALUE_LABELS[v])) for v in VALUES), (None, _("no clear weak leg"))]


def density_edges(top: int) -> list[int]:
    """Upper bounds of the five density classes for a largest count of top."""
    return [max(1, round(top * (i + 1) / len(DENSITY_COLOURS))) for i in range(len(DENSITY_COLOURS))]


def density_colour(count: int, top: int) -> str:
    """The YlOrBr class colour of a cell's count, on a scale shared by every value map."""
    for colour, edge in zip(DENSITY_COLOURS, density_edges(top), strict=True):
        if count <= edge:
            return colour
    return DENSITY_COLOURS[-1]


def density_legend(top: int) -> list[tuple[str, str]]:
    """The density legend: (colour, range of comments per cell)."""
    edges = density_edges(top)
    lows = [1, *[e + 1 for e in edges[:-1]]]
    return [(c, f"{lo}–{hi}" if hi > lo else str(hi))
            for c, lo, hi in zip(DENSITY_COLOURS, lows, edges, strict=True) if hi >= lo]


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:+.2f}".replace("-", "−")


def _layer(features, name: str, show: bool, fields, aliases) -> folium.GeoJson:
    # Each feature's style is moved out of its properties into a short key ("s"): folium writes
    # both the properties and the styles into the page, and a few distinct styles are shared.
    styles: list[dict] = []
    for f in features:
        style = f["properties"].pop("style")
        if style not in styles:
            styles.append(style)
        f["properties"]["s"] = styles.index(style)
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name=name, show=show,
        style_function=lambda f: styles[f["properties"]["s"]],
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[str(a) for a in aliases])
        if features else None,
        embed=True,
    )


def _style(fill: str | None, opacity: float = 0.75) -> dict:
    if fill is None:  # no assessment: an outline only, dashed, so it reads as "no data" in print
        return {"fillColor": TOO_FEW, "fillOpacity": 0.25, "color": "#636363", "weight": 0.8,
                "dashArray": "3 3"}
    return {"fillColor": fill, "fillOpacity": opacity, "color": "#4d4d4d", "weight": 0.5}


def value_map(area_geojson: str, value: str, cells: list[GridCell], balances: list[ValueBalance],
              top: int) -> folium.Map:
    """One value's map: the net assessment per cell (shown) and the comments' density (switch)."""
    m = area_map(area_geojson, outline_label=_("The dialogue's area"), height="24rem")
    rings = cell_polygons_wgs84(cells)
    assessed, density = [], []
    for cell, b, ring in zip(cells, balances, rings, strict=True):
        a = b.assessments[value]
        geometry = {"type": "Polygon", "coordinates": [ring]}
        shown = cell.shown(value)
        common = {"place": b.label, "comments": "–" if shown is None else shown}
        if a.net is not None or shown:
            assessed.append({"type": "Feature", "geometry": geometry, "properties": {
                **common, "net": _fmt(a.net),
                "interval": "–" if a.low is None else f"{_fmt(a.low)} … {_fmt(a.high)}",
                "judged": f"{a.positive} / {a.negative}" if a.net is not None else "–",
                "style": _style(net_colour(a.net))}})
        if shown:
            density.append({"type": "Feature", "geometry": geometry, "properties": {
                **common, "style": _style(density_colour(shown, top), 0.8)}})
    label = str(VALUE_LABELS[value])
    _layer(assessed, _("%(value)s: net assessment", value=label), True,
           ["place", "net", "interval", "judged", "comments"],
           [_("Place"), _("Net assessment"), _("Interval (95 %)"), _("Positive / negative"),
            _("Comments")]).add_to(m)
    _layer(density, _("%(value)s: comments per cell", value=label), False,
           ["place", "comments"], [_("Place"), _("Comments")]).add_to(m)
    # Collapsed: on a map a third of the page wide, an open layer list would cover the cells.
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def weak_leg_map(area_geojson: str, cells: list[GridCell], balances: list[ValueBalance]
                 ) -> folium.Map:
    """Cells coloured by their weak leg (the value clearly assessed worst); others outlined."""
    m = area_map(area_geojson, outline_label=_("The dialogue's area"), height="24rem")
    features = []
    for _cell, b, ring in zip(cells, balances, cell_polygons_wgs84(cells), strict=True):
        if len(b.assessed) < 2:
            continue
        weak = b.weakest
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {
                             "place": b.label,
                             "weak": str(VALUE_LABELS[weak]) if weak else _("no clear weak leg"),
                             "spread": _fmt(b.spread),
                             **{v: _fmt(b.assessments[v].net) for v in VALUES},
                             "style": _style(VALUE_COLOURS[weak], 0.8) if weak else
                             {"fillOpacity": 0, "color": "#636363", "weight": 0.8},
                         }})
    _layer(features, _("The weak leg"), True, ["place", "weak", "spread", *VALUES],
           [_("Place"), _("Weak leg"), _("Spread (strongest − weakest)"),
            *[VALUE_LABELS[v] for v in VALUES]]).add_to(m)
    return m


def hotspot_map(area_geojson: str, hotspots: Hotspots, layers: list[tuple[str, str]]
                ) -> folium.Map:
    """Significant hot and cold spots, one switchable layer per value and sentiment."""
    m = area_map(area_geojson, outline_label=_("The dialogue's area"))
    cells = [c for c in hotspots.cells if c.kind]
    rings = dict(zip((c.key for c in cells), cell_polygons_wgs84(cells), strict=True))
    for index, layer in enumerate(layers):
        value, sentiment = layer
        features = [{"type": "Feature",
                     "geometry": {"type": "Polygon", "coordinates": [rings[c.key]]},
                     "properties": {
                         "place": c.label or c.key,
                         "kind": _("hot spot") if c.kind[layer] == "hot" else _("cold spot"),
                         "z": f"{c.z[layer]:.2f}", "p": f"{c.p[layer]:.4f}",
                         "style": _style(HOT if c.kind[layer] == "hot" else COLD, 0.7)}}
                    for c in hotspots.significant(layer)]
        name = f"{VALUE_LABELS[value]}: {SENTIMENT_LABELS[sentiment]}"
        _layer(features, name, index == 0, ["place", "kind", "z", "p"],
               [_("Place"), _("Result"), "Gi* z", _("pseudo p")]).add_to(m)
    if len(layers) > 1:
        folium.LayerControl(collapsed=False).add_to(m)
    return m


_ASSET = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]+\"[^>]*>\s*</script>|<link\b[^>]*>")


def embed_many(maps: list[folium.Map]) -> tuple[list[dict[str, Markup]], Markup]:
    """Several maps for one page: each embedded, with the shared script and style files once."""
    embedded = [embed(m) for m in maps]
    seen: set[str] = set()

    def once(match: re.Match) -> str:
        tag = match.group(0)
        if tag in seen:
            return ""
        seen.add(tag)
        return tag

    # folium's own header markup from embed(), with repeated asset tags removed: nothing added.
    header = Markup("").join(Markup(_ASSET.sub(once, str(e["header"]))) for e in embedded)  # noqa: S704
    return embedded, header
