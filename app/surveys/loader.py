"""Reading survey files: every problem at once, or a checked, frozen definition."""

from __future__ import annotations

import os
from typing import Any

from .definition import SurveyDefinition, normalize
from .errors import Problem, SurveyError
from .rules import COMMA_HINT, semantic_problems
from .schema import schema_errors
from .yamlsource import Source, YamlSyntaxError, parse_yaml

FROZEN = "<frozen>"
COMMA_PREFIX = COMMA_HINT.split("{key}")[1][:20]


def _explained_by_comma(path: tuple, message: str, split: set[tuple]) -> bool:
    """True for schema errors that only repeat an unquoted-comma problem already reported."""
    return path in split or any(
        path == key_path[:-1] and f"'{key_path[-1]}' har fel form" in message
        for key_path in split
    )


def _problems(source: Source, name: str) -> list[Problem]:
    problems = [Problem(name, line, f"Nyckeln '{key}' förekommer två gånger i samma mappning; "
                        "bara den sista skulle gälla.")
                for key, line in source.duplicate_keys]
    semantic = semantic_problems(source.data)
    split = {path for path, message in semantic if COMMA_PREFIX in message}
    found = [(path, message) for path, message in schema_errors(source.data)
             if not _explained_by_comma(path, message, split)] + semantic
    seen: set[tuple[tuple, str]] = set()
    for path, message in found:
        if (path, message) not in seen:
            seen.add((path, message))
            problems.append(Problem(name, source.line_of(path), message))
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def _read(path: str | os.PathLike) -> tuple[Source | None, list[Problem]]:
    name = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        return None, [Problem(name, None, f"Filen kan inte läsas: {exc.strerror or exc}.")]
    except UnicodeDecodeError:
        return None, [Problem(name, None, "Filen är inte sparad som UTF-8.")]
    try:
        source = parse_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Problem(name, exc.line, f"Ogiltig YAML: {exc.message}.")]
    return source, _problems(source, name)


def check_file(path: str | os.PathLike) -> list[Problem]:
    """Return every problem in a survey file (none means it can be published); never raises."""
    return _read(path)[1]


def load_definition(path: str | os.PathLike) -> SurveyDefinition:
    """Load and check a survey file; raise SurveyError listing all problems if it has any."""
    source, problems = _read(path)
    if problems or source is None:
        raise SurveyError(problems)
    return SurveyDefinition(normalize(source.data))


def definition_from_frozen(data: dict[str, Any]) -> SurveyDefinition:
    """Rebuild a definition from the frozen dict a dialogue stored; raise SurveyError if broken."""
    source = Source(data=data)
    problems = _problems(source, FROZEN)
    if problems:
        raise SurveyError(problems)
    return SurveyDefinition(normalize(data))
