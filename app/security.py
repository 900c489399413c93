"""Headers, rate-limit keys and the privacy promises that hold for every page."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

from flask import Flask, current_app, request

# Rotated daily and never written anywhere: a rate-limit key cannot be turned back into an IP.
_salt = {"day": None, "value": b""}


def rate_limit_key() -> str:
    """A salted hash of the client address, good for one day and never stored with answers."""
    today = datetime.now(UTC).date()
    if _salt["day"] != today:
        _salt["day"], _salt["value"] = today, secrets.token_bytes(32)
    address = (request.remote_addr or "").encode()
    return hmac.new(_salt["value"], address, hashlib.sha256).hexdigest()[:32]


_ORIGIN = re.compile(r"^https://[a-z0-9.-]+(:[0-9]{1,5})?$")


def embedding_origins() -> list[str]:
    """Origins allowed to frame this page: EMBED_ORIGINS maps a dialogue slug to a municipality's sites."""
    slug = (request.view_args or {}).get("slug")
    allowed = (current_app.config.get("EMBED_ORIGINS") or {}).get(slug, []) if slug else []
    return [origin for origin in allowed if _ORIGIN.match(origin)]


def frame_ancestors() -> str:
    """'none' unless the municipality lets its own site embed this dialogue."""
    return " ".join(embedding_origins()) or "'none'"


def content_security_policy() -> str:
    """A CSP that allows no origin but ours: base map tiles come through our own routes too."""
    img = ["'self'", "data:", "blob:"]
    return "; ".join(
        [
            "default-src 'self'",
            # folium writes its map set-up as inline script; no other origin is allowed.
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {' '.join(img)}",
            "font-src 'self'",
            "connect-src 'self'",
            f"frame-ancestors {frame_ancestors()}",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not embedding_origins():  # X-Frame-Options cannot name origins; CSP does it then
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
        return response
