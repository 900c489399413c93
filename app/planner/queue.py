"""Pages of a dialogue's comments for moderation and coding: filters, keyset paging, counts.

Keyset, not OFFSET: the next page starts after the last comment shown, so page 2,000 of 100,000
comments costs what page 1 does. The order is waiting comments first, then the newest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, Text, cast, func, literal, select, tuple_
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from .. import tally
from ..domain import MODERATION_STATES, MUNICIPAL_TIMEZONE, VALUES
from ..extensions import db
from ..inputs import whole_number
from ..models import Feedback, Pin, Theme
from ..models.coding import pin_theme
from ..models.types import UTCDateTime
from ..moderation.flags import FLAG_ORDER

PAGE_SIZE = 50
_CURSOR = re.compile(r"^([01])-(\d{8}T\d{12})-(\d{1,18})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[0-9]{1,18}$")  # ASCII digits only: '²'.isdigit() is True


def parse_ids(values: list[str]) -> list[int] | None:
    """Distinct ids from a form's list; None if any is not a plain number."""
    numbers = [whole_number(v, low=1) for v in values]
    if None in numbers:
        return None
    return sorted(set(numbers))


class BadCursor(ValueError):
    """A page cursor that we did not make (edited by hand or garbled)."""


@dataclass(frozen=True)
class Filters:
    """What the moderator filters on; anything not understood is left out (and reported)."""

    state: str | None = None
    flag: str | None = None  # "any", or one of FLAG_ORDER
    value: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    theme_id: int | None = None
    ignored: tuple[str, ...] = field(default=())

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links to other pages."""
        pairs = {"state": self.state, "flag": self.flag, "value": self.value,
                 "from": self.date_from.isoformat() if self.date_from else None,
                 "to": self.date_to.isoformat() if self.date_to else None,
                 "theme": str(self.theme_id) if self.theme_id else None}
        return {k: v for k, v in pairs.items() if v}


def _date(raw: str | None) -> date | None:
    if not raw or not _DATE.match(raw):
        raise ValueError(raw)
    return date.fromisoformat(raw)


def parse_filters(args: MultiDict) -> Filters:
    """The filters from a query string; unknown values are ignored and named in `ignored`."""
    ignored = []
    state = args.get("state") or None
    if state and state not in MODERATION_STATES:
        ignored.append("state")
        state = None
    flag = args.get("flag") or ("any" if args.get("flagged") == "1" else None)
    if flag and flag != "any" and flag not in FLAG_ORDER:
        ignored.append("flag")
        flag = None
    value = args.get("value") or None
    if value and value not in VALUES:
        ignored.append("value")
        value = None
    dates = {}
    for key in ("from", "to"):
        raw = args.get(key) or None
        try:
            dates[key] = _date(raw) if raw else None
        except ValueError:
            ignored.append(key)
            dates[key] = None
    theme = args.get("theme") or None
    if theme and not _ID.match(theme):
        ignored.append("theme")
        theme = None
    return Filters(state, flag, value, dates["from"], dates["to"], int(theme) if theme else None,
                   tuple(ignored))


def _start_of(day: date) -> datetime:
    """Midnight in Sweden on that day, in UTC: a date filter means the municipality's day."""
    return datetime.combine(day, time.min, MUNICIPAL_TIMEZONE).astimezone(UTC)


