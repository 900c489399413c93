"""Running one export job in a worker: claim it, write the file with progress, offer it or fail."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from ..export.progress import reporting
from ..export.service import JOB_FORMATS, ExportFile, ExportRefused, produce
from ..export.source import ExportOptions
from ..extensions import db
from ..models import Dialogue, ExportJob
from ..models.types import utcnow
from .service import fail, result_path

log = logging.getLogger(__name__)


class Tracker:
    """Writes a running job's heartbeat (a thread) and rows done (at most twice a second) on
    connections of their own, so the export's reading transaction is never committed under it."""

    def __init__(self, engine, job_id: str, heartbeat_seconds: float):
        self.engine, self.job_id, self.every = engine, job_id, heartbeat_seconds
        self.rows, self._written_at = 0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True, name=f"heartbeat-{job_id}")

    def _write(self, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(ExportJob).where(ExportJob.id == self.job_id).values(**values))

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self._write(heartbeat_at=utcnow())
            except Exception:  # a missed beat is retried; a lost database fails the job elsewhere
                log.warning("heartbeat of job %s not written", self.job_id, exc_info=True)

    def advance(self, rows: int) -> None:
        """Count rows read; written now and then, not per batch."""
        self.rows += rows
        if time.monotonic() - self._written_at >= 0.5:
            self._written_at = time.monotonic()
            self._write(rows_done=self.rows, heartbeat_at=utcnow())

    def __enter__(self) -> Tracker:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _claim(job_id: str) -> bool:
    """Take a queued job (one commit); False if another worker has it or it is no longer queued."""
    now = utcnow()
    taken = db.session.execute(
        update(ExportJob).where(ExportJob.id == job_id, ExportJob.state == "queued")
        .values(state="running", started_at=now, heartbeat_at=now)
    ).rowcount
    db.session.commit()
    return taken == 1


def _write_result(export: ExportFile, part) -> None:
    """Put the export's bytes in the .part file."""
    if export.chunks is not None:
        with open(part, "w", encoding="utf-8", newline="") as out:
            for chunk in export.chunks:
                out.write(chunk)
    else:
        shutil.move(export.path, part)


def run_export(app: Flask, job_id: str) -> None:
    """Make the file of one export job (called by the worker with the job's id)."""
    with app.app_context():
        if not _claim(job_id):
            return
        job = db.session.get(ExportJob, job_id)
        locale, final = job.locale, result_path(job_id)
        part = final.with_suffix(".part")
        try:
            tracker = Tracker(db.engine, job_id, current_app.config["JOB_HEARTBEAT_SECONDS"])
            with force_locale(locale), tracker, reporting(tracker.advance):
                dialogue = db.session.get(Dialogue, job.dialogue_id)
                export = produce(dialogue, JOB_FORMATS[job.format], ExportOptions(**job.options))
                _write_result(export, part)
            os.replace(part, final)  # atomic: the file is whole or absent
            now = utcnow()
            db.session.execute(update(ExportJob).where(ExportJob.id == job_id).values(
                state="done", filename=export.filename, mimetype=export.mimetype,
                size_bytes=final.stat().st_size, rows_done=job.rows_total or tracker.rows,
                finished_at=now, expires_at=now + timedelta(hours=current_app.config["JOB_RESULT_HOURS"]),
            ))
            db.session.commit()
        except Exception as error:
            part.unlink(missing_ok=True)
            final.unlink(missing_ok=True)
            with force_locale(locale):
                if isinstance(error, ExportRefused):
                    message = _("The export could not be made: %(why)s", why=str(error.message))
                else:
                    log.exception("export job %s failed", job_id)
                    message = _("The export could not be made because of an error on the server. "
                                "Try again; if it happens again, tell the site's administrator.")
                fail(job_id, message)
