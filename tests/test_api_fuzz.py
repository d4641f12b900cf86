"""Fuzz the partner API from its own OpenAPI document (schemathesis): whatever a partner system
sends, Baken answers with a documented status and never with a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from baken.accounts.services import api_token_create
from baken.directory.models import Organisation

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_started/finished, which close the database
    connection — and with it the test's transaction. Django's own test client detaches this
    handler in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_survives_what_its_own_schema_allows(
    case, demo_region, keep_the_test_connection_open
):
    police = Organisation.objects.get(name="Politie Oost-Nederland, team Twente")
    _token, secret = api_token_create(organisation=police, name="fuzz")
    case.headers = {
        **(case.headers or {}),
        "Authorization": f"Bearer {secret}",
        "Idempotency-Key": "fuzz",
    }
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
