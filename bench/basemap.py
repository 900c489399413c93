"""Base map benchmark: a phone on a 4G-like line, and tile answers per second from one worker.

    SPATIALITE_LIBRARY_PATH=mod_spatialite .venv/bin/python bench/basemap.py [--seconds 10]

1. The demo (SpatiaLite, `platsdialog demo`) under gunicorn with one worker. Chromium as a phone
   (390x844, touch), the network throttled to 9 Mbit/s down, 150 ms latency, the browser cache
   off: bytes and time until the first view's tiles are painted, for the landing page and the
   questionnaire; beside it the same pages without a base map (the outline view, the baseline).
2. Tile answers per second from one gunicorn worker: the demo PMTiles file, and a WMTS upstream
   whose tiles are already in our disk cache; beside them a small static file from the same worker.
Writes the "Base map" section of bench/RESULTS.md.

    ... bench/basemap.py --tiles-only [--seconds 10]

measures only part 2 over HTTP with a light client (raw sockets, so the client takes little of
the worker's CPU) and the worker's own CPU time, and writes the "Base map: tile answers over HTTP"
section.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import requests
from common import REPO, hammer, machine, now, write_section
from playwright.sync_api import sync_playwright

from app.basemap.service import source_token
from app.spatial import mercator_tile_range
from tests.reliability.server import gunicorn, gunicorn_server
from tests.wmts_server import MARK, ORIGIN, RESOLUTIONS, WMTSServer

PLATSDIALOG = str(Path(sys.executable).parent / "platsdialog")
DOWN_BPS, UP_BPS, LATENCY_MS = 9_000_000 / 8, 3_000_000 / 8, 150
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TILES_PAINTED = (
    "() => { const t = [...document.querySelectorAll('.base-tiles img.leaflet-tile')];"
    " return t.length > 0 && t.every(i => i.classList.contains('leaflet-tile-loaded')"
    " && getComputedStyle(i).opacity === '1'); }")
STATIC = "/static/js/place-labels.js"  # a 2.7 kB file served by the same worker (Flask's static route)
OUTLINE_DRAWN = "() => document.querySelector('.leaflet-container path, .leaflet-container canvas') !== null"


def cli(database_url: str, *args: str) -> str:
    """Run `platsdialog ARGS` on the benchmark's database."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run([PLATSDIALOG, *args], env=env, cwd=REPO,  # noqa: S603
                          capture_output=True, text=True, check=True)
    return done.stdout


