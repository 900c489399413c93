"""Long work as background jobs (exports), on Huey: a SQLite queue for the demo, Redis in production.

A job's state lives in the database (``export_job``), so any app server can show its progress and
offer its file; the queue only carries the job's id to a worker (``platsdialog jobs worker``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Bind the queue to the app's settings and add the ``jobs`` commands."""
    from . import cli, queue

    queue.init_app(app)
    app.cli.add_command(cli.jobs)
