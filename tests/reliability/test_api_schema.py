"""Schemathesis against the JSON API's own OpenAPI document (/api/v1/openapi.json), in-process.

Generated requests for every operation the document lists, with a small bounded number of
examples: no 5xx, and every answer's status code, content type and body as the document says.
The public pins are also asked of a dialogue that exists and has pins, so the 200 answers (the
GeoJSON pages, with their `next` links) are checked against the schema, not only the 404s.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from app.extensions import db
from tests.factories import Factories

CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
EXAMPLES = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture
def api_schema(app):
    """The API's OpenAPI document, loaded from the app itself over WSGI."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def published(app) -> str:
    """A public dialogue showing its pins, with a few published pins; its slug."""
    with app.app_context():
        make = Factories()
        dialogue = make.dialogue(show_others_pins=True)
        for i in range(3):
            make.pin(dialogue, text=f"Synpunkt {i}")
        slug = dialogue.slug
        db.session.remove()
    return slug


def _conforms(operation, published: str | None = None) -> None:
    """Every generated request to the operation answers as the document says."""

    @given(case=operation.as_strategy())
    @EXAMPLES
    def run(case):
        if published is not None:
            case.path_parameters = {"slug": published}
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    run()


# Schemathesis's pytest plugin (`from_fixture` + `parametrize`) fails on pytest 9 ("'Function'
# object has no attribute '_nodeid'"), so its Python API drives hypothesis here instead.
def test_every_operation_answers_as_its_document_says(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.definition.raw["operationId"] for op in operations} == {
        "publicPins", "startExport", "exportJob", "exportFile"}
    for operation in operations:
        _conforms(operation)


def test_the_pins_of_a_real_dialogue_answer_as_the_document_says(api_schema, published):
    _conforms(api_schema.find_operation_by_id("publicPins"), published)
