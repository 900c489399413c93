"""Reading YAML while remembering the line of every value, so problems can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


@dataclass
class Source:
    """Parsed YAML data plus the 1-based line of each value, keyed by its path in the data."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


class YamlSyntaxError(Exception):
    """The text is not valid YAML; `line` is 1-based when the parser knows it."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


def parse_yaml(text: str) -> Source:
    """Parse one YAML document with the safe loader and record the line of every node."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlSyntaxError(problem, mark.line + 1 if mark else None) from exc
    finally:
        loader.dispose()
    source = Source(data=data)
    if node is not None:
        _walk(node, (), source)
    return source


def _walk(node: yaml.Node, path: Path, source: Source) -> None:
    source.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                source.duplicate_keys.append((key, key_node.start_mark.line + 1))
            seen.add(key)
            # A key's line is where a reader looks, even when the value starts below it.
            _walk(value_node, (*path, key), source)
            source.lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), source)
