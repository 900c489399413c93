"""Planner pages: the dialogues of the user's municipalities and a heatmap per value."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from ..access import scope
from ..domain import STATUS_LABELS
from ..extensions import db
from ..models import Dialogue

bp = Blueprint("planner", __name__, url_prefix="/planering")


@bp.before_request
@login_required
def require_login():
    """Every planner page needs a logged-in planner."""


@bp.route("/")
def index():
    """The dialogues of the municipalities the user works in."""
    dialogues = (
        db.session.execute(
            scope(select(Dialogue), Dialogue.municipality_id).order_by(Dialogue.created_at.desc())
        )
        .scalars()
        .all()
    )
    return render_template("planner/index.html", dialogues=dialogues, status_labels=STATUS_LABELS)


@bp.route("/dialoger/<int:dialogue_id>/varmekarta")
def heatmap(dialogue_id: int):
    """The heatmap moved to the analysis page; old links and bookmarks land there."""
    return redirect(url_for("analysis.analysis", dialogue_id=dialogue_id), code=301)
