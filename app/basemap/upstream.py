"""Adding an upstream base map: plain XYZ tiles, or a WMTS read from its GetCapabilities (OWSLib).

Both are checked before anything is stored: the address must give a real map image, and a
WMTS must offer a tile matrix set in Web Mercator (on the z/x/y grid) or in SWEREF 99 (EPSG:3006
or a local zone 3007-3018). Its tiles are then fetched and cached by app/basemap/proxy.py.
"""

from __future__ import annotations

import math
import urllib.error
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask_babel import lazy_gettext as _l
from shapely import from_geojson
from sqlalchemy import func, select

from ..extensions import db
from ..models import BaseMap, DevelopmentArea
from ..spatial import (
    MERCATOR_HALF,
    SWEDEN_BOUNDS,
    WEB_MERCATOR,
    WGS84,
    is_sweref,
    northing_first,
    transformer,
)
from .files import BaseMapError
from .proxy import fetch, image_kind
from .service import default_in_scope, set_default

METRES_PER_PIXEL_AT_SCALE_1 = 0.00028  # the WMTS standard's pixel: 0.28 mm


def _probe_point(municipality_id: int | None) -> tuple[float, float]:
    """(lng, lat) where a test tile is asked for: the municipality's first area, else Stockholm."""
    if municipality_id is not None:
        geojson = db.session.execute(
            select(func.ST_AsGeoJSON(DevelopmentArea.geom))
            .where(DevelopmentArea.municipality_id == municipality_id).limit(1)).scalar_one_or_none()
        if geojson:
            centre = from_geojson(geojson).representative_point()
            return centre.x, centre.y
    return 18.06, 59.33


def _fetch_checked(url: str, *, expect: str = "image") -> bytes:
    """fetch(), with a plain sentence for an upstream that is down or refuses."""
    try:
        return fetch(url, expect=expect)
    except BaseMapError:
        raise
    except urllib.error.HTTPError as err:
        raise BaseMapError(_l("The map server answered %(code)s for %(url)s.", code=err.code,
                              url=_without_query(url))) from err
    except (OSError, ValueError) as err:
        raise BaseMapError(_l("The map server at %(host)s does not answer.",
                              host=urlsplit(url).netloc or url)) from err


