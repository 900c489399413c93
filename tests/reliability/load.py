"""Many residents at once: a pool of client threads sending submissions, retrying when asked."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from app.domain import SENTIMENTS, VALUES

from . import client

# Inside the Husby demo area (lat, lng): every generated pin lies within 0.0005° of it.
CENTRE = (59.4108, 17.9259)


@dataclass(frozen=True)
class Submission:
    key: str
    pins: list[dict]
    answers: dict


def pin_for(i: int) -> dict:
    """The i-th generated pin: inside the area, value and sentiment cycling."""
    return {
        "lat": CENTRE[0] + ((i * 7919) % 1000 - 500) / 1_000_000,
        "lng": CENTRE[1] + ((i * 104729) % 1000 - 500) / 1_000_000,
        "value": VALUES[i % len(VALUES)],
        "sentiment": SENTIMENTS[i % len(SENTIMENTS)],
        "comment": f"Synpunkt {i}: gångvägen behöver bättre belysning.",
    }


def submissions(n: int, prefix: str = "") -> list[Submission]:
    """n distinct submissions; values and sentiments cycle so the expected counts are known."""
    return [Submission(f"{prefix}{uuid.uuid4()}", [pin_for(i)], {}) for i in range(n)]


def expected_values(items: list[Submission]) -> Counter:
    """How many pins of each value the submissions carry."""
    return Counter(pin["value"] for s in items for pin in s.pins)


@dataclass
class LoadReport:
    sent: int = 0
    stored: int = 0
    statuses: Counter = field(default_factory=Counter)
    retries: int = 0
    connection_errors: int = 0
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # seconds, of requests that stored
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def run(base_url: str, slug: str, items: list[Submission], *, clients: int = 50, copies: int = 1,
        retry_cap: float = 1.0, give_up_after: float = 120.0, duration: float | None = None,
        report: LoadReport | None = None, addresses: list[str] | None = None) -> LoadReport:
    """Send every submission `copies` times from `clients` threads; resend on 503 until stored.

    With `duration`, stop taking new work after that many seconds (benchmarks). A `report`
    passed in is filled as the run goes, so another thread can watch the progress. With
    `addresses`, client i connects from addresses[i % len(addresses)] (per-address rate limits).
    """
    work: queue.Queue = queue.Queue()
    for item in items:
        for _ in range(copies):
            work.put(item)
    report = report if report is not None else LoadReport()
    lock = threading.Lock()
    start = time.monotonic()

    def worker(source: str | None) -> None:
        session = None
        while True:
            if duration is not None and time.monotonic() - start > duration:
                return
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            first_try = time.monotonic()
            while True:
                try:
                    if session is None:
                        session = client.open_session(base_url, slug, source=source)
                    t0 = time.monotonic()
                    response = client.submit(session, base_url, slug, item.key, item.pins, item.answers)
                    latency = time.monotonic() - t0
                except (requests.ConnectionError, requests.Timeout):
                    with lock:
                        report.connection_errors += 1
                    session = None
                    wait = retry_cap
                except client.RetryLater as later:
                    with lock:
                        report.statuses[503] += 1
                    wait = later.seconds
                except Exception as err:  # noqa: BLE001 - a lost item must fail the run, not vanish
                    with lock:
                        report.failures.append(f"{item.key}: {err!r}")
                    break
                else:
                    with lock:
                        report.sent += 1
                        report.statuses[response.status_code] += 1
                    if client.stored(response):
                        with lock:
                            report.stored += 1
                            report.latencies.append(latency)
                        break
                    wait = client.retry_after(response)
                    if wait is None:
                        with lock:
                            report.failures.append(f"{response.status_code}: {response.text[:300]}")
                        break
                if time.monotonic() - first_try > give_up_after:
                    with lock:
                        report.failures.append(f"gave up on {item.key}")
                    break
                with lock:
                    report.retries += 1
                time.sleep(min(wait, retry_cap))

    threads = [threading.Thread(target=worker, daemon=True,
                                args=(addresses[i % len(addresses)] if addresses else None,))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.elapsed = time.monotonic() - start
    return report
