"""The one place that knows how a resident's submission goes over HTTP (load tests and bench).

A resident's questionnaire posts the whole response (answers and pins) as JSON to /d/<slug>/svar
with the page's CSRF token in a header and a client-made idempotency key; so does this client.
The survey is our main template, whose map questions each collect one value.
"""

from __future__ import annotations

import re

import requests
from requests.adapters import HTTPAdapter

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The main template (surveys/trygghet-rattvisa-utveckling.yaml): one map question per value.
MAP_QUESTION = {"safety": "karta_trygghet", "justice": "karta_rattvisa", "development": "karta_utveckling"}
CONSENT = {"samtycke": True}


class Rejected(AssertionError):
    """The server answered a submission with something other than stored or retry-later."""


class RetryLater(Exception):
    """The server asked us to come back (503 + Retry-After) before we even had the form."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class FromAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.0/8): one resident's own IP address."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def open_session(base_url: str, slug: str, timeout: float = 30,
                 source: str | None = None) -> requests.Session:
    """A resident's browser (from its own address, if given): the questionnaire fetched once for
    its cookie and CSRF token."""
    session = requests.Session()
    if source is not None:
        session.mount("http://", FromAddress(source))
    page = session.get(f"{base_url}/d/{slug}/svara", timeout=timeout)
    wait = retry_after(page)
    if wait is not None:
        raise RetryLater(wait)
    page.raise_for_status()
    match = _CSRF.search(page.text)
    if not match:
        raise Rejected("the dialogue page has no CSRF token")
    session.csrf_token = match.group(1)  # type: ignore[attr-defined]
    return session


def submit(session: requests.Session, base_url: str, slug: str, key: str, pins: list[dict],
           answers: dict | None = None, timeout: float = 30) -> requests.Response:
    """Send one whole response (answers and pins) with an idempotency key, as the page does."""
    payload = {
        "key": key,
        "answers": {**CONSENT, **(answers or {})},
        "pins": [
            {"question": MAP_QUESTION[pin["value"]], "sentiment": pin["sentiment"],
             "comment": pin["comment"], "location": {"kind": "map", "lat": pin["lat"], "lng": pin["lng"]}}
            for pin in pins
        ],
        "website": "",
    }
    return session.post(
        f"{base_url}/d/{slug}/svar",
        json=payload,
        headers={"X-CSRFToken": session.csrf_token},  # type: ignore[attr-defined]
        allow_redirects=False,
        timeout=timeout,
    )


def stored(response: requests.Response) -> bool:
    """True when the server says the submission is stored (it answers with the receipt)."""
    return response.status_code == 200 and "receipt" in response.json()


def retry_after(response: requests.Response) -> float | None:
    """Seconds to wait before resending: the server asked for it (503, or a rate limit's 429, with
    Retry-After: the page's script resends on both), or a proxy in front of it could not get an
    answer (502, 504)."""
    if response.status_code in (429, 503) and response.headers.get("Retry-After", "").isdigit():
        return float(response.headers["Retry-After"])
    if response.status_code in (502, 504):  # a proxy lost its server: resend with the same key
        return 1.0
    return None
