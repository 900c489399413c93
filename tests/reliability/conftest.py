"""Fixtures for the reliability suite: gunicorn on the database under test."""

from __future__ import annotations

import pytest

from .server import gunicorn


@pytest.fixture
def served(app, database_url):
    """gunicorn (3 sync workers) on the same database as the test session; yields the base URL."""
    with gunicorn(database_url, workers=3) as base_url:
        yield base_url


@pytest.fixture
def dialogue_in_husby(app, make):
    """An open dialogue on the Husby demo area, inside a Swedish request (messages need a locale)."""
    dialogue = make.dialogue()
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        yield dialogue
