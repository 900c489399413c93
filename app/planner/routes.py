"""The planner blueprint and its login rule (the pages: see __init__); old heatmap links redirect."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import login_required

from ..access import dialogue_or_404

bp = Blueprint("planner", __name__, url_prefix="/planering")


@bp.before_request
@login_required
def require_login():
    """Every planner page needs a logged-in planner."""


@bp.route("/dialoger/<int:dialogue_id>/varmekarta")
def heatmap(dialogue_id: int):
    """The heatmap moved to the analysis page; old links and bookmarks land there."""
    dialogue_or_404(dialogue_id, "view")  # another municipality's dialogue answers 404 here too
    return redirect(url_for("analysis.analysis", dialogue_id=dialogue_id), code=301)
