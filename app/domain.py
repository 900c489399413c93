"""The method's vocabulary: the three values, sentiments, statuses and roles, with their labels;
and the municipalities' clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

# The municipalities' clock. A dialogue ends, a file is dated and a day is counted in Swedish time,
# whatever time zone the server runs in (a server on UTC still shows yesterday's date for the first
# hour of every Swedish day, two in summer).
MUNICIPAL_TIMEZONE = ZoneInfo("Europe/Stockholm")


def today_in_sweden() -> date:
    """Today's date where the municipalities are."""
    return datetime.now(MUNICIPAL_TIMEZONE).date()


# The three values that a socially and democratically sustainable place must balance.
VALUES = ("safety", "justice", "development")
VALUE_LABELS = {
    "safety": _l("Safety"),
    "justice": _l("Justice"),
    "development": _l("Development opportunities"),
}
# Colours chosen to be distinguishable with the common colour-vision deficiencies.
VALUE_COLOURS = {"safety": "#0072B2", "justice": "#D55E00", "development": "#009E73"}

SENTIMENTS = ("positive", "negative", "idea")
SENTIMENT_LABELS = {
    "positive": _l("Works well"),
    "negative": _l("A problem"),
    "idea": _l("An idea"),
}

DIALOGUE_STATUSES = ("draft", "open", "closed", "archived")
STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "archived": _l("Archived"),
}
PHASES = (1, 2, 3, 4)
MODERATION_MODES = ("pre", "post")  # review before publishing, or publish and review after
MODERATION_STATES = ("pending", "published", "hidden")
LOCATION_KINDS = ("map", "named_place", "described")  # the last two have no geometry (WCAG 2.1.1)
# What a map answer is: a point (a pin), a line (a route) or an area; see Pin.shape.
SHAPE_KINDS = ("point", "line", "area")

ROLES = ("project_leader", "working_group", "steering_group")
ROLE_LABELS = {
    "project_leader": _l("Project leader"),
    "working_group": _l("Working group"),
    "steering_group": _l("Steering group"),
}


def sql_in(column: str, allowed: tuple) -> str:
    """A CHECK constraint expression limiting a column to the allowed values."""
    quoted = ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in allowed)
    return f"{column} IN ({quoted})"
