"""Adding a municipality's WMS as a base map: its layer read from GetCapabilities (OWSLib).

A WMS draws any box it is asked for, so we choose the tiles: in Web Mercator the usual z/x/y
grid, in SWEREF 99 (EPSG:3006 or a local zone 3007-3018) a tile matrix of our own (Lantmäteriet's
origin, 4096 m down to 0.25 m per pixel), kept in tile_matrix like a WMTS's, so the browser map
runs in that CRS. Our server asks GetMap for one tile's box at a time and caches the answer
(app/basemap/proxy.py); the browser asks only us.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask_babel import lazy_gettext as _l

from ..models import BaseMap
from ..spatial import (
    SWEDEN_BOUNDS,
    WEB_MERCATOR,
    WGS84,
    is_sweref,
    mercator_tile_bounds,
    northing_first,
    transformer,
)
from .files import BaseMapError
from .tiles import TileSource
from .upstream import _add, _check_http, _epsg_of, _fetch_checked, _probe_point, _tile_at

TILE = 256
SWEREF_ORIGIN = (-1_200_000.0, 8_500_000.0)  # top-left, as Lantmäteriet's SWEREF 99 tiles
SWEREF_EXTENT = (3_200_000.0, 2_500_000.0)  # metres east and south of the origin: all of Sweden
SWEREF_RESOLUTIONS = [4096 / 2**k for k in range(15)]  # metres per pixel, 4096 ... 0.25
MERCATOR_MAX_ZOOM = 19


def sweref_tile_matrix() -> list[dict]:
    """Our tile matrix for a SWEREF 99 WMS, most coarse first (the form read_wmts gives)."""
    return [{"id": str(i), "resolution": r, "origin": list(SWEREF_ORIGIN), "tile": TILE,
             "width": math.ceil(SWEREF_EXTENT[0] / (r * TILE)),
             "height": math.ceil(SWEREF_EXTENT[1] / (r * TILE))}
            for i, r in enumerate(SWEREF_RESOLUTIONS)]


def tile_box(template: str, source: TileSource, z: int, x: int, y: int) -> str:
    """The GetMap URL of tile z/x/y: its box in the layer's CRS, in the axis order the URL asks."""
    if source.grid is None:
        min_x, min_y, max_x, max_y = mercator_tile_bounds(z, x, y)
    else:
        resolution, origin_x, origin_y = source.grid[z]
        span = resolution * TILE
        min_x, max_y = origin_x + x * span, origin_y - y * span
        max_x, min_y = min_x + span, max_y - span
    xy = ",".join(_number(v) for v in (min_x, min_y, max_x, max_y))
    yx = ",".join(_number(v) for v in (min_y, min_x, max_y, max_x))
    return template.replace("{bbox}", xy).replace("{bbox_yx}", yx)


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _version_of(xml: bytes) -> str:
    head = xml[:2000]
    return "1.1.1" if b"WMT_MS_Capabilities" in head else "1.3.0"


def _choose_crs(offered: list[str], wanted: int | None, layer: str) -> int:
    codes = [c for c in (_epsg_of(o) for o in offered) if c is not None]
    usable = [c for c in codes if c == WEB_MERCATOR or is_sweref(c)]
    if wanted is not None:
        if wanted not in usable:
            raise BaseMapError(_l("The WMS layer %(layer)s is not offered in EPSG:%(crs)s; it is offered "
                                  "in: %(offered)s.", layer=layer, crs=wanted,
                                  offered=", ".join(f"EPSG:{c}" for c in codes) or "-"))
        return wanted
    if not usable:
        raise BaseMapError(_l("The WMS layer %(layer)s has no usable coordinate system: it needs Web "
                              "Mercator (EPSG:3857) or SWEREF 99 (EPSG:3006-3018).", layer=layer))
    sweref = [c for c in usable if is_sweref(c)]
    return sweref[0] if sweref else WEB_MERCATOR  # the municipality's own projection first


