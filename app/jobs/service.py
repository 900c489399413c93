"""Starting, finding and tidying export jobs; what a job's progress looks like to the person waiting."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..export.service import Format, check_options, expected_rows
from ..export.source import ExportOptions
from ..extensions import db
from ..models import Dialogue, ExportJob
from ..models.types import utcnow
from .queue import enqueue_export

ACTIVE = ("queued", "running")


class QueueUnavailable(RuntimeError):
    """The job could not be handed to a worker (the queue's server is down)."""


def results_dir() -> Path:
    """Where workers write finished files: a folder every app server and worker can read."""
    folder = Path(current_app.config.get("JOB_RESULTS_DIR") or Path(current_app.instance_path) / "exports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def result_path(job_id: str) -> Path:
    """A finished job's file (written first as .part, then renamed: never half a file here)."""
    return results_dir() / f"{job_id}.result"


def start_export(dialogue, fmt: Format, options: ExportOptions, *, user=None, token=None,
                 via: str) -> ExportJob:
    """Queue an export (one commit); refuse options the format cannot carry (ExportRefused)."""
    check_options(fmt, options)
    job = ExportJob(
        id=secrets.token_hex(16), dialogue_id=dialogue.id, user_id=getattr(user, "id", None),
        api_token_id=getattr(token, "id", None), via=via, format=fmt.key, options=asdict(options),
        locale=str(get_locale() or "sv"), state="queued", rows_done=0,
        rows_total=expected_rows(dialogue.id, fmt, options), mimetype=fmt.mimetype,
    )
    db.session.add(job)
    db.session.commit()  # a worker must find the row before it gets the id
    job_id = job.id
    try:
        enqueue_export(job_id)
    except Exception as error:  # the queue's own errors (redis.ConnectionError, sqlite3.Error...)
        fail(job_id, _("The export could not be queued. Try again in a while."))
        raise QueueUnavailable(str(error)) from error
    return db.session.get(ExportJob, job_id)


def recent_jobs(dialogue_id: int, user, limit: int = 10) -> list[ExportJob]:
    """The dialogue's latest jobs that this planner may take (access.export_job_or_404's rule)."""
    from ..access import can
    from ..export.service import JOB_FORMATS, permission_for

    municipality = db.session.get(Dialogue, dialogue_id).municipality
    formats = [key for key, fmt in JOB_FORMATS.items() if can(user, permission_for(fmt), municipality)]
    may_read_raw = can(user, "read_raw", municipality)
    jobs = db.session.execute(
        select(ExportJob).where(ExportJob.dialogue_id == dialogue_id, ExportJob.format.in_(formats))
        .order_by(ExportJob.created_at.desc()).limit(5 * limit)
    ).scalars()
    return [job for job in jobs if may_read_raw or not job.options.get("quotes")][:limit]


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])


def worker_lost(job: ExportJob, now: datetime) -> bool:
    """A running job whose worker stopped sending heartbeats (killed, or its machine gone)."""
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    return job.state == "running" and last_sign < _stale_before(now)


def expired(job: ExportJob, now: datetime) -> bool:
    """A finished job whose file is due to be removed, or has been."""
    return job.state == "done" and (job.expires_at is None or job.expires_at <= now
                                    or not result_path(job.id).exists())


def lost_message() -> str:
    return _("The export stopped before it was finished (its worker stopped). Start it again.")


def progress(job: ExportJob, now: datetime | None = None) -> dict:
    """What the person waiting sees: state, rows done of total, an estimate, the error; computed,
    never written (a lost worker shows as failed here; `jobs tidy` records it)."""
    now = now or utcnow()
    state, error = job.state, job.error
    if worker_lost(job, now):
        state, error = "failed", lost_message()
    if expired(job, now):
        state = "expired"
    done = min(job.rows_done, job.rows_total) if job.rows_total else job.rows_done
    eta = None
    if state == "running" and job.started_at and job.rows_total and 0 < done < job.rows_total:
        elapsed = (now - job.started_at).total_seconds()
        eta = round(elapsed * (job.rows_total - done) / done)
    return {
        "id": job.id, "format": job.format, "state": state, "rows_done": done,
        "rows_total": job.rows_total, "eta_seconds": eta, "error": error,
        "size_bytes": job.size_bytes, "filename": job.filename,
        "created_at": job.created_at.isoformat(),
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
    }


def fail(job_id: str, message: str) -> None:
    """Record a job as failed with a message for the person who started it (one commit)."""
    db.session.rollback()
    db.session.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.state.in_(ACTIVE))
                       .values(state="failed", error=message, finished_at=utcnow()))
    db.session.commit()


def tidy(now: datetime | None = None) -> dict[str, int]:
    """For cron and a worker's start: record lost jobs as failed, delete expired and partial files."""
    now = now or utcnow()
    # Files are listed before the jobs are read: a job finishing meanwhile keeps its new file.
    files = list(results_dir().iterdir())
    lost = list(db.session.execute(
        select(ExportJob).where(ExportJob.state == "running",
                                ExportJob.heartbeat_at < _stale_before(now))).scalars())
    for job in lost:
        with force_locale(job.locale):
            job.state, job.error, job.finished_at = "failed", lost_message(), now
    done_ids = set(db.session.execute(
        select(ExportJob.id).where(ExportJob.state == "done",
                                   (ExportJob.expires_at.is_(None)) | (ExportJob.expires_at > now))
    ).scalars())
    running_ids = set(db.session.execute(
        select(ExportJob.id).where(ExportJob.state.in_(ACTIVE))).scalars())
    db.session.commit()
    removed = 0
    for path in files:
        job_id, _dot, kind = path.name.partition(".")
        keep = job_id in done_ids if kind == "result" else job_id in running_ids
        if not keep:
            path.unlink(missing_ok=True)
            removed += 1
    return {"lost": len(lost), "files_removed": removed}
