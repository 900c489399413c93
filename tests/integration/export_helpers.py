"""Taking an export as a planner and as an API client do: start the job, follow it, take the file;
and what the audit log then holds.

The tests' app runs jobs at once (JOBS_URL=immediate), so a job is done when its start answers;
tests/reliability/test_export_downloads.py does the same against gunicorn and a real worker.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent

from ..conftest import csrf_from


def logged(action: str) -> list[AuditEvent]:
    """The audit log's events of one action, oldest first (fresh from the database)."""
    db.session.expire_all()
    return list(db.session.execute(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def take_export(client, dialogue_id: int, fmt: str, headers: dict | None = None, **options):
    """The export page's button for the format, then the job's download link.

    Returns the file's response, or the first answer that was not a step forward (a login
    redirect, a 403/404, a refusal), as the planner would see it.
    """
    page = client.get(f"/planering/dialoger/{dialogue_id}/export/", headers=headers)
    if page.status_code != 200:
        return page
    started = client.post(f"/planering/dialoger/{dialogue_id}/export/{fmt}", headers=headers,
                          data={"csrf_token": csrf_from(page.get_data(as_text=True)), **options})
    if started.status_code != 303:
        return started
    return client.get(started.headers["Location"] + "/fil", headers=headers)


def take_api_export(client, dialogue_id: int, fmt: str, headers: dict | None = None, **options):
    """POST /exports/<format>, GET the job, GET its file; a login session sends its CSRF token as pages do."""
    headers = dict(headers or {})
    if "Authorization" not in headers:
        page = client.get("/planering/")
        if page.status_code == 200:
            headers["X-CSRFToken"] = csrf_from(page.get_data(as_text=True))
    started = client.post(f"/api/v1/dialogues/{dialogue_id}/exports/{fmt}", headers=headers,
                          data=options)
    if started.status_code != 202:
        return started
    job = client.get(started.headers["Location"], headers=headers).get_json()
    assert job["state"] == "done", job
    return client.get(job["links"]["file"], headers=headers)