def read_wms(capabilities_url: str, layer: str, crs: int | None = None) -> dict:
    """What a WMS layer offers us: the GetMap template (box left to fill), CRS, grid, format, bounds."""
    from owslib.wms import WebMapService

    _check_http(capabilities_url)
    xml = _fetch_checked(capabilities_url, expect="xml")
    version = _version_of(xml)
    try:
        service = WebMapService(capabilities_url, version=version, xml=xml)
    except Exception as err:  # OWSLib raises many kinds on a document it cannot read
        raise BaseMapError(_l("The address did not give a readable WMS capabilities document.")) from err
    if layer not in service.contents:
        names = sorted(name for name, content in service.contents.items() if content.name)
        raise BaseMapError(_l("The WMS has no layer %(layer)s; it has: %(layers)s.", layer=layer,
                              layers=", ".join(names) or "-"))
    content = service.contents[layer]
    epsg = _choose_crs(list(content.crsOptions or []), crs, layer)
    try:
        operation = service.getOperationByName("GetMap")
        formats = list(operation.formatOptions)
        base = next(m["url"] for m in operation.methods if m.get("type", "Get").lower() == "get")
    except (KeyError, StopIteration, AttributeError) as err:
        raise BaseMapError(_l("The WMS does not offer GetMap.")) from err
    image_format = next((f for f in ("image/png", "image/jpeg") if f in formats), None)
    if image_format is None:
        raise BaseMapError(_l("The WMS gives no PNG or JPEG images (it offers %(formats)s).",
                              formats=", ".join(formats) or "-"))
    # Keep the GetMap address's and the capabilities address's own parameters (a map file, an API
    # key), not their request ones.
    ours = {"service", "request", "version", "layers", "styles", "crs", "srs", "format", "transparent",
            "width", "height", "bbox"}
    kept: dict[str, tuple[str, str]] = {}
    for url in (capabilities_url, base):
        for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            if k.lower() not in ours:
                kept.setdefault(k.lower(), (k, v))
    crs_key = "SRS" if version == "1.1.1" else "CRS"
    query = urlencode([("SERVICE", "WMS"), ("REQUEST", "GetMap"), ("VERSION", version), ("LAYERS", layer),
                       ("STYLES", ""), (crs_key, f"EPSG:{epsg}"), ("FORMAT", image_format),
                       ("TRANSPARENT", "FALSE"), ("WIDTH", str(TILE)), ("HEIGHT", str(TILE)),
                       *kept.values()])
    swap = version == "1.3.0" and northing_first(epsg)
    template = urlsplit(base)._replace(query="", fragment="").geturl().rstrip("?") + "?" + query + \
        ("&BBOX={bbox_yx}" if swap else "&BBOX={bbox}")
    bounds = content.boundingBoxWGS84
    bounds = tuple(float(v) for v in bounds[:4]) if bounds else SWEDEN_BOUNDS
    if not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        bounds = SWEDEN_BOUNDS
    return {"template": template, "crs": epsg,
            "image_format": "jpg" if image_format == "image/jpeg" else "png", "bounds": bounds,
            "matrices": None if epsg == WEB_MERCATOR else sweref_tile_matrix()}


def add_wms_basemap(capabilities_url: str, layer: str, *, municipality_id: int | None, name: str,
                    attribution: str, licence: str = "", crs: int | None = None,
                    make_default: bool = False) -> BaseMap:
    """Read a WMS layer, ask it for one real tile, and add it; BaseMapError (nothing stored) if unfit."""
    offer = read_wms(capabilities_url, layer, crs)
    lng, lat = _probe_point(municipality_id)
    if offer["matrices"] is None:
        z, max_zoom = 15, MERCATOR_MAX_ZOOM
        x, y = _tile_at(lng, lat, z)
        grid = None
    else:
        matrices = offer["matrices"]
        z, max_zoom = 11, len(matrices) - 1  # 2 m per pixel: streets
        easting, northing = transformer(WGS84, offer["crs"]).transform(lng, lat)
        span = matrices[z]["resolution"] * TILE
        x, y = int((easting - SWEREF_ORIGIN[0]) // span), int((SWEREF_ORIGIN[1] - northing) // span)
        grid = tuple((m["resolution"], *m["origin"]) for m in matrices)
    probe = TileSource(0, "", "wms", None, offer["template"], "image/png", 0, max_zoom, None, offer["bounds"],
                       grid)
    _fetch_checked(tile_box(offer["template"], probe, z, x, y))
    return _add(municipality_id, name, "wms", offer["template"], offer["image_format"], 0, max_zoom,
                offer["bounds"], attribution, licence, make_default, crs=offer["crs"],
                tile_matrix=offer["matrices"])
