"""The app as gunicorn serves it in the load tests and benchmarks; settings come from the environment."""

from __future__ import annotations

import os

from app import create_app
from app.i18n import compile_catalogs

compile_catalogs()

app = create_app(
    {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "reliability-secret"),
        "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
        "SESSION_COOKIE_SECURE": False,  # plain HTTP on 127.0.0.1
        # Off unless a test about limits turns them on (most clients come from 127.0.0.1).
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED") == "1",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "RETRY_AFTER_SECONDS": int(os.environ.get("RETRY_AFTER_SECONDS", "1")),
        # Jobs go to the worker that the test starts beside gunicorn (tests/reliability/server.py).
        "JOBS_URL": os.environ.get("JOBS_URL", "immediate"),
        "JOB_RESULTS_DIR": os.environ.get("JOB_RESULTS_DIR", ""),
        "JOB_STALE_SECONDS": int(os.environ.get("JOB_STALE_SECONDS", "60")),
        "JOB_HEARTBEAT_SECONDS": float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5")),
        "EXPORT_BATCH_ROWS": int(os.environ.get("EXPORT_BATCH_ROWS", "10000")),
        "HOTSPOT_INLINE_CELLS": int(os.environ.get("HOTSPOT_INLINE_CELLS", "1000")),
    }
)
