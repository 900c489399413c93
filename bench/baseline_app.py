"""The baseline for the ingest benchmark: a minimal Flask endpoint doing one INSERT, nothing else."""

from __future__ import annotations

import os

from flask import Flask, request
from sqlalchemy import create_engine, event, text

URL = os.environ["DATABASE_URL"]
if URL.startswith("sqlite"):
    import sqlean

    engine = create_engine(URL, module=sqlean)

    @event.listens_for(engine, "connect")
    def _pragmas(conn, _record):  # the same settings as the app's SpatiaLite connections
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA busy_timeout = 15000")
        conn.execute("PRAGMA synchronous = NORMAL")
else:
    engine = create_engine(URL, pool_pre_ping=True)

app = Flask(__name__)


@app.post("/insert")
def insert():
    """One row, one transaction."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO bench_baseline (key, body) VALUES (:k, :b)"),
                     {"k": request.form["key"], "b": request.form.get("body", "")})
    return "", 204