def filtered(dialogue_id: int, filters: Filters, *, states: tuple[str, ...] | None = None
             ) -> Select:
    """The dialogue's pins matching the filters (no order, no limit)."""
    query = select(Pin).where(Pin.dialogue_id == dialogue_id)
    if states is not None:
        query = query.where(Pin.moderation_state.in_(states))
    if filters.state:
        query = query.where(Pin.moderation_state == filters.state)
    if filters.value:
        query = query.where(Pin.value == filters.value)
    # Flags are a JSON list; its text is the same on both databases ('["phone", "link"]').
    flags_text = cast(Pin.flags, Text)
    if filters.flag == "any":
        query = query.where(Pin.flags.is_not(None), flags_text.not_in(["[]", "null"]))
    elif filters.flag:
        query = query.where(flags_text.like(f'%"{filters.flag}"%'))
    if filters.date_from:
        query = query.where(Pin.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(Pin.created_at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.theme_id:
        query = query.where(Pin.themes.any(Theme.id == filters.theme_id))
    return query


@dataclass(frozen=True)
class Cursor:
    """A position in the queue's order: waiting first (rank 0), then newest first."""

    rank: int
    created_at: datetime
    pin_id: int

    def encode(self) -> str:
        """The cursor as it goes in a link."""
        stamp = self.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
        return f"{self.rank}-{stamp}-{self.pin_id}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        """A cursor from a link; BadCursor if we did not make it."""
        match = _CURSOR.match(raw or "")
        if not match:
            raise BadCursor(raw)
        try:
            stamp = datetime.strptime(match.group(2), "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
        except ValueError as err:
            raise BadCursor(raw) from err
        return cls(int(match.group(1)), stamp, int(match.group(3)))

    @classmethod
    def of(cls, pin: Pin) -> Cursor:
        """The position of a pin in the queue."""
        return cls(0 if pin.moderation_state == "pending" else 1, pin.created_at, pin.id)


@dataclass
class QueuePage:
    """One page of the queue and the cursors to the pages around it."""

    pins: list[Pin]
    total: int
    next_cursor: str | None
    previous_cursor: str | None


_WAITING = ("pending",)
_DECIDED = tuple(state for state in MODERATION_STATES if state != "pending")


def _segment(query: Select, rank: int, cursor: Cursor | None, backwards: bool, limit: int):
    """One rank's rows (waiting, or decided) after or before the cursor, newest first.

    Each rank is its own query so an index on (dialogue, state, created_at, id) serves it; one
    query ordered by a CASE on the state would sort every comment of the dialogue.
    """
    query = query.where(Pin.moderation_state.in_(_WAITING if rank == 0 else _DECIDED))
    if cursor is not None and cursor.rank == rank:
        # A row-value comparison, so the database seeks in the index instead of scanning to it.
        position = tuple_(Pin.created_at, Pin.id)
        mark = tuple_(literal(cursor.created_at, UTCDateTime()), literal(cursor.pin_id))
        query = query.where(position > mark if backwards else position < mark)
    order = (Pin.created_at.asc(), Pin.id.asc()) if backwards else (Pin.created_at.desc(),
                                                                     Pin.id.desc())
    return list(db.session.execute(query.order_by(*order).limit(limit)).scalars())


def page(dialogue_id: int, filters: Filters, *, after: str | None = None,
         before: str | None = None, size: int = PAGE_SIZE, with_themes: bool = False) -> QueuePage:
    """One page of the filtered queue, after or before a cursor; BadCursor for a forged one."""
    query = filtered(dialogue_id, filters)
    total = db.session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    loads = [selectinload(Pin.photo), selectinload(Pin.named_place)]
    if with_themes:
        loads.append(selectinload(Pin.themes))
    query = query.options(*loads)
    backwards = before is not None
    cursor = Cursor.decode(before) if backwards else (Cursor.decode(after) if after else None)
    ranks = [0, 1]
    if cursor is not None:
        ranks = [r for r in ranks if (r <= cursor.rank if backwards else r >= cursor.rank)]
    if backwards:
        ranks.reverse()
    rows: list[Pin] = []
    for rank in ranks:
        rows += _segment(query, rank, cursor, backwards, size + 1 - len(rows))
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else True
    has_previous = (after is not None) if not backwards else more
    return QueuePage(
        pins=rows,
        total=total,
        next_cursor=Cursor.of(rows[-1]).encode() if rows and has_next else None,
        previous_cursor=Cursor.of(rows[0]).encode() if rows and has_previous else None,
    )


def state_counts(dialogue_id: int) -> dict[str, int]:
    """How many comments the dialogue has in each moderation state."""
    counts = {state: n for _d, state, n in tally.state_counts([dialogue_id])}
    return {state: counts.get(state, 0) for state in MODERATION_STATES}


def replies_for(pin_ids: list[int], *, published_only: bool = False
                ) -> dict[int, list[Feedback]]:
    """The municipality's answers to these comments, oldest first, in one query."""
    if not pin_ids:
        return {}
    query = select(Feedback).where(Feedback.pin_id.in_(pin_ids))
    if published_only:
        query = query.where(Feedback.published.is_(True))
    rows = db.session.execute(query.order_by(Feedback.created_at, Feedback.id)).scalars().all()
    replies: dict[int, list[Feedback]] = {}
    for row in rows:
        replies.setdefault(row.pin_id, []).append(row)
    return replies


def theme_counts(dialogue_id: int) -> dict[int, int]:
    """How many comments carry each of the dialogue's themes, in one query."""
    return dict(db.session.execute(
        select(pin_theme.c.theme_id, func.count()).join(Theme, Theme.id == pin_theme.c.theme_id)
        .where(Theme.dialogue_id == dialogue_id).group_by(pin_theme.c.theme_id)).all())
