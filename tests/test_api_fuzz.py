"""Schemathesis against the API's own OpenAPI schema: no generated request, valid or not, gets a 5xx.

The schema is built in-process and the requests go to the WSGI app directly (no server, no network), as a
board manager. Valid (positive) cases are aimed at objects that exist (the board and a draft on it), so
they reach the services rather than a 404; invalid (negative) ones keep their generated ids. A few
deterministic examples per operation keep the test near half a minute; the coverage phase (every
boundary value of every parameter, about 4,000 requests) is off for that reason: run it by hand with
SCHEMATHESIS_COVERAGE=1 after changing the API.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode

from contributors.profiles.tokens import api_token_create

EXAMPLES_PER_OPERATION = 5

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, deterministic=True, database="none")
schema.config.phases.coverage.enabled = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"
# Methods the schema does not declare get DRF's 405 on every route alike.
schema.config.phases.coverage.unexpected_methods = set()


@pytest.fixture(autouse=True)
def _connection_kept_across_requests():
    """The WSGI app closes the database connection after each request; inside a test's transaction that
    would close it under the test (PostgreSQL). Django's test client unhooks the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def existing(personas, draft) -> dict[str, int]:
    """The id of an object that exists, by the first segment of the API path."""
    return {"boards": personas.board.pk, "guidelines": personas.board.pk, "drafts": draft.pk}


@pytest.fixture
def manager_token(personas) -> str:
    _, secret = api_token_create(user=personas.manager)
    return secret


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_it_never_answers_a_server_error(case, manager_token, existing):
    resource = case.path.split("/")[2]
    if case.meta and case.meta.generation.mode == GenerationMode.POSITIVE and resource in existing:
        case.path_parameters = {**(case.path_parameters or {}), "id": existing[resource]}
    response = case.call(headers={"Authorization": f"Token {manager_token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
