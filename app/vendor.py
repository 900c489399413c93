"""Front-end libraries served by our app from installed packages: no page asks another host.

folium and its plugins point at CDNs by default; we point them at these routes instead.
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import Blueprint, Flask, abort, send_from_directory

# npm packages installed by scripts/setup.sh (`npm ci --ignore-scripts`, pinned in package-lock.json).
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"

VENDOR_DIRS = {
    "proj4": NODE_MODULES / "proj4" / "dist",
    "proj4leaflet": NODE_MODULES / "proj4leaflet" / "src",
    # Drawing lines and polygons (the questionnaire's routes and areas, the planners' areas).
    "geoman": NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist",
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "folium": Path(folium.__file__).parent / "templates",
}

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.route("/<package>/<path:filename>")
def asset(package: str, filename: str):
    """A file of an installed front-end package, cached for a day."""
    directory = VENDOR_DIRS.get(package)
    if directory is None:
        abort(404)
    return send_from_directory(directory, filename, max_age=86400)


def use_local_assets() -> None:
    """Point folium's map and plugins at our vendor routes instead of CDNs."""
    folium.Map.default_js = [("leaflet", "/vendor/leaflet/leaflet.js")]
    folium.Map.default_css = [("leaflet_css", "/vendor/leaflet/leaflet.css")]
    folium.plugins.HeatMap.default_js = [("leaflet-heat.js", "/vendor/folium/leaflet_heat.min.js")]
    folium.plugins.MarkerCluster.default_js = [
        ("markerclusterjs", "/vendor/markercluster/leaflet.markercluster.js")
    ]
    folium.plugins.MarkerCluster.default_css = [
        ("markerclustercss", "/vendor/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", "/vendor/markercluster/MarkerCluster.Default.css"),
    ]


def init_app(app: Flask) -> None:
    """Register the vendor routes and make folium use them."""
    use_local_assets()
    app.register_blueprint(bp)
