"""The queue that hands job ids to workers: Huey on SQLite (no server), on Redis, or run at once.

JOBS_URL chooses: ``sqlite:///PATH`` (default: the instance folder's jobs.sqlite), ``redis://...``
for several app servers, or ``immediate`` (the job runs inside the request: for tests only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey


@dataclass(frozen=True)
class Queue:
    huey: Huey
    export: object  # the Huey task that runs an export job by id


def make_huey(app: Flask) -> Huey:
    """The Huey instance JOBS_URL names."""
    url = app.config.get("JOBS_URL") or ""
    if url == "immediate":
        return Huey("platsdialog", immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("platsdialog", url=url)
    path = Path(url.removeprefix("sqlite:///")) if url else Path(app.instance_path) / "jobs.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("platsdialog", filename=str(path))


def init_app(app: Flask) -> None:
    """Make the app's queue and register its one task (the worker runs it with this app)."""
    from .runner import run_export

    huey = make_huey(app)

    @huey.task(name="export", retries=0)
    def export(job_id: str) -> None:
        run_export(app, job_id)

    app.extensions["jobs"] = Queue(huey, export)


def enqueue_export(job_id: str) -> None:
    """Hand an export job to a worker (at once, in the immediate mode of the tests)."""
    current_app.extensions["jobs"].export(job_id)


def huey_of(app: Flask) -> Huey:
    """The app's Huey instance (for the worker command)."""
    return app.extensions["jobs"].huey
