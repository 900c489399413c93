"""Choosing which features of a file make the development area (`where`, `dissolve`)."""

from __future__ import annotations

import difflib
import unicodedata

from app.geodata.errors import AreaImportError

_EXAMPLES = 5
_NAME_FIELDS = ("name", "namn", "kom_namn", "stadsdel", "omrade", "område")


def _norm(value: object) -> str:
    """Compare attribute values the way a person does: trimmed, any case, å written either way."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def shown(value: object) -> str:
    """An attribute value as a person reads it (12.0 as 12, no padding)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _examples(values: list[object]) -> list[str]:
    distinct = sorted({shown(v) for v in values if _norm(v)}, key=str.casefold)
    return distinct[:_EXAMPLES]


def _resolve_key(key: str, fields: dict[str, list[object]]) -> str:
    if key in fields:
        return key
    matches = [name for name in fields if name.casefold() == key.strip().casefold()]
    if len(matches) == 1:
        return matches[0]
    raise AreaImportError(
        "unknown_attribute",
        "Attributet {key} finns inte i filen. Attribut som finns: {attributes}.",
        "The attribute {key} is not in the file. Attributes present: {attributes}.",
        key=key,
        attributes=list(fields) or ["(inga / none)"],
    )


def label_field(fields: dict[str, list[object]]) -> str | None:
    """The attribute a person most likely names features by, for examples in messages."""
    for wanted in _NAME_FIELDS:
        for name in fields:
            if name.casefold() == wanted:
                return name
    for name, values in fields.items():
        if any(isinstance(v, str) and v.strip() for v in values):
            return name
    return None


def _no_match(key: str, wanted: str, values: list[object]) -> AreaImportError:
    present = {_norm(v): shown(v) for v in values if _norm(v)}
    close = difflib.get_close_matches(_norm(wanted), list(present), n=1)
    suggestion = present[close[0]] if close else ""
    return AreaImportError(
        "no_match",
        "Inget objekt har {key} = {value}." + (" Menade du {suggestion}?" if close else "")
        + " Exempel på värden som finns: {examples}.",
        "No feature has {key} = {value}." + (" Did you mean {suggestion}?" if close else "")
        + " Examples of values present: {examples}.",
        key=key,
        value=wanted,
        suggestion=suggestion,
        examples=_examples(values) or ["(tomt / empty)"],
    )


def select_features(
    fields: dict[str, list[object]],
    count: int,
    where: dict[str, str] | None,
    dissolve: bool,
) -> list[int]:
    """Return the indices of the features that make the area, or explain why none can be chosen."""
    if count == 0:
        raise AreaImportError(
            "empty", "Filen innehåller inga objekt.", "The file holds no features."
        )
    chosen = list(range(count))
    if where:
        for key, wanted in where.items():
            column = fields[_resolve_key(key, fields)]
            matching = [i for i in chosen if _norm(column[i]) == _norm(wanted)]
            if not matching:
                if any(_norm(v) == _norm(wanted) for v in column):
                    # The value exists, but not together with the other conditions.
                    raise AreaImportError(
                        "no_match_combined",
                        "Inget objekt uppfyller alla villkoren: {conditions}.",
                        "No feature meets all the conditions: {conditions}.",
                        conditions=[f"{k} = {v}" for k, v in where.items()],
                    )
                raise _no_match(key, wanted, column)
            chosen = matching
    if len(chosen) > 1 and not dissolve:
        label = label_field(fields)
        example = f"--where {label}={shown(fields[label][chosen[0]])}" if label else "--where"
        if where:
            raise AreaImportError(
                "several_matches",
                "{count} objekt matchar {conditions}. Lägg till fler villkor med --where eller "
                "slå ihop dem till ett område med --dissolve.",
                "{count} features match {conditions}. Add more conditions with --where or merge "
                "them into one area with --dissolve.",
                count=len(chosen),
                conditions=[f"{k} = {v}" for k, v in where.items()],
            )
        raise AreaImportError(
            "several_features",
            "Filen innehåller {count} objekt. Välj ett med till exempel {example}, "
            "eller slå ihop alla till ett område med --dissolve.",
            "The file holds {count} features. Choose one with for example {example}, "
            "or merge them all into one area with --dissolve.",
            count=len(chosen),
            example=example,
        )
    return chosen
