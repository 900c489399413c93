"""`platsdialog jobs worker` runs exports in the background; `platsdialog jobs tidy` is for cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .queue import huey_of
from .service import tidy


@click.group("jobs")
def jobs() -> None:
    """Background jobs: the worker and its housekeeping."""


@jobs.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time (threads).")
@with_appcontext
def worker(workers: int) -> None:
    """Run queued jobs until stopped (SIGINT/SIGTERM); jobs a lost worker left are failed first."""
    counts = tidy()
    click.echo(f"Jobb: {counts['lost']} avbrutna markerade som misslyckade, "
               f"{counts['files_removed']} gamla filer borttagna.")
    consumer = huey_of(current_app).create_consumer(workers=workers, worker_type="thread",
                                                     periodic=False)
    consumer.run()


@jobs.command("tidy")
@with_appcontext
def tidy_command() -> None:
    """Mark jobs whose worker was lost as failed and delete expired and partial files (cron)."""
    counts = tidy()
    click.echo(f"{counts['lost']} avbrutna jobb markerade som misslyckade, "
               f"{counts['files_removed']} filer borttagna.")