def phone_visit(browser, url: str, ready: str) -> tuple[int, int, float]:
    """(all bytes, tile bytes, ms to ready) of one first visit on a throttled phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BPS, "uploadThroughput": UP_BPS})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="commit")
    page.wait_for_function(ready, timeout=60_000, polling=50)
    elapsed = page.evaluate("performance.now()")  # since the navigation started
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    tiles = sum(size for rid, size in sizes.items() if "/kartor/" in urls.get(rid, ""))
    context.close()
    return total, tiles, elapsed


def median_visit(browser, url: str, ready: str, runs: int = 3) -> tuple[int, int, float]:
    visits = sorted((phone_visit(browser, url, ready) for _ in range(runs)), key=lambda v: v[2])
    return visits[len(visits) // 2]


def tile_paths(base: str) -> list[str]:
    """Tile URLs over Husby at zooms 14-17, as residents zooming around ask for them."""
    paths = []
    for z in (14, 15, 16, 17):
        x0, y0, x1, y1 = mercator_tile_range((17.905, 59.402, 17.95, 59.42), z)
        paths += [f"{base}/{z}/{x}/{y}" for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return paths


def rate(base_url: str, paths: list[str], seconds: float, clients: int = 4):
    def make_sender():
        session = requests.Session()

        def send(n: int) -> int:
            return session.get(base_url + paths[n % len(paths)]).status_code
        return send
    return hammer(make_sender, clients, seconds)


def in_process_rate(database_url: str, paths: list[str], seconds: float) -> tuple[float, float]:
    """(answers per second, per CPU second) of the app called directly in one thread (no HTTP)."""
    import time

    from app import create_app
    from app.i18n import compile_catalogs

    compile_catalogs()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    for path in paths:  # warm: readers open, sources cached
        client.get(path)
    done, stop = 0, time.monotonic() + seconds
    start, cpu = time.monotonic(), time.process_time()
    while time.monotonic() < stop:
        assert client.get(paths[done % len(paths)]).status_code == 200
        done += 1
    return done / (time.monotonic() - start), done / (time.process_time() - cpu)


def raw_sender(base_url: str, paths: list[str]):
    """A sender for hammer(): one GET per connection over a plain socket (the sync worker closes)."""
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port

    def make_sender():
        def send(n: int) -> int:
            with socket.create_connection((host, port)) as conn:
                conn.sendall(f"GET {paths[n % len(paths)]} HTTP/1.1\r\nHost: {host}\r\n"
                             "Connection: close\r\n\r\n".encode())
                head = b""
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    head = head or chunk
            return int(head.split(b" ", 2)[1])
        return send
    return make_sender


def worker_cpu(master_pid: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def tiles_only(seconds: float) -> None:
    """Tile answers over HTTP from one worker: PMTiles, the upstream cache, a static file."""
    started, where = now(), machine()
    folder = Path(tempfile.mkdtemp(prefix="bench-basemap-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite'}"
    cli(database_url, "demo", "--pins", "200")
    upstream = WMTSServer()
    rows = []
    try:
        with gunicorn_server(database_url, workers=1) as server:
            base_url = server.url
            landing = requests.get(base_url + "/d/husby-demo").text
            tile_base = landing.split('"/kartor/', 1)[1].split("/{z}", 1)[0]
            pmtiles = tile_paths("/kartor/" + tile_base)
            cli(database_url, "basemap", "add-wmts", upstream.capabilities_url, "--layer", "topo",
                "--site-wide", "--name", "WMTS", "--attribution", "Test")
            with sqlite3.connect(folder / "bench.sqlite") as db:
                wmts_id, source = db.execute(
                    "SELECT id, source FROM base_map WHERE kind = 'wmts'").fetchone()
            span = RESOLUTIONS[6] * 256
            col, row = int((MARK[0] - ORIGIN[0]) // span), int((ORIGIN[1] - MARK[1]) // span)
            wmts = [f"/kartor/{wmts_id}/{source_token(source)}/6/{x}/{y}"
                    for x in range(col - 6, col + 6) for y in range(row - 5, row + 5)]
            for path in wmts + pmtiles + [STATIC]:  # warm: every tile cached, readers open
                assert requests.get(base_url + path).status_code == 200
            fetched = len(upstream.tile_requests())
            for name, paths in [("PMTiles file (demo base map)", pmtiles),
                                ("WMTS upstream, from the disk cache (fresh)", wmts),
                                ("baseline: a 2.7 kB static file", [STATIC])]:
                cpu = worker_cpu(server.process.pid)
                m = hammer(raw_sender(base_url, paths), 2, seconds)
                used = worker_cpu(server.process.pid) - cpu
                rows.append(f"| {name} | {m.rate:,.0f} | {m.ok / used:,.0f} | {m.percentile(50):.1f} ms | "
                            f"{m.percentile(99):.1f} ms | {sum(m.refused.values()) + m.errors} |")
            assert len(upstream.tile_requests()) == fetched  # the cache answered everything
    finally:
        upstream.stop()
    body = f"""Run {started} on {where}.
`bench/basemap.py --tiles-only --seconds {seconds:g}`: the demo on SpatiaLite, gunicorn with **one** sync
worker; 2 client threads sending plain HTTP/1.1 GETs over raw sockets (one connection per request,
as the sync worker closes each), so the client takes little CPU. "Per worker CPU s" divides the
answers by the worker process's own CPU time (/proc), what one worker on a core of its own would
answer. Tiles cycle over {len(pmtiles)} PMTiles tiles (zoom 14-17 over Husby) and {len(wmts)} cached
WMTS tiles; the cached tiles are checked for freshness (their expiry) on every answer.

