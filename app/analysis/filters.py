"""Filters on a dialogue's pins: sentiment, date range, demographic groups and themes.

Within one filter the choices are alternatives (OR); different filters narrow together (AND).
The same WHERE clauses feed the heat layers, the grid summary, the pins and the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from ..domain import MUNICIPAL_TIMEZONE, SENTIMENTS
from ..inputs import whole_number
from ..models import Pin, ResponseOption, pin_theme


@dataclass(frozen=True)
class PinFilter:
    """What a planner narrowed the analysis to; empty means every pin."""

    sentiments: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    # question id -> chosen option id; a respondent matches when their answer includes it.
    groups: dict[str, str] = field(default_factory=dict)
    theme_ids: tuple[int, ...] = ()

    @property
    def active(self) -> bool:
        """Whether any filter narrows the pins."""
        return bool(self.sentiments or self.date_from or self.date_to or self.groups or self.theme_ids)

    def apply(self, statement: Select, dialogue_id: int) -> Select:
        """The statement narrowed to the dialogue's pins this filter lets through."""
        if self.sentiments:
            statement = statement.where(Pin.sentiment.in_(self.sentiments))
        if self.date_from:
            statement = statement.where(Pin.created_at >= day_start(self.date_from))
        if self.date_to:
            statement = statement.where(Pin.created_at < day_start(self.date_to + timedelta(days=1)))
        for question_id, option_id in sorted(self.groups.items()):
            statement = statement.where(
                Pin.response_id.in_(answer_includes(dialogue_id, question_id, option_id))
            )
        if self.theme_ids:
            statement = statement.where(
                Pin.id.in_(select(pin_theme.c.pin_id).where(pin_theme.c.theme_id.in_(self.theme_ids)))
            )
        return statement

    def query_args(self) -> dict[str, object]:
        """The filter as URL query arguments, for links that keep it."""
        args: dict[str, object] = {}
        if self.sentiments:
            args["sentiment"] = list(self.sentiments)
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        for question_id, option_id in self.groups.items():
            args[f"g_{question_id}"] = option_id
        if self.theme_ids:
            args["theme"] = list(self.theme_ids)
        return args


def day_start(day: date) -> datetime:
    """Midnight in Swedish time at the start of the day, as a UTC timestamp."""
    return datetime.combine(day, time(0), MUNICIPAL_TIMEZONE).astimezone(UTC)


def answer_includes(dialogue_id: int, question_id: str, option_id: str) -> Select:
    """Ids of the dialogue's responses whose answer to the (group) question includes the option.

    Answers are JSON ("opt", ["a", "b"] or {"selected": ..., "other": text}); triggers on `answer`
    list each chosen option in response_option, as surveys.answers.chosen_ids reads them.
    """
    o = ResponseOption
    return select(o.response_id).where(o.dialogue_id == dialogue_id, o.question_id == question_id,
                                       o.option_id == option_id)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_filter(
    args, *, group_options: dict[str, set[str]], theme_ids: set[int]
) -> tuple[PinFilter, list[str]]:
    """A filter from query arguments, and the names of arguments that were ignored as invalid."""
    ignored: list[str] = []
    sentiments = tuple(s for s in args.getlist("sentiment") if s in SENTIMENTS)
    if len(sentiments) != len(args.getlist("sentiment")):
        ignored.append("sentiment")
    date_from, date_to = _date(args.get("from")), _date(args.get("to"))
    if args.get("from") and not date_from:
        ignored.append("from")
    if args.get("to") and not date_to:
        ignored.append("to")
    if date_from and date_to and date_to < date_from:
        ignored.append("to")
        date_to = None
    groups = {}
    for question_id, options in group_options.items():
        chosen = args.get(f"g_{question_id}")
        if chosen and chosen in options:
            groups[question_id] = chosen
        elif chosen:
            ignored.append(f"g_{question_id}")
    themes = []
    for raw in args.getlist("theme"):
        if whole_number(raw) in theme_ids:
            themes.append(whole_number(raw))
        else:
            ignored.append("theme")
    return PinFilter(sentiments, date_from, date_to, groups, tuple(themes)), ignored


SHOWN_STATES = ("published", "pending")


def pins_of(dialogue_id: int, pin_filter: PinFilter, *columns, map_only: bool = True,
            states: tuple[str, ...] = SHOWN_STATES) -> Select:
    """A select of the dialogue's pins that are not hidden (map pins only unless told), filtered."""
    statement = select(*columns).where(
        Pin.dialogue_id == dialogue_id, Pin.moderation_state.in_(states)
    )
    if map_only:
        statement = statement.where(Pin.location_kind == "map")
    return pin_filter.apply(statement, dialogue_id)
