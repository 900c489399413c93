"""Tiles of an upstream XYZ, WMTS or WMS server, fetched by our server and cached on disk.

The resident's browser asks only us; the upstream sees our server, never the resident, and an
API key in the upstream URL stays here. A tile once fetched is answered from TILE_CACHE_DIR until
it expires (the cache file's modification time is its expiry: the upstream's Cache-Control or
Expires, within TILE_CACHE_MIN_AGE..TILE_CACHE_MAX_AGE); a stale tile is fetched again, and
answered as it is while the upstream fails. When the upstream fails we stop asking it for a
while; if we had no copy of the tile, pages show the outline view meanwhile.
"""

from __future__ import annotations

import email.utils
import os
import re
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

# (base map id, source token) -> monotonic time until which its upstream is left alone, and until
# which its pages show the outline view (only when a tile had no copy to answer with)
_quiet_until: dict[tuple[int, str], float] = {}
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
    return fetch_with_age(url, expect=expect)[0]


def _fresh_for(headers) -> float | None:
    """Seconds the upstream says its answer stays fresh (Cache-Control max-age, else Expires)."""
    control = (headers.get("Cache-Control") or "").lower()
    if "no-store" in control or "no-cache" in control:
        return 0.0
    match = re.search(r"(?:s-maxage|max-age)\s*=\s*(\d+)", control)
    if match:
        return float(match.group(1))
    try:
        expires = email.utils.parsedate_to_datetime(headers.get("Expires") or "")
    except (TypeError, ValueError):
        return None
    return max(0.0, expires.timestamp() - time.time()) if expires.tzinfo else None


def fetch_with_age(url: str, *, expect: str = "image") -> tuple[bytes, float | None]:
    """fetch(), and how many seconds the upstream says the answer stays fresh (None: it does not say)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError("only http and https upstreams")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s)
    with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT) as answer:  # noqa: S310 - http(s) checked
        data = answer.read(MAX_TILE_BYTES + 1)
        content_type = (answer.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fresh_for = _fresh_for(answer.headers)
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
    return data, fresh_for


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


def _lifetime(fresh_for: float | None) -> float:
    """Seconds a fetched tile is kept fresh: the upstream's word within the configured bounds."""
    longest = float(current_app.config.get("TILE_CACHE_MAX_AGE", 7 * 86400))
    shortest = float(current_app.config.get("TILE_CACHE_MIN_AGE", 3600))
    return min(longest, max(shortest, longest if fresh_for is None else fresh_for))


def _store(path: Path, data: bytes, expires: float) -> None:
    """Write a cache file atomically (a reader never sees half a tile), its mtime its expiry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    os.utime(temporary, (expires, expires))
    os.replace(temporary, path)


def upstream_tile(source: TileSource, z: int, x: int, y: int) -> bytes | None:
    """A tile from the disk cache while fresh, else from the upstream (then cached); the stale copy
    while the upstream fails; None where the upstream has no tile."""
    path = _cached_path(source, z, x, y)
    stale = None
    try:
        with path.open("rb") as f:
            if os.fstat(f.fileno()).st_mtime > time.time():
                return f.read()
            stale = f.read()
    except FileNotFoundError:
        pass
    key = (source.basemap_id, source.token)
    if time.monotonic() < _quiet_until.get(key, 0.0):
        if stale is not None:
            return stale
        _down_until[key] = _quiet_until[key]  # a tile we cannot answer: pages show the outline view
        raise UpstreamUnavailable
    try:
        data, fresh_for = fetch_with_age(upstream_url(source, z, x, y))
    except urllib.error.HTTPError as err:
        if err.code in (400, 404):  # outside the upstream's coverage: an empty place, not a fault
            return None
        return _failed(key, stale, err)
    except (OSError, ValueError) as err:  # BaseMapError (HTML, not an image) is a ValueError
        current_app.logger.warning("base map %s upstream failed: %s", source.basemap_id, type(err).__name__)
        return _failed(key, stale, err)
    _quiet_until.pop(key, None)
    _down_until.pop(key, None)
    _store(path, data, time.time() + _lifetime(fresh_for))
    return data


def _failed(key: tuple[int, str], stale: bytes | None, err: Exception) -> bytes:
    """After an upstream failure: leave it alone a while; answer the stale copy if there is one."""
    until = time.monotonic() + QUIET_AFTER_FAILURE
    _quiet_until[key] = until
    if stale is not None:
        return stale  # the map stays as it was; pages keep showing it
    _down_until[key] = until
    raise UpstreamUnavailable from err
