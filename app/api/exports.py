"""Exports through the API as jobs: start one, poll its progress, download its file.

A Bearer token of the municipality, or a planner's login session (which must then send the CSRF
token in X-CSRFToken when it starts a job, as the planner's pages do).
"""

from __future__ import annotations

from flask import abort, jsonify, url_for
from flask_login import current_user

from ..access import dialogue_for_municipality_or_404, dialogue_or_404, export_job_or_404
from ..export.http import options_from_request, send_result, start
from ..export.service import FORMATS, ExportRefused, permission_for
from ..extensions import csrf
from ..jobs.service import QueueUnavailable, progress
from .routes import bp
from .tokens import BadToken, token_from_request


def _caller():
    """(token, user) of the request: a valid Bearer token, else the logged-in planner, else 401."""
    try:
        token = token_from_request()
    except BadToken:
        abort(401, description="the API token is unknown or revoked")
    if token is not None:
        return token, None
    if current_user.is_authenticated:
        return None, current_user
    abort(401, description="log in or send Authorization: Bearer <token>")


def _job_body(job) -> dict:
    body = progress(job)
    body["links"] = {"self": url_for("api.export_job", job_id=job.id, _external=True)}
    if body["state"] == "done":
        body["links"]["file"] = url_for("api.export_file", job_id=job.id, _external=True)
    return body


# signed: a negative id is a JSON 404 from this API, not the site's HTML 404 for an unknown address.
@bp.route("/dialogues/<int(signed=True):dialogue_id>/exports/<fmt>", methods=["POST"])
@csrf.exempt  # a token has no cookie to forge; a session is checked below
def start_export(dialogue_id: int, fmt: str):
    """Start an export job; 202 with the job's progress and its address."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        abort(404, description="unknown format; one of: " + ", ".join(FORMATS))
    token, user = _caller()
    if token is not None:
        dialogue = dialogue_for_municipality_or_404(token.municipality_id, dialogue_id)
    else:
        csrf.protect()
        dialogue = dialogue_or_404(dialogue_id, permission_for(chosen))
    try:
        job = start(dialogue, chosen, options_from_request(chosen), user=user, token=token,
                    via="api-token" if token else "api-session")
    except ExportRefused as refusal:
        abort(400, description=str(refusal.message))
    except QueueUnavailable:
        abort(503, description="the job queue is not available; try again in a while")
    response = jsonify(_job_body(job))
    response.status_code = 202
    response.headers["Location"] = url_for("api.export_job", job_id=job.id, _external=True)
    return response


def _job_or_404(job_id: str):
    token, user = _caller()
    return export_job_or_404(job_id, token=token), token, user


@bp.route("/exports/<job_id>")
def export_job(job_id: str):
    """An export job's progress: state, rows done of total, an estimate, the file's link when done."""
    job, _token, _user = _job_or_404(job_id)
    return jsonify(_job_body(job))


@bp.route("/exports/<job_id>/file")
def export_file(job_id: str):
    """The finished file of an export job (409 while it is being made, 410 once expired)."""
    job, token, user = _job_or_404(job_id)
    state = progress(job)["state"]
    if state == "expired":
        abort(410, description="the file has expired; start the export again")
    if state != "done":
        abort(409, description=f"the export is {state}, not done")
    return send_result(job, user=user, token=token)
