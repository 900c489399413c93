"""The one set of rules for values that come from outside: whole numbers, JSON bodies, text.

Python's own parsers are too generous for input from a stranger: `"²".isdigit()` is true while
`int("²")` fails, `int("١٢")` is 12, an id of 10**30 overflows both databases, 100,000 nested `[`
exhaust the recursion limit of `json.loads`, and JSON's `"\\udfff"` escape yields a lone surrogate
that neither PostgreSQL nor an Excel file can hold. Every caller parses through here instead, and a
bad value is a 400 (or 404 in a URL) with a plain message, never a 500.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter, ValidationError

# Ids are INTEGER on PostgreSQL (4 bytes); a larger one can never name a row.
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# Deeper than any payload our pages send (a response is answers -> list -> value: depth 4-5).
MAX_JSON_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def whole_number(raw: object, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """The integer in `raw` if it is ASCII digits within low..high, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if low <= raw <= high else None
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def request_number(raw: str | None, name: str, *, default: int | None = None, low: int = 0,
                   high: int = MAX_ID) -> int | None:
    """A whole number from a query or form field (default when absent); 400 with a reason if bad."""
    if raw is None or raw == "":
        return default
    value = whole_number(raw, low=low, high=high)
    if value is None:
        abort(400, description=_("%(name)s must be a whole number from %(low)s to %(high)s.",
                                 name=name, low=low, high=high))
    return value


def ids(raws: list[str]) -> list[int]:
    """The valid ids among form values (checkboxes); anything else is a 400."""
    return [request_number(raw, "id", low=1) for raw in raws if raw != ""]  # type: ignore[misc]


def coerce_id(raw: object) -> int:
    """WTForms `coerce` for a select of ids: ValueError (the field's own error) unless a valid id."""
    value = whole_number(raw, low=0)
    if value is None:
        raise ValueError("not an id")
    return value


class IdConverter(BaseConverter):
    """`<int:...>` in our URLs: ASCII digits naming a possible row, else 404 (not a 500)."""

    regex = r"[0-9]{1,19}"
    weight = 50

    def __init__(self, map, signed: bool = False, **_kwargs: Any) -> None:  # noqa: A002
        super().__init__(map)
        if signed:  # kept for routes that say signed=True: a minus sign is never a row
            self.regex = r"-?[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = whole_number(value, low=0)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class BadJSON(BadRequest):
    """A JSON body we refuse whatever the endpoint: too deep, or holding characters text cannot."""


# A lone surrogate reaches json.loads as a \\uD800-\\uDFFF escape or as its raw UTF-8 bytes
# (json.loads decodes bytes with "surrogatepass"). Only a body holding one is walked for them.
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def _may_hold_surrogates(raw: bytes) -> bool:
    """Whether the raw body could hold a surrogate (a quick scan; the walk then decides)."""
    return bool((b"\\u" in raw and _ESCAPED_SURROGATE.search(raw))
                or (b"\xed" in raw and _RAW_SURROGATE.search(raw)))


def _check(value: Any, *, surrogates: bool) -> None:
    """Refuse a parsed body nested too deeply, or (if asked) holding a string that is not text.

    Level by level and without recursion; only containers are visited unless surrogates are
    looked for, which the raw body says is worth it only rarely.
    """
    level, depth = [value], 0
    while level:
        depth += 1
        below = []
        for item in level:
            if isinstance(item, str):
                if _SURROGATE.search(item):
                    raise BadJSON(_("The text contains characters that are not valid text (lone "
                                    "surrogates). Remove them and send again."))
                continue
            if not isinstance(item, _CONTAINERS):
                continue
            if depth > MAX_JSON_DEPTH:
                raise BadJSON(_("The data is nested too deeply."))
            children = item.values() if isinstance(item, dict) else item
            if surrogates:
                below.extend(children)
                if isinstance(item, dict):
                    below.extend(item.keys())
            else:
                below.extend([child for child in children if isinstance(child, _CONTAINERS)])
        level = below


_CONTAINERS = (dict, list)


def clean_text_value(text: str) -> str:
    """Text with any lone surrogate replaced (for text read back from older rows or files)."""
    return _SURROGATE.sub("\ufffd", text)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with every request body checked once for depth and for lone surrogates."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise BadJSON(_("The data is nested too deeply.")) from None
        raw = s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s
        _check(value, surrogates=_may_hold_surrogates(raw))
        return value


def init_app(app: Flask) -> None:
    """Install the strict URL ids and JSON parsing (before any blueprint registers routes)."""
    app.url_map.converters["int"] = IdConverter
    app.json_provider_class = StrictJSONProvider
    app.json = StrictJSONProvider(app)
