"""API tokens per municipality: shown once when made, only their sha256 stored."""

from __future__ import annotations

import hashlib
import secrets

from flask import request
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, Municipality

PREFIX = "pd_"


def digest(token: str) -> str:
    """The sha256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(municipality: Municipality, name: str, created_by=None) -> tuple[str, ApiToken]:
    """A new token for the municipality (flushed); the plain token is returned and never stored."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(municipality_id=municipality.id, name=name, token_hash=digest(plain),
                     created_by_id=getattr(created_by, "id", None))
    db.session.add(token)
    db.session.flush()
    return plain, token


class BadToken(Exception):
    """An Authorization header was sent but names no live token."""


def token_from_request() -> ApiToken | None:
    """The live token of a `Authorization: Bearer ...` header; None without the header."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        raise BadToken
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == digest(plain.strip()))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        raise BadToken
    return token
