"""Tiles of an upstream XYZ, WMTS or WMS server, fetched by our server and cached on disk.

The resident's browser asks only us; the upstream sees our server, never the resident, and an
API key in the upstream URL stays here. A tile once fetched is answered from TILE_CACHE_DIR.
When the upstream fails, we stop asking it for a while and the page shows the outline view.
"""

from __future__ import annotations

import os
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from .files import BaseMapError
from .tiles import TileSource, UpstreamUnavailable

UPSTREAM_TIMEOUT = 6.0  # seconds for one upstream request
QUIET_AFTER_FAILURE = 30.0  # seconds without asking an upstream that just failed
MAX_TILE_BYTES = 4 * 1024 * 1024
USER_AGENT = "Platsdialog tile proxy (+https://github.com/platsdialog)"

# (base map id, source token) -> monotonic time until which its upstream is left alone
_down_until: dict[tuple[int, str], float] = {}


def cache_dir() -> Path:
    """Where fetched tiles are kept (TILE_CACHE_DIR, default instance/tile-cache)."""
    configured = current_app.config.get("TILE_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "tile-cache"


def is_down(basemap_id: int, token: str) -> bool:
    """Whether this base map's upstream failed a moment ago (its pages show the outline view)."""
    return time.monotonic() < _down_until.get((basemap_id, token), 0.0)


def image_kind(data: bytes) -> str | None:
    """png, jpg or webp by the bytes' signature, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def fetch(url: str, *, expect: str = "image") -> bytes:
    """GET an upstream URL; BaseMapError saying what came back when it is not what we expect.

    urllib.error.HTTPError (with .code) and OSError (timeouts, refused connections) pass through.
    """
    if not url.startswith(("http://", "https://")):
        raise ValueError("only http and https upstreams")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s)
    with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT) as answer:  # noqa: S310 - http(s) checked
        data = answer.read(MAX_TILE_BYTES + 1)
        content_type = (answer.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    looks_html = content_type in ("text/html", "application/xhtml+xml") or data.lstrip()[:15].lower() \
        .startswith((b"<!doctype html", b"<html"))
    if expect == "image":
        if looks_html:
            raise BaseMapError(_l("The map server answered with a web page (HTML), not a map image: "
                                  "check the address, and whether it needs a key."))
        if image_kind(data) is None or len(data) > MAX_TILE_BYTES:
            raise BaseMapError(_l("The map server's answer is not a PNG, JPEG or WebP image "
                                  "(it sent %(type)s).", type=content_type or "?"))
    elif looks_html:
        raise BaseMapError(_l("The address answered with a web page (HTML), not a capabilities "
                              "document."))
    return data


def upstream_url(source: TileSource, z: int, x: int, y: int) -> str:
    """The upstream address of tile z/x/y (XYZ placeholders, the WMTS matrix, row and column, or
    the WMS GetMap box of the tile)."""
    url = source.url or ""
    if source.kind == "wms":
        from .wms import tile_box

        return tile_box(url, source, z, x, y)
    if source.matrices is not None:
        matrix_id = source.matrices[z][0]
        return (url.replace("{TileMatrix}", matrix_id).replace("{TileRow}", str(y))
                .replace("{TileCol}", str(x)))
    return url.replace("{s}", "a").replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def _cached_path(source: TileSource, z: int, x: int, y: int) -> Path:
    return cache_dir() / f"{source.basemap_id}-{source.token}" / str(z) / str(x) / f"{y}.tile"


def _store(path: Path, data: bytes) -> None:
    """Write a cache file atomically: a reader never sees half a tile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def upstream_tile(source: TileSource, z: int, x: int, y: int) -> bytes | None:
    """A tile from the disk cache, else from the upstream (then cached); None where it has none."""
    path = _cached_path(source, z, x, y)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    key = (source.basemap_id, source.token)
    if is_down(*key):
        raise UpstreamUnavailable
    try:
        data = fetch(upstream_url(source, z, x, y))
    except urllib.error.HTTPError as err:
        if err.code in (400, 404):  # outside the upstream's coverage: an empty place, not a fault
            return None
        _down_until[key] = time.monotonic() + QUIET_AFTER_FAILURE
        raise UpstreamUnavailable from err
    except (OSError, ValueError) as err:  # BaseMapError (HTML, not an image) is a ValueError
        _down_until[key] = time.monotonic() + QUIET_AFTER_FAILURE
        current_app.logger.warning("base map %s upstream failed: %s", source.basemap_id, type(err).__name__)
        raise UpstreamUnavailable from err
    _down_until.pop(key, None)
    _store(path, data)
    return data
