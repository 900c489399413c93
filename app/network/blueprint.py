"""The blueprint of the network's shared pages: templates, evaluation and lessons learned."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("network_shared", __name__, url_prefix="/natverket")


@bp.before_request
@login_required
def require_login():
    """Every shared network page needs a login."""
