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


def located_problems(data: Any) -> list[tuple[tuple, str]]:
    """Every schema and rule problem in survey data as (path in the data, Swedish sentence).

    The one validation path: files (check_file), frozen definitions and the browser editor,
    which shows each sentence next to the field at its path.
    """
    semantic = semantic_problems(data)
    split = {path for path, message in semantic if COMMA_PREFIX in message}
    found = [(path, message) for path, message in schema_errors(data)
             if not _explained_by_comma(path, message, split)] + semantic
    seen: set[tuple[tuple, str]] = set()
    unique = []
    for path, message in found:
        if (path, message) not in seen:
            seen.add((path, message))
            unique.append((path, message))
    return unique


def _problems(source: Source, name: str) -> list[Problem]:
    problems = [Problem(name, line, f"Nyckeln '{key}' förekommer två gånger i samma mappning; "
                        "bara den sista skulle gälla.")
                for key, line in source.duplicate_keys]
    problems += [Problem(name, source.line_of(path), message)
                 for path, message in located_problems(source.data)]
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def check_text(text: str, name: str) -> tuple[Source | None, list[Problem]]:
    """Parse and check survey YAML text (an upload); the parsed source and every problem."""
    try:
        source = parse_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Problem(name, exc.line, f"Ogiltig YAML: {exc.message}.")]
    return source, _problems(source, name)


def definition_from_text(text: str, name: str = "<text>") -> SurveyDefinition:
    """A checked definition from YAML text; raise SurveyError listing every problem."""
    source, problems = check_text(text, name)
    if problems or source is None:
        raise SurveyError(problems)
    return SurveyDefinition(normalize(source.data))


def _read(path: str | os.PathLike) -> tuple[Source | None, list[Problem]]:
    name = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        return None, [Problem(name, None, f"Filen kan inte läsas: {exc.strerror or exc}.")]
    except UnicodeDecodeError:
        return None, [Problem(name, None, "Filen är inte sparad som UTF-8.")]
    return check_text(text, name)


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
