"""The public network page and API: every municipality's open dialogues, no login."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for
from sqlalchemy import select

from ..extensions import db
from ..maps import embed
from ..models import Dialogue, Municipality
from .maps import area_outlines, sweden_map

bp = Blueprint("network_public", __name__)


def open_dialogues() -> list[Dialogue]:
    """The open (published) dialogues of all municipalities, by municipality and title."""
    return list(
        db.session.execute(
            select(Dialogue)
            .join(Municipality)
            .where(Dialogue.currently_open())
            .order_by(Municipality.name, Dialogue.title)
        ).scalars()
    )


@bp.route("/natverket")
def page():
    """The open dialogues of all municipalities on a map of Sweden, with links."""
    dialogues = open_dialogues()
    outlines = area_outlines({d.area_id for d in dialogues})
    markers = [
        (outlines[d.area_id], f"{d.municipality.name}: {d.title}",
         url_for("resident.dialogue", slug=d.slug))
        for d in dialogues
    ]
    m = sweden_map([], markers)
    return render_template("network/public.html", dialogues=dialogues, map=embed(m))


@bp.route("/api/v1/network/dialogues")
def api_dialogues():
    """The open dialogues as JSON, for other sites and journalists."""
    return jsonify({
        "dialogues": [
            {
                "title": d.title,
                "municipality": d.municipality.name,
                "kommunkod": d.municipality.kommunkod,
                "phase": d.phase,
                "opens_on": d.opens_on.isoformat() if d.opens_on else None,
                "closes_on": d.closes_on.isoformat() if d.closes_on else None,
                "url": url_for("resident.dialogue", slug=d.slug, _external=True),
            }
            for d in open_dialogues()
        ]
    })
