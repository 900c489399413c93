"""Checking a resident's answer set against the survey version it belongs to.

Answers are a mapping from question id to a JSON-like value:
single_choice "option" or {"selected": "other", "other": text}; multi_choice ["a", "b"] or
{"selected": [..., "other"], "other": text}; likert 1-5; text a string; number a number (or a
numeric string, decimal comma allowed); ranking a list of every option id once; consent true;
map_pin a list of pins {"value", "sentiment", "lat", "lng", "comment", "category", "photo"}.

Answers to hidden questions (show_if not met) are ignored and left out of the cleaned answers:
a resident who changes an earlier answer should not be stopped by a stale one the page hid.
Control characters (other than newline and tab) are stripped from text before it is checked.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from ..inputs import whole_number
from .messages import message

if TYPE_CHECKING:
    from .definition import Question, SurveyDefinition

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_YES = {"true", "on", "yes", "ja", "1"}
_PIN_KEYS = {"value", "sentiment", "lat", "lng", "comment", "category", "photo"}
OTHER_MAX_LENGTH = 500


class Invalid(Exception):
    """One answer is wrong; carries the message key and its parameters."""

    def __init__(self, message_key: str, **params: Any):
        super().__init__(message_key)
        self.key = message_key
        self.params = params


def clean_text(value: str) -> str:
    """Strip control characters and surrounding space; keep newlines and tabs."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def chosen_ids(answer: Any) -> set[str]:
    """Return the option ids picked in a (cleaned or raw) choice answer."""
    if isinstance(answer, dict):
        answer = answer.get("selected")
    if isinstance(answer, str):
        return {answer}
    if isinstance(answer, list):
        return {a for a in answer if isinstance(a, str)}
    return set()


def _is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not clean_text(value)
    return value is None or value is False or value in ([], {})


