"""The `count_queries` fixture (after Indico's): the SQL statements a block of code sends.

    def test_page(count_queries, client):
        with count_queries() as statements:
            client.get("/planering/")
        assert len(statements) <= 12

Import the fixture into a test module with `from .query_count import count_queries`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db


@pytest.fixture
def count_queries(app):
    """A context manager collecting the SQL statements sent inside it (SAVEPOINTs left out)."""
    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def on_statement(_conn, _cursor, statement, _params, _context, _many):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", on_statement)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", on_statement)

    return counting
