"""The JSON Schema of the survey format, with its errors told as plain Swedish sentences."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

SCHEMA_PATH = Path(__file__).with_name("schema.json")

_TYPE_NAMES = {
    "string": "en text",
    "object": "en mappning (nyckel: värde)",
    "array": "en lista",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
}
# Which $defs entry holds the extra keys of each question type.
_TYPE_DEFS = {
    "map_pin": "map_pin",
    "single_choice": "choice",
    "multi_choice": "choice",
    "ranking": "ranking",
    "likert": "likert",
    "text": "text",
    "number": "number",
    "consent": "plain",
    "info": "plain",
}


@cache
def load_schema() -> dict[str, Any]:
    """Return the survey JSON Schema shipped with the package."""
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema())


def schema_errors(data: Any) -> Iterator[tuple[tuple, str]]:
    """Yield (path, Swedish sentence) for every schema violation in `data`."""
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        message = _sentence(error)
        if message:
            yield tuple(error.absolute_path), message


def _allowed_question_keys(qtype: str) -> set[str]:
    defs = load_schema()["$defs"]
    return set(defs["question"]["properties"]) | set(defs[_TYPE_DEFS[qtype]]["properties"])


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _sentence(error: ValidationError) -> str | None:
    kind = error.validator
    instance = error.instance
    where = _where(error)
    if kind == "required":
        missing = [k for k in error.validator_value if k not in instance]
        if missing == ["sv"]:
            return "Svensk text (sv) saknas; all text som invånare läser måste finnas på svenska."
        return f"{where}Nyckeln {', '.join(map(_show, missing))} saknas."
    if kind in ("additionalProperties", "unevaluatedProperties"):
        if kind == "unevaluatedProperties":
            qtype = instance.get("type")
            if not isinstance(qtype, str) or qtype not in _TYPE_DEFS:
                return None  # the unknown type is already reported; its keys mean nothing yet
            extra = sorted(k for k in instance if k not in _allowed_question_keys(qtype))
            if not extra:
                return None
            return (f"Nyckeln {', '.join(map(_show, extra))} hör inte till frågetypen "
                    f"'{qtype}'.")
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed)
        return (f"{where}Okänd nyckel {', '.join(map(_show, extra))}; tillåtna är "
                f"{', '.join(sorted(allowed))}.")
    if kind == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        return f"{where}Värdet {_show(instance)} ska vara " + " eller ".join(
            _TYPE_NAMES.get(w, w) for w in wanted) + "."
    if kind == "enum":
        if error.path and error.path[-1] == "type":
            return (f"Okänd frågetyp {_show(instance)}. Tillåtna typer: "
                    f"{', '.join(error.validator_value)}.")
        return (f"{where}{_show(instance)} är inte tillåtet; välj bland "
                f"{', '.join(map(str, error.validator_value))}.")
    if kind == "const":
        return f"{where}Värdet ska vara {_show(error.validator_value)}."
    if kind == "oneOf" and error.path and error.path[-1] == "values":
        bad = instance if isinstance(instance, list) else [instance]
        allowed = ("safety", "justice", "development")
        bad = [v for v in bad if v not in allowed] or bad
        return (f"Värdet {', '.join(map(_show, bad))} är inte ett av plattformens tre värden: "
                "safety (trygghet), justice (rättvisa), development (utvecklingsmöjligheter).")
    if kind == "pattern":
        if error.validator_value == "\\S":
            return f"{where}Texten är tom."
        hint = _PATTERN_HINTS.get(error.validator_value, "")
        return f"{where}{_show(instance)} har fel form; {hint}"
    if kind == "minItems":
        return f"{where}Listan ska ha minst {error.validator_value} element."
    if kind == "uniqueItems":
        return f"{where}Listan innehåller samma värde flera gånger."
    if kind in ("minimum", "maximum"):
        word = "minst" if kind == "minimum" else "högst"
        return f"{where}Värdet {_show(instance)} ska vara {word} {error.validator_value}."
    if kind == "exclusiveMinimum":
        return f"{where}Värdet {_show(instance)} ska vara större än {error.validator_value}."
    if kind == "maxLength":
        return f"{where}{_show(instance)} är längre än {error.validator_value} tecken."
    if kind == "minProperties" and error.path and error.path[-1] == "groups":
        return "groups: Ange minst ett svarsalternativ och de befolkningsgrupper det motsvarar."
    if kind in ("minProperties", "maxProperties"):
        return (f"{where}Villkoret ska ha 'question' och antingen 'equals' eller 'in'.")
    if kind == "propertyNames":
        return f"{where}Ogiltig nyckel {_show(instance)}."
    return f"{where}{error.message}"


_PATTERN_HINTS = {
    "^[a-z0-9][a-z0-9-]*$": "använd små bokstäver a-z, siffror och bindestreck.",
    "^[a-z][a-z0-9_]*$": "använd små bokstäver a-z, siffror och understreck, börja med en bokstav.",
    "^[a-z0-9][a-z0-9_-]*$": "använd små bokstäver a-z, siffror, understreck och bindestreck.",
    "^[a-z]{2,3}(-[a-z0-9]+)*$": "ett språk anges med en kod som sv, en, ar, so, fi eller "
    "sv-lattlast.",
}


def _where(error: ValidationError) -> str:
    """Name the key the error is about, so a sentence makes sense without the file open."""
    for part in reversed(error.absolute_path):
        if isinstance(part, str):
            return f"{part}: "
    return ""
