"""How far the export being made has read: rows counted where they are read, shown by a job's
progress bar or the CLI's, whichever set the hook."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

_hook: ContextVar[Callable[[int], None] | None] = ContextVar("export_progress", default=None)


@contextlib.contextmanager
def reporting(hook: Callable[[int], None]) -> Iterator[None]:
    """Call hook(rows) for every batch of rows an export reads inside the block."""
    token = _hook.set(hook)
    try:
        yield
    finally:
        _hook.reset(token)


def advance(rows: int) -> None:
    """Count rows just read (nothing happens outside a reporting block)."""
    hook = _hook.get()
    if hook is not None:
        hook(rows)
