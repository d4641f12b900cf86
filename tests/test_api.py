"""The partner API: good and bad bodies, tokens, problem+json, idempotency, OpenAPI."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from baken.accounts.services import api_token_create
from baken.audit.models import AuditEvent
from baken.casework.models import Signal
from baken.directory.models import Organisation

GOOD = {
    "source": "police",
    "description": "Bij controle in een nagelstudio trof de politie twee Vietnamese meisjes aan.",
    "municipality": "GM0141",
    "exploitation_forms": ["labour"],
    "indicators": ["lives-at-work", "no-own-documents"],
    "urgency": "high",
    "persons": [
        {"role": "possible_victim", "age_estimate": 17, "sex": "female", "nationality": "VN"}
    ],
}


@pytest.fixture
def police_token(demo_region):
    police = Organisation.objects.get(name="Politie Oost-Nederland, team Twente")
    _token, secret = api_token_create(organisation=police, name="BVH-koppeling")
    return secret


def post(secret, body, key="k-1", **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return Client().post(
        "/api/v1/signals",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def test_a_partner_reports_a_signal(police_token):
    response = post(police_token, GOOD)
    assert response.status_code == 201
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body["status"] == "new"
    assert response["Location"] == f"/api/v1/signals/{body['reference']}"
    signal = Signal.objects.get(reference=body["reference"])
    assert signal.reporter_organisation.name.startswith("Politie")
    assert signal.involves_minor  # age 17
    assert signal.persons.get().nationality == "VN"
    event = AuditEvent.objects.filter(object_type="casework.Person", action="create").get()
    assert event.origin.startswith("api Politie") and event.actor_name == "api BVH-koppeling"
    status = Client().get(
        f"/api/v1/signals/{body['reference']}", HTTP_AUTHORIZATION=f"Bearer {police_token}"
    )
    assert status.status_code == 200 and status.json()["reference"] == body["reference"]


def test_a_replayed_idempotency_key_never_makes_a_second_signal(police_token):
    first = post(police_token, GOOD, key="retry-me")
    again = post(police_token, GOOD, key="retry-me")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert Signal.objects.count() == 1
    reused = post(police_token, {**GOOD, "description": "Iets anders."}, key="retry-me")
    assert reused.status_code == 409
    assert reused["Content-Type"] == "application/problem+json"
    assert Signal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_exactly_one_signal(demo_region_committed):
    secret = demo_region_committed
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    results = []

    def send():
        results.append(post(secret, GOOD, key="same-key").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count(201) == 1 and set(results) <= {200, 201}
    assert Signal.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"urgency": 5}, "urgency"),  # wrong type
        ({"source": "horoscope"}, "source"),  # not one of the sources
        ({"favourite_colour": "blue"}, "favourite_colour"),  # unknown field
        ({"description": None}, "description"),  # missing/empty
        ({"description": "x" * 10_001}, "description"),  # oversized text
        ({"municipality": "Enschede"}, "municipality"),  # not a CBS code
        ({"persons": [{"role": "victim", "age_estimate": -3}]}, "persons"),
        ({"observed_on": "gisteren"}, "observed_on"),
    ],
)
def test_bad_bodies_get_a_clear_problem_and_nothing_is_stored(police_token, change, field):
    post(police_token, GOOD, key="earlier")
    body = {**GOOD, **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = post(police_token, body, key=f"bad-{field}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"]
    assert any(field in p["name"] for p in problem["invalid-params"]), problem
    assert Signal.objects.count() == 1  # the earlier signal is still there, nothing new


@pytest.mark.parametrize(
    ("body", "status"),
    [("{not json", 400), ("[]", 400), ('{"source": "police"}', 400)],
)
def test_malformed_json_is_a_problem_too(police_token, body, status):
    response = post(police_token, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert not Signal.objects.exists()


def test_unknown_codes_and_missing_key_are_refused(police_token):
    assert post(police_token, {**GOOD, "indicators": ["astrology"]}).status_code == 400
    assert post(police_token, {**GOOD, "municipality": "GM9999"}).status_code == 400
    assert post(police_token, GOOD, key="").status_code == 400
    assert not Signal.objects.exists()


def test_a_body_over_the_limit_is_refused(police_token):
    huge = json.dumps({**GOOD, "place": "x" * (1024 * 1024 + 10)})
    response = post(police_token, huge)
    assert response.status_code in (400, 413)
    assert response["Content-Type"] == "application/problem+json"
    assert not Signal.objects.exists()


def test_without_a_valid_token_nothing_happens(police_token):
    assert post("bkn_wrong", GOOD).status_code == 401
    response = Client().post(
        "/api/v1/signals", data=json.dumps(GOOD), content_type="application/json"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not Signal.objects.exists()


def test_a_partner_sees_only_its_own_signals(police_token):
    reference = post(police_token, GOOD).json()["reference"]
    riec = Organisation.objects.get(name="RIEC Oost-Nederland")
    _t, other = api_token_create(organisation=riec, name="RIEC")
    response = Client().get(f"/api/v1/signals/{reference}", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert response.status_code == 404


def test_the_openapi_document_describes_the_api(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/signals" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())