| answered from | over HTTP, per s | per worker CPU s | p50 | p99 | failed |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Target (issue 13): at least 1,000 tile answers per second from the cache on one worker.
"""
    write_section("Base map: tile answers over HTTP", body)
    print(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--tiles-only", action="store_true", help="Only tile answers over HTTP.")
    args = parser.parse_args()
    if args.tiles_only:
        tiles_only(args.seconds)
        return
    started, where = now(), machine()
    folder = Path(tempfile.mkdtemp(prefix="bench-basemap-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite'}"
    cli(database_url, "demo", "--pins", "200")
    rows, rates = [], []
    upstream = WMTSServer()
    try:
        with gunicorn(database_url, workers=1) as base_url, sync_playwright() as p:
            chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            pages = {"landing page": "/d/husby-demo", "questionnaire": "/d/husby-demo/svara"}
            with_map = {name: median_visit(browser, base_url + path, TILES_PAINTED)
                        for name, path in pages.items()}
            landing = requests.get(base_url + "/d/husby-demo").text
            tile_base = landing.split('"/kartor/', 1)[1].split("/{z}", 1)[0]
            pmtiles = tile_paths("/kartor/" + tile_base)
            # The WMTS upstream, warmed: every benchmark tile is in the disk cache before the clock.
            cli(database_url, "basemap", "add-wmts", upstream.capabilities_url, "--layer", "topo",
                "--site-wide", "--name", "WMTS", "--attribution", "Test")
            with sqlite3.connect(folder / "bench.sqlite") as db:  # a plain table: no SpatiaLite needed
                wmts_id, source = db.execute(
                    "SELECT id, source FROM base_map WHERE kind = 'wmts'").fetchone()
            wmts_base = f"/kartor/{wmts_id}/{source_token(source)}"
            span = RESOLUTIONS[6] * 256  # a block of 12 x 10 tiles of matrix 6 around Husby centrum
            col, row = int((MARK[0] - ORIGIN[0]) // span), int((ORIGIN[1] - MARK[1]) // span)
            wmts = [f"{wmts_base}/6/{x}/{y}"
                    for x in range(col - 6, col + 6) for y in range(row - 5, row + 5)]
            for path in wmts:
                requests.get(base_url + path)
            seconds = args.seconds
            direct = [("PMTiles file", in_process_rate(database_url, pmtiles, seconds)),
                      ("WMTS cache", in_process_rate(database_url, wmts, seconds)),
                      ("static file", in_process_rate(database_url, [STATIC], seconds))]
            rates.append(("PMTiles file (demo base map)", rate(base_url, pmtiles, args.seconds)))
            rates.append(("WMTS upstream, from the disk cache", rate(base_url, wmts, args.seconds)))
            rates.append(("baseline: a 2.7 kB static file",
                          rate(base_url, [STATIC], args.seconds)))
            cli(database_url, "basemap", "remove", str(wmts_id))
            cli(database_url, "basemap", "remove", tile_base.split("/")[0])
            outline = {name: median_visit(browser, base_url + path, OUTLINE_DRAWN)
                       for name, path in pages.items()}
            browser.close()
    finally:
        upstream.stop()
    for name in pages:
        total, tiles, ms = with_map[name]
        base_total, _none, base_ms = outline[name]
        rows.append(f"| {name} | {total / 1e6:.2f} MB ({tiles / 1e3:.0f} kB tiles) | {ms / 1000:.2f} s | "
                    f"{base_total / 1e6:.2f} MB | {base_ms / 1000:.2f} s |")
    rate_rows = [f"| {name} | {cpu_rate:,.0f} | {wall_rate:,.0f} | {m.rate:,.0f} | "
                 f"{m.percentile(50):.1f} ms | {m.percentile(99):.1f} ms | "
                 f"{sum(m.refused.values()) + m.errors} |"
                 for (name, m), (_same, (wall_rate, cpu_rate)) in zip(rates, direct, strict=True)]
    body = f"""Run {started} on {where}.
`bench/basemap.py --seconds {args.seconds:g}`: the demo on SpatiaLite, gunicorn with **one** sync worker,
Chromium as a phone (390x844, touch, device pixel ratio 2), network throttled to 9 Mbit/s down /
3 Mbit/s up / 150 ms latency, browser cache off (a first visit); median of three visits.
"Ready" is the first view's base map tiles all painted (with the base map) or the area outline
drawn (without: the outline view, the baseline).

| page | bytes with base map | ready with base map | bytes, outline view | ready, outline view |
|---|---|---|---|---|
{chr(10).join(rows)}

Target (issue 13): at most 1.5 MB and 3 s to first tiles painted.

Tile answers per second: "in process" is the app called directly in one thread (what one worker
spends per answer, without HTTP), per CPU second (independent of how busy the shared machine is)
and per wall-clock second; "over HTTP" is the one gunicorn worker with 4 client threads
(Python `requests`, keep-alive) on the same 2-core machine, {args.seconds:g} s each, so the clients
take CPU from the worker. Tiles cycle over {len(pmtiles)} PMTiles tiles (zoom 14-17 over Husby) and
{len(wmts)} cached WMTS tiles.

| answered from | in process, per CPU s | in process, per s | over HTTP, per s | p50 | p99 | failed |
|---|---|---|---|---|---|---|
{chr(10).join(rate_rows)}

Target (issue 13): at least 1,000 tile answers per second from the cache on one worker.
"""
    write_section("Base map", body)
    print(body)


if __name__ == "__main__":
    main()
