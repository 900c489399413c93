"""The one place that knows how a resident's submission goes over HTTP (load tests and bench).

Today the resident page posts one pin as a form to /d/<slug>/pin; when the JSON endpoint for a
whole response (answers and several pins) lands, only `open_session` and `submit` change.
"""

from __future__ import annotations

import re

import requests

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Rejected(AssertionError):
    """The server answered a submission with something other than stored or retry-later."""


class RetryLater(Exception):
    """The server asked us to come back (503 + Retry-After) before we even had the form."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


def open_session(base_url: str, slug: str, timeout: float = 30) -> requests.Session:
    """A resident's browser: the dialogue page fetched once for its cookie and CSRF token."""
    session = requests.Session()
    page = session.get(f"{base_url}/d/{slug}", timeout=timeout)
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
    """Send one resident submission with an idempotency key; the form endpoint takes one pin."""
    pin = pins[0]
    return session.post(
        f"{base_url}/d/{slug}/pin",
        data={
            "csrf_token": session.csrf_token,  # type: ignore[attr-defined]
            "lat": str(pin["lat"]), "lng": str(pin["lng"]),
            "value": pin["value"], "sentiment": pin["sentiment"], "text": pin["comment"],
            "idempotency_key": key, "website": "",
        },
        allow_redirects=False,
        timeout=timeout,
    )


def stored(response: requests.Response) -> bool:
    """True when the server says the submission is stored (the form redirects to the receipt)."""
    return response.status_code in (200, 201, 302, 303)


def retry_after(response: requests.Response) -> float | None:
    """Seconds to wait before resending, when the server asked for a retry (503 + Retry-After)."""
    if response.status_code == 503 and response.headers.get("Retry-After", "").isdigit():
        return float(response.headers["Retry-After"])
    return None
