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


# A survey definition is a few kB; the largest we ship is under 20 kB and 8 levels deep.
MAX_CHARACTERS = 200_000
MAX_DEPTH = 32
# Values after aliases are expanded: a "billion laughs" document of a few hundred bytes would
# otherwise grow to millions of values and take minutes (and gigabytes) to build.
MAX_VALUES = 50_000


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing documents nested deeper than MAX_DEPTH while composing them."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlSyntaxError(f"texten är nästlad djupare än {MAX_DEPTH} nivåer",
                                      mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a node graph whose aliases expand past MAX_VALUES or refer to themselves."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_VALUES:
                raise YamlSyntaxError(
                    f"texten blir mer än {MAX_VALUES} värden när alias (*namn) byts ut; "
                    "skriv ut det som upprepas i stället", node.start_mark.line + 1)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlSyntaxError("ett alias (*namn) pekar på sig självt", node.start_mark.line + 1)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def parse_yaml(text: str) -> Source:
    """Parse one YAML document with the safe loader and record the line of every node.

    Size, depth and alias expansion are limited before anything is built, for every survey text
    we accept (files, the CLI, the network's template forms).
    """
    if len(text) > MAX_CHARACTERS:
        raise YamlSyntaxError(f"texten är längre än {MAX_CHARACTERS} tecken", None)
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node)
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
