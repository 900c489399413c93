"""The planner blueprint, its login rule, and the heatmap per value (other pages: see __init__)."""

from __future__ import annotations

import folium
from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import login_required
from folium.plugins import HeatMap

from ..access import dialogue_or_404
from ..analysis.grid import value_cells
from ..domain import VALUE_LABELS, VALUES
from ..maps import area_map, embed
from ..resident.routes import area_geojson

bp = Blueprint("planner", __name__, url_prefix="/planering")

HEAT_CELL_METRES = 50


@bp.before_request
@login_required
def require_login():
    """Every planner page needs a logged-in planner."""


@bp.route("/dialoger/<int:dialogue_id>/varmekarta")
def heatmap(dialogue_id: int):
    """One heat layer per value, from pins aggregated to a grid in the database."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    m = area_map(area_geojson(dialogue.area_id), outline_label=_("The dialogue's area"))
    cells = value_cells(dialogue.id, HEAT_CELL_METRES)
    counts = dict.fromkeys(VALUES, 0)
    for value in VALUES:
        points = [[*c.centre_lat_lng, c.count] for c in cells if c.value == value]
        counts[value] = sum(c.count for c in cells if c.value == value)
        layer = folium.FeatureGroup(name=str(VALUE_LABELS[value]), show=value == VALUES[0])
        if points:
            HeatMap(points, radius=25, blur=18, min_opacity=0.3).add_to(layer)
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return render_template(
        "planner/heatmap.html", dialogue=dialogue, map=embed(m), counts=counts,
        value_labels=VALUE_LABELS,
    )
