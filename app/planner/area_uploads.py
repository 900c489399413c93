"""Uploaded area files kept between the preview and the save, so nobody uploads twice.

A file lives in the instance folder under a random token bound to the user who uploaded it,
and is removed when the area is saved or after a day.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _root() -> Path:
    return Path(current_app.instance_path) / "area-uploads"


def _folder(user_id: int, token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    return _root() / f"{int(user_id)}-{token}"


def _prune() -> None:
    root = _root()
    if not root.is_dir():
        return
    cutoff = time.time() - MAX_AGE_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def keep(upload: FileStorage, user_id: int) -> tuple[str, Path]:
    """Store an uploaded file for this user; its token and path."""
    _prune()
    token = secrets.token_urlsafe(18)
    folder = _folder(user_id, token)
    assert folder is not None  # a token we made always matches
    folder.mkdir(parents=True)
    path = folder / (secure_filename(upload.filename or "") or "area.geojson")
    upload.save(path)
    return token, path


def kept(user_id: int, token: str) -> Path | None:
    """The file kept under this token for this user, or None (expired, another user's, bad)."""
    folder = _folder(user_id, token)
    if folder is None or not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.is_file()]
    return files[0] if len(files) == 1 else None


def discard(user_id: int, token: str) -> None:
    """Remove the kept file once the area is saved."""
    folder = _folder(user_id, token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
