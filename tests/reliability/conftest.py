"""Fixtures for the reliability suite: gunicorn on the database under test."""

from __future__ import annotations

import pytest

from .server import gunicorn


@pytest.fixture
def served(app, database_url):
    """gunicorn (3 sync workers) on the same database as the test session; yields the base URL."""
    with gunicorn(database_url, workers=3) as base_url:
        yield base_url
