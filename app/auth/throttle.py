"""Login throttling per account, beside the per-address limit, without locking out the owner.

The way OWASP's "device cookies" and the large providers do it:
- A browser that has logged in to an account before carries a signed *known-browser* cookie for
  that account. Its attempts are limited on their own (per cookie) and are never delayed by what
  strangers do, nor by the per-address limit: a colleague behind the same NAT keeps working.
- Every other attempt for an account name counts against that name, from all addresses together.
  After FREE_FAILURES failures each further attempt must wait a delay that doubles with every
  failure (30 s, 1 min, 2 min ... at most an hour); during the wait the password is not even
  checked, so guessing gets slower and slower while the owner, from a known browser, is let in.
- The name is stored only as a keyed hash; an address without an account is throttled exactly
  like one with, so the answer tells nobody whether the account exists. A successful login
  clears the count; a quiet day forgets it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import LoginThrottle
from ..models.types import utcnow

FREE_FAILURES = 5
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 3600
FORGET_AFTER = timedelta(days=1)
KNOWN_BROWSER_COOKIE = "pd_known_browser"
KNOWN_BROWSER_DAYS = 180


def account_key(email: str) -> str:
    """A keyed hash of the normalised e-mail address: the same in every worker, readable by none."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"login:" + email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-browser")


def known_browser_id(email: str) -> str | None:
    """The id of this browser's known-browser cookie if it is valid for this account, else None."""
    raw = request.cookies.get(KNOWN_BROWSER_COOKIE, "")
    if not raw or not email:
        return None
    try:
        key, browser = _serializer().loads(raw, max_age=KNOWN_BROWSER_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    return browser if hmac.compare_digest(str(key), account_key(email)) else None


def submitted_email() -> str:
    """The e-mail address of the login form being posted (empty if none)."""
    return (request.form.get("email") or "")[:254]


def from_known_browser() -> bool:
    """True when the posted login comes from a browser that logged in to that account before."""
    return known_browser_id(submitted_email()) is not None


def known_browser_limit_key() -> str:
    """The rate-limit key of a known browser's attempts: its own cookie, not its address."""
    return "known-browser:" + (known_browser_id(submitted_email()) or "")


def remember_browser(response, email: str) -> None:
    """Give the browser a known-browser cookie for the account it just logged in to."""
    value = _serializer().dumps([account_key(email), secrets.token_urlsafe(12)])
    response.set_cookie(
        KNOWN_BROWSER_COOKIE, value, max_age=KNOWN_BROWSER_DAYS * 86400, path="/konto",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", True), httponly=True,
        samesite="Strict",
    )


def delay_for(failures: int) -> int:
    """Seconds to wait after this many failures (0 while they are still free)."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_DELAY_SECONDS * 2 ** min(failures - FREE_FAILURES, 20), MAX_DELAY_SECONDS)


def wait_seconds(email: str) -> int:
    """How long a stranger's attempt for this account must still wait (0: may try now)."""
    row = db.session.get(LoginThrottle, account_key(email))
    if row is None:
        return 0
    waited = (utcnow() - row.last_failure_at).total_seconds()
    if waited > FORGET_AFTER.total_seconds():
        return 0
    return max(0, int(delay_for(row.failures) - waited + 0.999))


def record_failure(email: str) -> None:
    """Count a stranger's failed attempt for the account (flushed; the caller commits)."""
    key, now = account_key(email), utcnow()
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER))
    counted = db.session.execute(
        update(LoginThrottle).where(LoginThrottle.account_key == key)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if counted:
        return
    try:
        with db.session.begin_nested():  # another worker may insert the same row at once
            db.session.add(LoginThrottle(account_key=key, failures=1, last_failure_at=now))
    except IntegrityError:
        db.session.execute(
            update(LoginThrottle).where(LoginThrottle.account_key == key)
            .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
            .execution_options(synchronize_session=False)
        )


def clear(email: str) -> None:
    """Forget the account's failures after the owner logged in."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.account_key == account_key(email)))


def failures(email: str) -> int:
    """The strangers' failures counted for the account (for tests and the admin)."""
    return db.session.execute(
        select(LoginThrottle.failures).where(LoginThrottle.account_key == account_key(email))
    ).scalar_one_or_none() or 0
