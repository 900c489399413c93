"""Requests for public documents (allmänna handlingar): every comment as received, with decisions.

For a date range (when the comment was received, in the municipality's time zone) the project
leader gets each comment of the municipality's dialogues as it was written, hidden ones too, with
every moderation decision (who, when, what, why) from the audit log, as one CSV and one PDF.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..domain import MUNICIPAL_TIMEZONE, SENTIMENT_LABELS, VALUE_LABELS
from ..extensions import db
from ..models import AuditEvent, Dialogue, Municipality, NamedPlace, Pin, User
from ..spatial import from_sweref

DECISIONS = {"pin.publish": "published", "pin.hide": "hidden"}  # audit action -> the state it set


@dataclass
class Decision:
    at: datetime
    action: str
    by: str
    reason: str


@dataclass
class ReceivedComment:
    """One comment as a resident sent it, with where it stands now and how it got there."""

    pin_id: int
    dialogue: str
    diarienummer: str
    received: datetime
    value: str
    sentiment: str
    place: str
    text: str
    photo: bool
    state: str
    flags: list[str]
    decisions: list[Decision] = field(default_factory=list)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(MUNICIPAL_TIMEZONE)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The date range as instants: from the first day's midnight to the end of the last day."""
    start = datetime.combine(first, time.min, MUNICIPAL_TIMEZONE)
    end = datetime.combine(last + timedelta(days=1), time.min, MUNICIPAL_TIMEZONE)
    return start, end


def received_comments(municipality: Municipality, first: date, last: date) -> list[ReceivedComment]:
    """Every comment the municipality's dialogues received between the dates, oldest first."""
    start, end = _bounds(first, last)
    rows = db.session.execute(
        select(Pin, Dialogue.title, Dialogue.diarienummer, NamedPlace.name)
        .join(Dialogue, Dialogue.id == Pin.dialogue_id)
        .outerjoin(NamedPlace, NamedPlace.id == Pin.named_place_id)
        .where(Dialogue.municipality_id == municipality.id, Pin.created_at >= start,
               Pin.created_at < end)
        .order_by(Pin.created_at, Pin.id)
    ).all()
    ids = [pin.id for pin, *_ in rows]
    decisions: dict[int, list[Decision]] = defaultdict(list)
    if ids:
        events = db.session.execute(
            select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.object_type == "Pin", AuditEvent.object_id.in_(ids),
                   AuditEvent.action.in_(DECISIONS), AuditEvent.municipality_id == municipality.id)
            .order_by(AuditEvent.created_at, AuditEvent.id)
        ).all()
        for event, name in events:
            decisions[event.object_id].append(Decision(_local(event.created_at), DECISIONS[event.action],
                                                       name or "", event.detail.get("reason") or ""))
    comments = []
    for pin, title, diarienummer, place_name in rows:
        comments.append(ReceivedComment(
            pin_id=pin.id, dialogue=title, diarienummer=diarienummer or "",
            received=_local(pin.created_at), value=pin.value, sentiment=pin.sentiment,
            place=_place(pin, place_name), text=pin.text, photo=pin.photo_id is not None,
            state=pin.moderation_state, flags=list(pin.flags or []), decisions=decisions[pin.id]))
    return comments


def _place(pin: Pin, place_name: str | None) -> str:
    if pin.shape is not None:  # a drawn route or area, as received: its size and its WKT (WGS84)
        from geoalchemy2.shape import to_shape

        from ..export.tabular import shape_wkt
        from ..i18n import shape_label

        return f"{shape_label(pin)}: {shape_wkt(to_shape(pin.shape))}"
    if pin.location_kind == "map" and pin.sweref_e is not None:
        lat, lng = from_sweref(pin.sweref_e, pin.sweref_n)
        return f"{lat:.6f}, {lng:.6f}"
    if pin.location_kind == "named_place":
        return place_name or ""
    return pin.place_description or ""


CSV_HEADER = ("comment_id", "dialogue", "diarienummer", "received", "value", "sentiment", "place",
              "text", "photo", "moderation_state", "automatic_flags", "decisions")


def _neutral(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def documents_csv(comments: list[ReceivedComment]) -> str:
    """One row per comment; the decisions as 'when action by (reason)' joined with ' | '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for c in comments:
        writer.writerow([
            c.pin_id, _neutral(c.dialogue), c.diarienummer, c.received.isoformat(timespec="seconds"),
            c.value, c.sentiment, _neutral(c.place), _neutral(c.text), "yes" if c.photo else "no",
            c.state, " ".join(c.flags),
            " | ".join(f"{d.at.isoformat(timespec='seconds')} {d.action} {d.by}"
                       + (f" ({d.reason})" if d.reason else "") for d in c.decisions),
        ])
    return out.getvalue()


def documents_pdf(municipality: Municipality, first: date, last: date,
                  comments: list[ReceivedComment]) -> bytes:
    """The same comments as an A4 PDF in Swedish, each with its decisions."""
    from ..export.render import blocks_pdf
    from ..export.report import Block
    from ..planner.moderation import STATE_LABELS

    with force_locale("sv"):
        blocks = [
            Block("heading", _("Comments received by %(municipality)s, %(first)s to %(last)s",
                               municipality=municipality.name, first=first.isoformat(),
                               last=last.isoformat())),
            Block("paragraph", _("Every comment as it was received, also those hidden by moderation, "
                                 "with each moderation decision. %(n)d comments.", n=len(comments))),
        ]
        for c in comments:
            head = _("Comment %(id)d, received %(when)s, %(dialogue)s", id=c.pin_id,
                     when=c.received.strftime("%Y-%m-%d %H:%M"), dialogue=c.dialogue)
            if c.diarienummer:
                head += f" ({c.diarienummer})"
            facts = _("%(value)s, %(sentiment)s. Place: %(place)s. Photo: %(photo)s. Now: %(state)s.",
                      value=VALUE_LABELS[c.value], sentiment=SENTIMENT_LABELS[c.sentiment],
                      place=c.place or "–", photo=_("yes") if c.photo else _("no"),
                      state=STATE_LABELS[c.state])
            blocks += [Block("paragraph", head), Block("quote", c.text), Block("paragraph", facts)]
            for d in c.decisions:
                line = _("%(when)s %(action)s by %(who)s", when=d.at.strftime("%Y-%m-%d %H:%M"),
                         action=STATE_LABELS[d.action], who=d.by or "–")
                blocks.append(Block("paragraph", line + (f": {d.reason}" if d.reason else "")))
    return blocks_pdf(blocks)
