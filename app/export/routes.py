"""The planner's export page and downloads, behind a login and access.py's permissions."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import can, declares, dialogue_or_404
from .http import download, options_from_request
from .render import b64
from .service import FORMATS, PHOTO_FORMATS, ExportRefused, permission_for
from .source import ALLOWED_CRS, ExportOptions, pin_count, response_count

bp = Blueprint("export", __name__, url_prefix="/planering/dialoger/<int:dialogue_id>/export")
bp.add_app_template_filter(b64, "b64")

LARGE_EXPORT = 50_000


@bp.before_request
@login_required
def require_login():
    """Every export needs a logged-in planner."""


@bp.route("/")
@declares("view")
def index(dialogue_id: int):
    """The formats this user may take, with a note when the export is large."""
    dialogue = dialogue_or_404(dialogue_id, "view")
    may_export = can(current_user, "export", dialogue.municipality)
    formats = [f for f in FORMATS.values() if may_export or not f.raw]
    pins = pin_count(dialogue.id, ExportOptions(include_hidden=True))
    return render_template(
        "export/index.html", dialogue=dialogue, formats=formats, may_export=may_export, pins=pins,
        respondents=response_count(dialogue.id), large=pins >= LARGE_EXPORT, crs_choices=ALLOWED_CRS,
        photo_formats=PHOTO_FORMATS if dialogue.photos_allowed else (),
    )


@bp.route("/<fmt>")
@declares("export")  # the raw formats; the report needs only "view"
def take(dialogue_id: int, fmt: str):
    """Download one format; raw data only for the working group and the project leader."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        abort(404)
    dialogue = dialogue_or_404(dialogue_id, permission_for(chosen))
    try:
        options = options_from_request(chosen)
        return download(dialogue, chosen, options, user=current_user, via="ui")
    except ExportRefused as refusal:
        message = _("The export could not be made: %(why)s", why=str(refusal.message))
        return render_template("export/refused.html", dialogue_id=dialogue_id, message=message), 400