def _without_query(url: str) -> str:
    """A URL without its query, for messages: a key in the query is not printed."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _check_http(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise BaseMapError(_l("The address must start with http:// or https://."))


def _tile_at(lng: float, lat: float, z: int) -> tuple[int, int]:
    x, y = transformer(WGS84, WEB_MERCATOR).transform(lng, lat)
    size = 2 * MERCATOR_HALF / 2**z
    return int((x + MERCATOR_HALF) // size), int((MERCATOR_HALF - y) // size)


def _add(municipality_id, name, kind, source, image_format, min_zoom, max_zoom, bounds, attribution,
         licence, make_default, crs=WEB_MERCATOR, tile_matrix=None) -> BaseMap:
    name, attribution = name.strip(), (attribution or "").strip()
    if not name:
        raise BaseMapError(_l("Give the base map a name."))
    if not attribution:
        raise BaseMapError(_l("Say whose map it is: give --attribution (the map shows it)."))
    basemap = BaseMap(municipality_id=municipality_id, name=name, kind=kind, source=source,
                      image_format=image_format, min_zoom=min_zoom, max_zoom=max_zoom,
                      west=bounds[0], south=bounds[1], east=bounds[2], north=bounds[3],
                      attribution=attribution, licence=(licence or "").strip(), is_default=False,
                      crs=crs, tile_matrix=tile_matrix)
    db.session.add(basemap)
    db.session.flush()
    if make_default or default_in_scope(municipality_id) is None:
        set_default(basemap)
    return basemap


def add_xyz_basemap(url: str, *, municipality_id: int | None, name: str, attribution: str,
                    licence: str = "", min_zoom: int = 0, max_zoom: int = 19,
                    make_default: bool = False) -> BaseMap:
    """Check an XYZ tile address with one real tile, and add it; BaseMapError if it gives none."""
    _check_http(url)
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise BaseMapError(_l("The tile address must contain {z}, {x} and {y}."))
    if not (0 <= min_zoom <= max_zoom <= 24):
        raise BaseMapError(_l("The file's zoom levels are not valid."))
    z = max(min_zoom, min(max_zoom, 14))
    x, y = _tile_at(*_probe_point(municipality_id), z)
    probe = url.replace("{s}", "a").replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
    data = _fetch_checked(probe)
    return _add(municipality_id, name, "xyz", url, image_kind(data), min_zoom, max_zoom, SWEDEN_BOUNDS,
                attribution, licence, make_default)


def _epsg_of(crs: str) -> int | None:
    """3857, 3006 ... from 'urn:ogc:def:crs:EPSG::3011', 'EPSG:3857' or an OGC URL."""
    tail = crs.replace("::", ":").rstrip("/").split(":")[-1].split("/")[-1]
    if tail.isdigit():
        code = int(tail)
        return WEB_MERCATOR if code in (900913, 3785) else code
    return None


def _matrices(tile_matrix_set, epsg: int) -> list[dict]:
    """Our form of a tile matrix set, most coarse first; BaseMapError if it cannot be used."""
    matrices = sorted(tile_matrix_set.tilematrix.values(), key=lambda m: -m.scaledenominator)
    result = []
    for matrix in matrices:
        first, second = matrix.topleftcorner
        origin = [second, first] if northing_first(epsg) else [first, second]  # as x, y
        if matrix.tilewidth != 256 or matrix.tileheight != 256:
            raise BaseMapError(_l("The tile matrix set %(id)s has tiles that are not 256 pixels.",
                                  id=tile_matrix_set.identifier))
        resolution = matrix.scaledenominator * METRES_PER_PIXEL_AT_SCALE_1
        result.append({"id": matrix.identifier, "resolution": resolution, "origin": origin,
                       "width": matrix.matrixwidth, "height": matrix.matrixheight,
                       "tile": 256})
    if not result:
        raise BaseMapError(_l("The tile matrix set %(id)s has no tile matrices.",
                              id=tile_matrix_set.identifier))
    return result


def _as_xyz_grid(matrices: list[dict]) -> list[dict] | None:
    """The matrices by z if they are the Web Mercator z/x/y grid (missing zooms empty), else None."""
    by_z: dict[int, dict] = {}
    for matrix in matrices:
        z = math.log2(2 * MERCATOR_HALF / 256 / matrix["resolution"])
        x, y = matrix["origin"]
        if abs(z - round(z)) > 0.01 or abs(x + MERCATOR_HALF) > 1 or abs(y - MERCATOR_HALF) > 1:
            return None
        by_z[round(z)] = matrix
    return [by_z.get(z, {"id": "", "resolution": 0, "origin": [0, 0], "width": 0, "height": 0, "tile": 256})
            for z in range(max(by_z) + 1)]


def read_wmts(capabilities_url: str, layer: str, matrix_set: str | None = None) -> dict:
    """What a WMTS layer offers us: the GetTile template, CRS, matrices, zooms, bounds, format."""
    from owslib.wmts import WebMapTileService

    _check_http(capabilities_url)
    xml = _fetch_checked(capabilities_url, expect="xml")
    try:
        service = WebMapTileService(capabilities_url, xml=xml)
    except Exception as err:  # OWSLib raises many kinds on a document it cannot read
        raise BaseMapError(_l("The address did not give a readable WMTS capabilities document.")) from err
    if layer not in service.contents:
        raise BaseMapError(_l("The WMTS has no layer %(layer)s; it has: %(layers)s.", layer=layer,
                              layers=", ".join(sorted(service.contents)) or "-"))
    content = service.contents[layer]
    usable = []
    for link_id in content.tilematrixsetlinks:
        tms = service.tilematrixsets.get(link_id)
        epsg = _epsg_of(tms.crs) if tms is not None else None
        if tms is not None and epsg is not None and (epsg == WEB_MERCATOR or is_sweref(epsg)) \
                and (matrix_set is None or matrix_set == link_id):
            usable.append((tms, epsg))
    if not usable:
        raise BaseMapError(_l("The WMTS layer %(layer)s has no usable tile matrix set: it needs one in "
                              "Web Mercator (EPSG:3857) or SWEREF 99 (EPSG:3006-3018).", layer=layer))
    tms, epsg = usable[0]
    matrices = _matrices(tms, epsg)
    if epsg == WEB_MERCATOR:
        matrices = _as_xyz_grid(matrices)
        if matrices is None:
            raise BaseMapError(_l("The tile matrix set %(id)s is in Web Mercator but not on the z/x/y grid.",
                                  id=tms.identifier))
    else:
        origins = {tuple(round(v, 3) for v in m["origin"]) for m in matrices}
        if len(origins) != 1:
            raise BaseMapError(_l("The tile matrix set %(id)s has a different origin per zoom level; "
                                  "only one origin is supported.", id=tms.identifier))
    image_format = next((f for f in content.formats if f in ("image/png", "image/jpeg")), None) or \
        (content.formats[0] if content.formats else "image/png")
    style = next((s for s, v in content.styles.items() if v.get("isDefault")), None) or \
        next(iter(content.styles), "default")
    template = _tile_template(service, capabilities_url, content, layer, style, tms.identifier, image_format)
    filled = [i for i, m in enumerate(matrices) if m["width"]]
    return {"template": template, "crs": epsg, "matrices": matrices, "min_zoom": filled[0],
            "max_zoom": filled[-1], "bounds": tuple(content.boundingBoxWGS84 or SWEDEN_BOUNDS),
            "image_format": "jpg" if image_format == "image/jpeg" else "png"}


def _tile_template(service, capabilities_url, content, layer, style, matrix_set, image_format) -> str:
    """A GetTile URL with {TileMatrix}, {TileRow} and {TileCol} left to fill in."""
    for resource in content.resourceURLs:
        if resource["resourceType"] == "tile" and resource["format"] == image_format:
            return (resource["template"].replace("{TileMatrixSet}", matrix_set).replace("{Style}", style)
                    .replace("{style}", style).replace("{tilematrixset}", matrix_set))
    try:
        base = next(m["url"] for m in service.getOperationByName("GetTile").methods
                    if m.get("type", "Get").lower() == "get")
    except (KeyError, StopIteration):
        base = capabilities_url
    # Keep the capabilities address's own parameters (an API key, say), not its request ones.
    kept = [(k, v) for k, v in parse_qsl(urlsplit(capabilities_url).query)
            if k.lower() not in ("service", "request", "version")]
    query = urlencode([("SERVICE", "WMTS"), ("REQUEST", "GetTile"), ("VERSION", "1.0.0"), ("LAYER", layer),
                       ("STYLE", style), ("TILEMATRIXSET", matrix_set), ("FORMAT", image_format), *kept])
    fill = "&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}"
    return base.split("?")[0] + "?" + query + fill


def add_wmts_basemap(capabilities_url: str, layer: str, *, municipality_id: int | None, name: str,
                     attribution: str, licence: str = "", matrix_set: str | None = None,
                     make_default: bool = False) -> BaseMap:
    """Read a WMTS layer, check one real tile, and add it; BaseMapError (nothing stored) if unfit."""
    offer = read_wmts(capabilities_url, layer, matrix_set)
    matrix = offer["matrices"][(offer["min_zoom"] + offer["max_zoom"]) // 2]
    x, y = transformer(WGS84, offer["crs"]).transform(*_probe_point(municipality_id))
    span = matrix["resolution"] * matrix["tile"]
    column, row = int((x - matrix["origin"][0]) // span), int((matrix["origin"][1] - y) // span)
    probe = (offer["template"].replace("{TileMatrix}", matrix["id"])
             .replace("{TileRow}", str(row)).replace("{TileCol}", str(column)))
    _fetch_checked(probe)
    return _add(municipality_id, name, "wmts", offer["template"], offer["image_format"], offer["min_zoom"],
                offer["max_zoom"], offer["bounds"], attribution, licence, make_default,
                crs=offer["crs"], tile_matrix=offer["matrices"])
