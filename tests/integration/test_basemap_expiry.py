"""Cached upstream tiles expire: after the upstream's own Cache-Control/Expires (within the configured
bounds) or the configured maximum, a tile is fetched again; while the upstream is down, the stale
copy is answered and the pages keep their map."""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

import pytest

from ..basemap_helpers import TILE_TEMPLATE
from ..wmts_server import tile_png

HUSBY_TILE = "15/18015/9622"


@pytest.fixture
def xyz(app, make, runner, client, upstream, tmp_path, monkeypatch):
    """A dialogue on an XYZ upstream; the base of its tile URLs on our origin (a cache of its own)."""
    monkeypatch.setitem(app.config, "TILE_CACHE_DIR", str(tmp_path / "tile-cache"))
    municipality = make.municipality("Stockholm", "0180")
    slug = make.dialogue(make.area(municipality)).slug
    result = runner.invoke(args=["basemap", "add-xyz", f"{upstream.url}/xyz/{{z}}/{{x}}/{{y}}.png",
                                 "--kommunkod", "0180", "--name", "XYZ", "--attribution", "Testservern"])
    assert result.exit_code == 0, result.output
    page = client.get(f"/d/{slug}").get_data(as_text=True)
    return {"slug": slug, "base": TILE_TEMPLATE.search(page).group(1)}


def _cache_file(app, base: str, tile: str) -> Path:
    basemap_id = base.split("/")[2]
    z, x, y = tile.split("/")
    return next(Path(app.config["TILE_CACHE_DIR"]).glob(f"{basemap_id}-*/{z}/{x}/{y}.tile"))


def test_a_tile_is_fetched_again_when_the_upstreams_max_age_has_passed(app, client, upstream, xyz,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "TILE_CACHE_MIN_AGE", 0)
    upstream.tile_headers = {"Cache-Control": "public, max-age=1"}
    before = len(upstream.tile_requests())
    first = client.get(f"{xyz['base']}/{HUSBY_TILE}")
    assert first.status_code == 200 and first.data == tile_png(0, 0, 0)
    assert client.get(f"{xyz['base']}/{HUSBY_TILE}").data == first.data
    assert len(upstream.tile_requests()) == before + 1  # fresh: from the cache
    upstream.xyz_tile = tile_png(5, 3, 3)  # the municipality updates its map
    time.sleep(1.2)
    again = client.get(f"{xyz['base']}/{HUSBY_TILE}")
    assert len(upstream.tile_requests()) == before + 2  # stale: asked again
    assert again.status_code == 200 and again.data == tile_png(5, 3, 3)
    assert again.headers["ETag"] != first.headers["ETag"]  # browsers see the new tile too
    assert client.get(f"{xyz['base']}/{HUSBY_TILE}").data == again.data
    assert len(upstream.tile_requests()) == before + 2


@pytest.mark.parametrize(("headers", "lifetime"), [
    ({}, 7 * 86400),  # the upstream says nothing: the configured maximum
    ({"Cache-Control": "max-age=7200"}, 7200),
    ({"Cache-Control": "max-age=60"}, 3600),  # never shorter than the minimum
    ({"Cache-Control": "no-cache"}, 3600),
    ({"Cache-Control": "max-age=99999999"}, 7 * 86400),  # never longer than the maximum
    ({"Expires": "EXPIRES_IN_2_DAYS"}, 2 * 86400),
])
def test_how_long_a_tile_stays_fresh_follows_the_upstream_within_the_configured_bounds(
        app, client, upstream, xyz, headers, lifetime):
    if headers.get("Expires") == "EXPIRES_IN_2_DAYS":
        headers = {"Expires": email.utils.formatdate(time.time() + 2 * 86400, usegmt=True)}
    upstream.tile_headers = headers
    started = time.time()
    assert client.get(f"{xyz['base']}/{HUSBY_TILE}").status_code == 200
    expires = _cache_file(app, xyz["base"], HUSBY_TILE).stat().st_mtime
    assert expires == pytest.approx(started + lifetime, abs=5)


def test_while_the_upstream_is_down_a_stale_tile_is_answered_and_the_page_keeps_its_map(
        app, client, upstream, xyz, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_CACHE_MIN_AGE", 0)
    upstream.tile_headers = {"Cache-Control": "max-age=0"}
    first = client.get(f"{xyz['base']}/{HUSBY_TILE}")
    assert first.status_code == 200
    upstream.stop()
    stale = client.get(f"{xyz['base']}/{HUSBY_TILE}")
    assert stale.status_code == 200 and stale.data == first.data
    page = client.get(f"/d/{xyz['slug']}").get_data(as_text=True)
    assert TILE_TEMPLATE.search(page)  # still the base map, not the outline view
    # A tile we never had cannot be answered: 503, and pages show the outline view with the notice.
    missing = client.get(f"{xyz['base']}/16/36030/19244")
    assert missing.status_code == 503
    page = client.get(f"/d/{xyz['slug']}").get_data(as_text=True)
    assert TILE_TEMPLATE.search(page) is None
    assert "Bakgrundskartan kan inte visas just nu" in page
