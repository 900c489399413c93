"""A throwaway WMTS in SWEREF 99 18 00 (EPSG:3011) on 127.0.0.1, started by a test.

It answers GetCapabilities and GetTile (KVP) with tiles drawn on the fly: a pale green ground,
a line every 100 m of SWEREF 99 18 00, and a red dot 2 m across at MARK (a known place), so a
test can find the place on screen and check where a tapped pin is stored. Every request is
logged in `requests`. Modes: "ok", "no-matrix-set" (only an EPSG:4326 set), "html" (a web page
for everything, as a wrong address or a login wall would give).

It is a WMS too, under /wms (1.3.0): layer "topo" in EPSG:3011 and 3857 (mode "no-crs": only
EPSG:4326; mode "wms-1.1.1": a 1.1.1 server, SRS and x/y boxes), GetMap drawn for any box with
the same ground, lines and mark.
"""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image, ImageDraw
from pyproj import Transformer

EPSG = 3011
ORIGIN = (100_000.0, 6_650_000.0)  # top-left corner (easting, northing)
RESOLUTIONS = [32.0, 16.0, 8.0, 4.0, 2.0, 1.0, 0.5, 0.25]  # metres per pixel, by matrix
GROUND = (206, 232, 206)
LINE = (70, 120, 70)
MARK_LAT_LNG = (59.4108, 17.9259)  # Husby centrum, inside the demo area
MARK = Transformer.from_crs(4326, EPSG, always_xy=True).transform(MARK_LAT_LNG[1], MARK_LAT_LNG[0])