def check_answers(
    definition: SurveyDefinition, answers: Any, lang: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (cleaned answers of visible questions, question id -> error in `lang`)."""
    if not isinstance(answers, dict):
        return {}, {"__all__": message("wrong_type", lang, kind="options")}
    errors: dict[str, str] = {}
    for key in answers:
        try:
            definition.question(key)
        except (KeyError, TypeError):
            errors[str(key)] = message("unknown_question", lang)
    cleaned: dict[str, Any] = {}
    shown: set[str] = set()
    for q in definition.questions:
        cond = q.show_if
        if cond and not (cond.question in shown and chosen_ids(cleaned.get(cond.question))
                         & set(cond.any_of)):
            continue  # hidden: its answer, if any, is ignored
        shown.add(q.id)
        value = answers.get(q.id)
        try:
            result = _check(q, value)
        except Invalid as exc:
            errors[q.id] = _render(exc, lang)
            continue
        if result is not None:
            cleaned[q.id] = result
    return cleaned, errors


def _render(exc: Invalid, lang: str) -> str:
    if exc.key == "pin":
        reason: Invalid = exc.params["reason"]
        return message("pin", lang, n=exc.params["n"], reason=_render(reason, lang))
    return message(exc.key, lang, **exc.params)


def _check(q: Question, value: Any) -> Any:
    if q.type == "info":
        if not _is_empty(value):
            raise Invalid("not_answerable")
        return None
    if q.type == "map_pin":
        return _map_pins(q, value)
    if _is_empty(value):
        if q.required:
            raise Invalid("consent_required" if q.type == "consent" else "required")
        return None
    return _CHECKERS[q.type](q, value)


def _single(q: Question, value: Any) -> Any:
    other_text = None
    if isinstance(value, dict):
        value, other_text = value.get("selected"), value.get("other")
    if not isinstance(value, str):
        raise Invalid("wrong_type", kind="option")
    if value not in q.option_ids:
        raise Invalid("unknown_option", option=value[:60])
    if value == "other":
        return {"selected": "other", "other": _other_text(other_text)}
    return value


def _multi(q: Question, value: Any) -> Any:
    other_text = None
    if isinstance(value, dict):
        value, other_text = value.get("selected"), value.get("other")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("wrong_type", kind="options")
    for v in value:
        if v not in q.option_ids:
            raise Invalid("unknown_option", option=v[:60])
    picked = [o for o in q.option_ids if o in value]  # option order, no duplicates
    if "other" in picked:
        return {"selected": picked, "other": _other_text(other_text)}
    return picked


def _other_text(value: Any) -> str:
    text = clean_text(value) if isinstance(value, str) else ""
    if not text:
        raise Invalid("other_text_required")
    if len(text) > OTHER_MAX_LENGTH:
        raise Invalid("too_long", length=len(text), max=OTHER_MAX_LENGTH)
    return text


def _likert(q: Question, value: Any) -> int:
    if isinstance(value, str) and whole_number(value.strip()) is not None:
        value = whole_number(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid("wrong_type", kind="likert")
    if not 1 <= value <= 5:
        raise Invalid("likert_range")
    return value


def _text(q: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("wrong_type", kind="text")
    text = clean_text(value)
    if q.max_length is not None and len(text) > q.max_length:
        raise Invalid("too_long", length=len(text), max=q.max_length)
    return text


def _number(q: Question, value: Any) -> int | float:
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            raise Invalid("wrong_type", kind="number") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Invalid("wrong_type", kind="number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if q.integer and not isinstance(value, int):
        raise Invalid("number_integer")
    if q.min is not None and value < q.min:
        raise Invalid("number_min", min=_num(q.min))
    if q.max is not None and value > q.max:
        raise Invalid("number_max", max=_num(q.max))
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _ranking(q: Question, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("wrong_type", kind="options")
    for v in value:
        if v not in q.option_ids:
            raise Invalid("unknown_option", option=v[:60])
    if sorted(value) != sorted(q.option_ids):
        raise Invalid("ranking_permutation")
    return list(value)


def _consent(q: Question, value: Any) -> bool:
    if value is True or (isinstance(value, str) and value.strip().lower() in _YES):
        return True
    raise Invalid("wrong_type", kind="consent")


def _map_pins(q: Question, value: Any) -> list[dict] | None:
    pins = [] if value is None else value
    if not isinstance(pins, list):
        raise Invalid("wrong_type", kind="pins")
    least = max(q.min_pins, 1 if q.required else 0)
    if len(pins) < least:
        raise Invalid("too_few_pins", min=least)
    if len(pins) > q.max_pins:
        raise Invalid("too_many_pins", max=q.max_pins)
    cleaned = []
    for n, pin in enumerate(pins, start=1):
        try:
            cleaned.append(_pin(q, pin))
        except Invalid as reason:
            raise Invalid("pin", n=n, reason=reason) from None
    return cleaned or None


def _pin(q: Question, pin: Any) -> dict:
    if not isinstance(pin, dict):
        raise Invalid("pin_shape")
    for key in pin:
        if key not in _PIN_KEYS:
            raise Invalid("pin_key", key=str(key)[:40])
    value = pin.get("value", q.values[0] if len(q.values) == 1 else None)
    if value not in q.values:
        raise Invalid("pin_value")
    if pin.get("sentiment") not in q.sentiments:
        raise Invalid("pin_sentiment")
    lat, lng = pin.get("lat"), pin.get("lng")
    if not all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
               for c in (lat, lng)) or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid("pin_position")
    out = {"value": value, "sentiment": pin["sentiment"], "lat": lat, "lng": lng}
    comment = pin.get("comment")
    if comment is not None:
        if not isinstance(comment, str):
            raise Invalid("wrong_type", kind="text")
        comment = clean_text(comment)
        if q.comment_max_length and len(comment) > q.comment_max_length:
            raise Invalid("pin_comment_long", max=q.comment_max_length)
    out["comment"] = comment or ""
    category = pin.get("category")
    if q.categories and (category is not None or q.category_required):
        if category not in {c.id for c in q.categories}:
            raise Invalid("pin_category")
        out["category"] = category
    elif category is not None:
        raise Invalid("pin_key", key="category")
    if pin.get("photo"):
        if not q.photo:
            raise Invalid("pin_photo")
        out["photo"] = pin["photo"]
    return out


_CHECKERS = {
    "single_choice": _single,
    "multi_choice": _multi,
    "likert": _likert,
    "text": _text,
    "number": _number,
    "ranking": _ranking,
    "consent": _consent,
}
