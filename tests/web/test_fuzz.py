"""The API fuzzed from its own OpenAPI schema (schemathesis, in process over ASGI): whatever
it is sent, no answer is a server error, and every answer fits the schema (status code,
content type, body).

Starting jobs is left out of the fuzzing (each would be a simulation); test_api.py starts them
by hand, and the store here holds a real result so that the result routes answer with data.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from plantwin.results import open_store
from plantwin.service import load, run
from plantwin.web import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding one run (id 1) and one saved scenario, as the fuzzed app's."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}"
    with open_store(url) as store:
        run(load("maracay", horizon="1d"), store=store)
        store.save_scenario("saved", load("maracay").source_text or "")
    return url


def _operations(url: str) -> list[Any]:
    """The API's operations as the schema describes them, all but starting a job."""
    api = schemathesis.openapi.from_asgi("/openapi.json", create_app(url))
    fuzzed = api.exclude(method="POST", path="/api/jobs")
    return [op.ok() for op in fuzzed.get_all_operations()]


def test_the_fuzzing_covers_every_route_but_starting_a_job(stored: str) -> None:
    operations = _operations(stored)
    assert len(operations) == 17
    assert all(op.path.startswith("/api/") for op in operations)


def test_no_request_gets_a_server_error_or_an_answer_off_the_schema(stored: str) -> None:
    for operation in _operations(stored):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,  # never a measure of the machine's speed
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def fuzz(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        fuzz()
