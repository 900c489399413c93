"""Secrets the app must read back (an identity provider's client secret), encrypted at rest.

The key is not in the database: a database dump or backup alone does not give away the secret.
It comes from PLATSDIALOG_DATA_KEYS (comma-separated Fernet keys, the first encrypts, all
decrypt, for rotation) or, on a single machine, from instance/data_key, made on first use (0600).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted with the installation's keys (rotated away?)."""


def _keys() -> list[bytes]:
    configured = current_app.config.get("DATA_KEYS") or os.environ.get("PLATSDIALOG_DATA_KEYS", "")
    keys = [k.strip().encode() for k in configured.split(",") if k.strip()] if isinstance(
        configured, str) else [k.encode() if isinstance(k, str) else k for k in configured]
    if keys:
        return keys
    path = Path(current_app.instance_path) / "data_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return [path.read_bytes().strip()]


def seal(secret: str) -> str:
    """The secret encrypted (Fernet: AES-128-CBC with an HMAC) with the installation's key."""
    return MultiFernet([Fernet(k) for k in _keys()]).encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    """The secret, decrypted; SecretUnreadable if no key of the installation opens it."""
    try:
        return MultiFernet([Fernet(k) for k in _keys()]).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable from error
