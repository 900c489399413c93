"""Shared pieces of the benchmarks: the machine, fresh databases, timing many clients, RESULTS.md."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "RESULTS.md"


def machine() -> str:
    """One line: cores, memory, CPU model, Python, and how busy the machine was."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        mem_kb = int(info.readline().split()[1])
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.1f} GB RAM, Python "
            f"{platform.python_version()}, load average {load:.1f} at start")


DATABASE_LABELS = {"postgis": "PostGIS", "spatialite": "SpatiaLite"}


@contextlib.contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """The URL of a new empty database, deleted afterwards: "postgis" (a throwaway PostgreSQL
    cluster) or "spatialite" (a file in a temporary folder)."""
    if name == "postgis":
        from tests.reliability.server import ThrowawayPostgres

        pg = ThrowawayPostgres()
        try:
            yield pg.url
        finally:
            pg.destroy()
    elif name == "spatialite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
    else:
        raise ValueError(f"no such database kind: {name} (postgis or spatialite)")


def engine_for(url: str):
    """A SQLAlchemy engine on the URL; SQLite through sqlean, as the app loads SpatiaLite."""
    from sqlalchemy import create_engine

    return create_engine(url, module=__import__("sqlean")) if url.startswith("sqlite") else create_engine(url)


def now() -> str:
    """Date and time of the run, UTC."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class Measurement:
    ok: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def hammer(make_sender: Callable[[], Callable[[int], int]], clients: int, seconds: float) -> Measurement:
    """`clients` threads, each with its own sender, sending until `seconds` have passed.

    A sender takes a running number and returns the HTTP status; 2xx/3xx counts as done.
    """
    result = Measurement()
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = [0.0]

    def start_clock() -> None:  # run once, by the last thread to arrive, before any is released
        stop_at[0] = time.monotonic() + seconds

    ready = threading.Barrier(clients + 1, action=start_clock)

    def worker() -> None:
        try:
            send = make_sender()
        except Exception:  # noqa: BLE001 - a client that could not start still releases the others
            with lock:
                result.errors += 1
            ready.wait()
            return
        ready.wait()
        while time.monotonic() < stop_at[0]:
            with lock:
                n = next(counter)
            t0 = time.monotonic()
            try:
                status = send(n)
            except Exception:  # noqa: BLE001 - counted, shown in the results
                with lock:
                    result.errors += 1
                continue
            latency = time.monotonic() - t0
            with lock:
                if status < 400:
                    result.ok += 1
                    result.latencies.append(latency)
                else:
                    result.refused[status] = result.refused.get(status, 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()  # every client has its session (page and CSRF token) before the clock starts
    start = stop_at[0] - seconds
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - start
    return result


def merge(parts: list[Measurement]) -> Measurement:
    """Several runs of the same thing as one measurement."""
    total = Measurement()
    for part in parts:
        total.ok += part.ok
        total.errors += part.errors
        total.latencies += part.latencies
        total.elapsed += part.elapsed
        for status, count in part.refused.items():
            total.refused[status] = total.refused.get(status, 0) + count
    return total


def write_section(heading: str, body: str) -> None:
    """Replace (or add) one `## heading` section of bench/RESULTS.md, leaving the others alone."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    section = f"## {heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """Median wall seconds of `repeat` runs, after one warm-up run (caches, connection pool)."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def publish(heading: str, body: str, record: bool) -> None:
    """Print a benchmark's section, and write it to bench/RESULTS.md when asked to."""
    print(body)
    if record:
        write_section(heading, body)