def capabilities(base: str, mode: str) -> str:
    """The GetCapabilities document."""
    if mode == "no-matrix-set":
        crs, matrices = "urn:ogc:def:crs:EPSG::4326", "<TileMatrix><ows:Identifier>0</ows:Identifier>" \
            "<ScaleDenominator>279541132.0</ScaleDenominator><TopLeftCorner>90 -180</TopLeftCorner>" \
            "<TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>2</MatrixWidth>" \
            "<MatrixHeight>1</MatrixHeight></TileMatrix>"
    else:
        crs, parts = f"urn:ogc:def:crs:EPSG::{EPSG}", []
        for index, resolution in enumerate(RESOLUTIONS):
            count = int(100_000 / (resolution * 256)) + 1
            parts.append(
                f"<TileMatrix><ows:Identifier>{index}</ows:Identifier>"
                f"<ScaleDenominator>{resolution / 0.00028}</ScaleDenominator>"
                f"<TopLeftCorner>{ORIGIN[1]} {ORIGIN[0]}</TopLeftCorner>"  # northing first, as EPSG says
                f"<TileWidth>256</TileWidth><TileHeight>256</TileHeight>"
                f"<MatrixWidth>{count}</MatrixWidth><MatrixHeight>{count}</MatrixHeight></TileMatrix>")
        matrices = "".join(parts)
    operation = ('<ows:Operation name="{name}"><ows:DCP><ows:HTTP><ows:Get xlink:href="' + base +
                 '/wmts?"><ows:Constraint name="GetEncoding"><ows:AllowedValues><ows:Value>KVP</ows:Value>'
                 '</ows:AllowedValues></ows:Constraint></ows:Get></ows:HTTP></ows:DCP></ows:Operation>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
  xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
 <ows:ServiceIdentification><ows:Title>Testkarta SWEREF 99 18 00</ows:Title>
  <ows:ServiceType>OGC WMTS</ows:ServiceType><ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion>
 </ows:ServiceIdentification>
 <ows:OperationsMetadata>{operation.format(name="GetCapabilities")}{operation.format(name="GetTile")}
 </ows:OperationsMetadata>
 <Contents>
  <Layer><ows:Title>Topo</ows:Title>
   <ows:WGS84BoundingBox><ows:LowerCorner>17.6 59.1</ows:LowerCorner>
    <ows:UpperCorner>18.4 59.6</ows:UpperCorner></ows:WGS84BoundingBox>
   <ows:Identifier>topo</ows:Identifier>
   <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
   <Format>image/png</Format>
   <TileMatrixSetLink><TileMatrixSet>sweref</TileMatrixSet></TileMatrixSetLink>
  </Layer>
  <TileMatrixSet><ows:Identifier>sweref</ows:Identifier><ows:SupportedCRS>{crs}</ows:SupportedCRS>
   {matrices}
  </TileMatrixSet>
 </Contents>
</Capabilities>"""


def tile_png(matrix: int, row: int, col: int) -> bytes:
    """One 256 px tile: ground, 100 m lines and the red mark, drawn in SWEREF 99 18 00."""
    resolution = RESOLUTIONS[matrix]
    west = ORIGIN[0] + col * 256 * resolution
    north = ORIGIN[1] - row * 256 * resolution
    image = Image.new("RGB", (256, 256), GROUND)
    draw = ImageDraw.Draw(image)
    step = 100 if resolution <= 4 else 1000
    first_e = (int(west // step) + 1) * step
    for e in range(first_e, int(west + 256 * resolution) + 1, step):
        x = (e - west) / resolution
        draw.line([(x, 0), (x, 256)], fill=LINE, width=1)
    first_n = (int((north - 256 * resolution) // step) + 1) * step
    for n in range(first_n, int(north) + 1, step):
        y = (north - n) / resolution
        draw.line([(0, y), (256, y)], fill=LINE, width=1)
    x, y = (MARK[0] - west) / resolution, (north - MARK[1]) / resolution
    radius = max(1.0 / resolution, 1.5)  # 1 m, and at least a few pixels to be seen
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(230, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def wms_capabilities(base: str, mode: str) -> str:
    """The WMS 1.3.0 GetCapabilities document; its GetMap address keeps a parameter of its own."""
    crs = "<CRS>EPSG:4326</CRS>" if mode == "no-crs" else \
        f"<CRS>EPSG:{EPSG}</CRS><CRS>EPSG:3857</CRS><CRS>EPSG:4326</CRS>"
    online = f'<OnlineResource xlink:type="simple" xlink:href="{base}/wms?map=stadskarta&amp;"/>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms"
  xmlns:xlink="http://www.w3.org/1999/xlink">
 <Service><Name>WMS</Name><Title>Testkarta</Title>{online}</Service>
 <Capability>
  <Request>
   <GetCapabilities><Format>text/xml</Format><DCPType><HTTP><Get>{online}</Get></HTTP></DCPType>
   </GetCapabilities>
   <GetMap><Format>image/png</Format><Format>image/jpeg</Format>
    <DCPType><HTTP><Get>{online}</Get></HTTP></DCPType></GetMap>
  </Request>
  <Exception><Format>XML</Format></Exception>
  <Layer><Title>Kommunen</Title>{crs}
   <Layer queryable="0"><Name>topo</Name><Title>Topo</Title>{crs}
    <EX_GeographicBoundingBox><westBoundLongitude>17.6</westBoundLongitude>
     <eastBoundLongitude>18.4</eastBoundLongitude><southBoundLatitude>59.1</southBoundLatitude>
     <northBoundLatitude>59.6</northBoundLatitude></EX_GeographicBoundingBox>
   </Layer>
  </Layer>
 </Capability>
</WMS_Capabilities>"""


def wms111_capabilities(base: str) -> str:
    """The same layer as a WMS 1.1.1 server (older MapServer installations) describes it."""
    online = ('<OnlineResource xmlns:xlink="http://www.w3.org/1999/xlink" '
              f'xlink:href="{base}/wms?map=stadskarta&amp;"/>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<WMT_MS_Capabilities version="1.1.1">
 <Service><Name>OGC:WMS</Name><Title>Testkarta</Title>{online}</Service>
 <Capability>
  <Request>
   <GetCapabilities><Format>application/vnd.ogc.wms_xml</Format>
    <DCPType><HTTP><Get>{online}</Get></HTTP></DCPType></GetCapabilities>
   <GetMap><Format>image/jpeg</Format><Format>image/png</Format>
    <DCPType><HTTP><Get>{online}</Get></HTTP></DCPType></GetMap>
  </Request>
  <Exception><Format>application/vnd.ogc.se_xml</Format></Exception>
  <Layer><Title>Kommunen</Title><SRS>EPSG:{EPSG}</SRS>
   <Layer queryable="0"><Name>topo</Name><Title>Topo</Title><SRS>EPSG:{EPSG}</SRS>
    <LatLonBoundingBox minx="17.6" miny="59.1" maxx="18.4" maxy="59.6"/>
   </Layer>
  </Layer>
 </Capability>
</WMT_MS_Capabilities>"""


def getmap_png(crs: int, box: tuple[float, float, float, float], width: int, height: int) -> bytes:
    """A GetMap answer for a box (min_x, min_y, max_x, max_y in x/y order) of EPSG:3011 or 3857."""
    min_x, min_y, max_x, max_y = box
    image = Image.new("RGB", (width, height), GROUND)
    draw = ImageDraw.Draw(image)
    per_x, per_y = (max_x - min_x) / width, (max_y - min_y) / height  # CRS units per pixel
    if crs == EPSG and per_x <= 4:
        for e in range((int(min_x // 100) + 1) * 100, int(max_x) + 1, 100):
            draw.line([((e - min_x) / per_x, 0), ((e - min_x) / per_x, height)], fill=LINE, width=1)
        for n in range((int(min_y // 100) + 1) * 100, int(max_y) + 1, 100):
            draw.line([(0, (max_y - n) / per_y), (width, (max_y - n) / per_y)], fill=LINE, width=1)
    to_crs = Transformer.from_crs(4326, crs, always_xy=True)
    mark_x, mark_y = to_crs.transform(MARK_LAT_LNG[1], MARK_LAT_LNG[0])
    x, y = (mark_x - min_x) / per_x, (max_y - mark_y) / per_y
    radius = max(1.0 / per_x, 1.5)
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(230, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _getmap(query: dict[str, str]) -> bytes:
    crs = int(query.get("CRS", query.get("SRS", "EPSG:3857")).split(":")[-1])
    values = [float(v) for v in query["BBOX"].split(",")]
    if query.get("VERSION") == "1.3.0" and crs == EPSG:  # WMS 1.3.0 follows EPSG: northing first
        values = [values[1], values[0], values[3], values[2]]
    return getmap_png(crs, tuple(values), int(query["WIDTH"]), int(query["HEIGHT"]))


class WMTSServer:
    """The server, run in a thread: `url`, `requests`, `stop()`."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.requests: list[str] = []
        self.tile_headers: dict[str, str] = {}  # sent with every tile, e.g. Cache-Control
        self.xyz_tile: bytes | None = None  # what /xyz/ answers (default: tile_png(0, 0, 0))
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                owner.requests.append(self.path)
                query = {k.upper(): v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                if owner.mode == "html":
                    return self._send(200, "text/html", b"<!doctype html><html><body>Logga in</body></html>")
                if self.path.startswith("/wms"):
                    if query.get("REQUEST") == "GetCapabilities":
                        document = wms111_capabilities(owner.url) if owner.mode == "wms-1.1.1" else \
                            wms_capabilities(owner.url, owner.mode)
                        return self._send(200, "text/xml", document.encode())
                    if query.get("REQUEST") == "GetMap" and query.get("MAP") == "stadskarta":
                        return self._send(200, "image/png", _getmap(query))
                    return self._send(200, "application/vnd.ogc.se_xml", b"<ServiceExceptionReport/>")
                if self.path.startswith("/xyz/"):  # plain XYZ tiles, as a TILE_URL server gives
                    return self._send(200, "image/png", owner.xyz_tile or tile_png(0, 0, 0),
                                      owner.tile_headers)
                if query.get("REQUEST") == "GetCapabilities":
                    return self._send(200, "application/xml", capabilities(owner.url, owner.mode).encode())
                if query.get("REQUEST") == "GetTile":
                    matrix, row = int(query["TILEMATRIX"]), int(query["TILEROW"])
                    col = int(query["TILECOL"])
                    return self._send(200, "image/png", tile_png(matrix, row, col), owner.tile_headers)
                return self._send(404, "text/plain", b"not found")

            def _send(self, status: int, content_type: str, body: bytes, headers=None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def capabilities_url(self) -> str:
        return f"{self.url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&apikey=hemlig-nyckel"

    @property
    def wms_capabilities_url(self) -> str:
        return f"{self.url}/wms?SERVICE=WMS&REQUEST=GetCapabilities&apikey=hemlig-nyckel"

    def tile_requests(self) -> list[str]:
        return [r for r in self.requests if "GetTile" in r or "GetMap" in r or r.startswith("/xyz/")]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
