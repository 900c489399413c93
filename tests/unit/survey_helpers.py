"""A small valid survey, and ways to write variants of it, for the survey tests."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

MINIMAL = {
    "id": "liten",
    "title": {"sv": "Liten enkät", "en": "Small survey"},
    "languages": ["sv", "en", "ar"],
    "pages": [
        {
            "id": "forsta",
            "questions": [
                {"id": "karta", "type": "map_pin", "text": "Markera", "values": "safety"},
                {"id": "val", "type": "single_choice", "text": "Välj",
                 "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
                {"id": "samtycke", "type": "consent", "text": "Jag samtycker"},
            ],
        }
    ],
}


def survey(**changes) -> dict:
    """Return a deep copy of MINIMAL with top-level keys replaced."""
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


def with_questions(*questions: dict, consent: bool = True) -> dict:
    """Return MINIMAL whose only page holds `questions` (plus a consent question)."""
    data = copy.deepcopy(MINIMAL)
    extra = [{"id": "samtycke", "type": "consent", "text": "Ja"}] if consent else []
    data["pages"][0]["questions"] = [*questions, *extra]
    return data


def write(tmp_path: Path, data: dict | str, name: str = "enkat.yaml") -> Path:
    """Write `data` (a dict dumped as YAML, or YAML text) to a file and return its path."""
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True,
                                                              sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path
