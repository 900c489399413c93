"""Headers, rate-limit keys and the privacy promises that hold for every page."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

from flask import Flask, current_app, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix


def daily_salt(purpose: str) -> bytes:
    """A salt for today (UTC) derived from SECRET_KEY: the same in every worker, new each day.

    Never stored; without the secret key a hash made with it cannot be turned back into an IP,
    and tomorrow's hashes cannot be linked to today's.
    """
    today = datetime.now(UTC).date().isoformat()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{purpose}:{today}".encode(), hashlib.sha256).digest()


def rate_limit_key() -> str:
    """A salted hash of the client address, good for one day and never stored with answers."""
    address = (request.remote_addr or "").encode()
    return hmac.new(daily_salt("rate-limit"), address, hashlib.sha256).hexdigest()[:32]


_ORIGIN = re.compile(r"^https://[a-z0-9.-]+(:[0-9]{1,5})?$")


def embedding_origins() -> list[str]:
    """Origins allowed to frame this page: EMBED_ORIGINS maps a dialogue slug to a municipality's sites."""
    slug = (request.view_args or {}).get("slug")
    allowed = (current_app.config.get("EMBED_ORIGINS") or {}).get(slug, []) if slug else []
    return [origin for origin in allowed if _ORIGIN.match(origin)]


def frame_ancestors() -> str:
    """'none' unless the municipality lets its own site embed this dialogue."""
    return " ".join(embedding_origins()) or "'none'"


def csp_nonce() -> str:
    """This request's CSP nonce: the one mark that lets an inline script or style run."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy() -> str:
    """A CSP that allows no origin but ours: base map tiles come through our own routes too."""
    nonce = csp_nonce()
    img = ["'self'", "data:", "blob:"]
    return "; ".join(
        [
            "default-src 'self'",
            # No 'unsafe-inline': folium's inline set-up and styles carry this request's nonce
            # (maps.embed); an injected script or style has none and does not run.
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            f"img-src {' '.join(img)}",
            "font-src 'self'",
            "connect-src 'self'",
            f"frame-ancestors {frame_ancestors()}",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


HSTS = "max-age=31536000; includeSubDomains"


def private(response) -> bool:
    """True for what no shared or browser cache may keep: logged-in pages, API calls, downloads."""
    if request.endpoint in ("static", "vendor.asset"):
        return False  # the same files for everybody; they keep their own max-age
    return bool(
        "_user_id" in session  # Flask-Login's mark; reading it costs no query
        or request.headers.get("Authorization")
        or response.headers.get("Content-Disposition", "").startswith("attachment")
    )


def init_app(app: Flask) -> None:
    """Add the security headers to every response (behind TRUSTED_PROXIES, trust their X-Forwarded-*)."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # The proxy's X-Forwarded-For/-Proto say who the client is and whether it used HTTPS:
        # rate limits then key the resident, not the proxy, and HSTS is sent.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response):
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if private(response):
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not embedding_origins():  # X-Frame-Options cannot name origins; CSP does it then
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
        return response
