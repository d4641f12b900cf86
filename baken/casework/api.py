"""The partner REST API (django-ninja): partner systems report signals and follow them.

Follows the Logius API Design Rules where they apply: OpenAPI 3 at ``/api/v1/openapi.json``,
errors as ``application/problem+json`` (RFC 9457), an ``API-Version`` header on every answer
(``baken.casework.middleware.ApiVersionMiddleware``), kebab-case paths. A token per partner
organisation (``baken api_token``); an ``Idempotency-Key`` header makes retries safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import ConfigDict, StringConstraints

from baken.accounts.models import ApiToken
from baken.accounts.services import api_token_authenticate
from baken.audit.services import Actor, acting_as
from baken.casework import services
from baken.casework.indicators import LABELS as INDICATOR_LABELS
from baken.casework.models import (
    PersonRole,
    Sector,
    Sex,
    Signal,
    SignalSource,
    SignalStatus,
    Urgency,
)
from baken.directory.models import ExploitationForm, Municipality

API_VERSION = "1.0.0"
MAX_BODY_BYTES = 256 * 1024
PROBLEM = "application/problem+json"


class ApiRequest(HttpRequest):
    """A request that passed :class:`TokenAuth`: it carries the partner's token (for mypy)."""

    api_token: ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is not None:
            # Read by the endpoints as ApiRequest.api_token; HttpBearer fixes the parameter type.
            request.api_token = api_token  # type: ignore[attr-defined]
        return api_token


api = NinjaAPI(
    title="Baken partner API",
    version=API_VERSION,
    description="Report signals of human trafficking and exploitation, and follow them.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive docs load scripts from a CDN; Baken loads nothing from elsewhere
    auth=TokenAuth(),
)


def problem(status: int, title: str, detail: str = "", **extra) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM)


@api.exception_handler(ValidationError)
def validation_problem(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "name": ".".join(str(part) for part in error["loc"][1:]) or str(error["loc"][0]),
            "code": error.get("type", "invalid"),
            "reason": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return problem(
        400,
        "The request body is not valid.",
        "See invalid-params; nothing was stored.",
        **{"invalid-params": errors},
    )


@api.exception_handler(AuthenticationError)
def authentication_problem(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        401, "A valid partner token is needed.", "Send Authorization: Bearer <token>."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RequestDataTooBig)
def too_big_problem(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(413, "The request body is too large.", "Nothing was stored.")


@api.exception_handler(HttpError)
def http_problem(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, exc.message)


Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class PersonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    role: Literal[tuple(PersonRole.values)] = PersonRole.POSSIBLE_VICTIM  # type: ignore[valid-type]
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    date_of_birth: dt.date | None = None
    age_estimate: int | None = Field(default=None, ge=0, le=120)
    sex: Literal[tuple(Sex.values)] = Sex.UNKNOWN  # type: ignore[valid-type]
    nationality: Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{2})?$")] = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    address: Short = ""


class SignalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    source: Literal[tuple(v for v in SignalSource.values if v != "citizen")]  # type: ignore[valid-type]
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
    ]
    municipality: Annotated[str, StringConstraints(pattern=r"^GM\d{4}$")] | None = Field(
        default=None, description="CBS code, for example GM0153"
    )
    place: Short = ""
    observed_on: dt.date | None = None
    exploitation_forms: list[Literal[tuple(ExploitationForm.values)]] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=4
    )
    indicators: list[str] = Field(default_factory=list, max_length=40)
    sector: Literal[("",) + tuple(Sector.values)] = ""  # type: ignore[valid-type]
    urgency: Literal[tuple(Urgency.values)] = Urgency.NORMAL  # type: ignore[valid-type]
    involves_minor: bool = False
    persons: list[PersonIn] = Field(default_factory=list, max_length=10)


class SignalOut(Schema):
    reference: str
    status: Literal[tuple(SignalStatus.values)]  # type: ignore[valid-type]
    received_at: dt.datetime
    feedback: str = ""


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str = ""


def _out(signal: Signal) -> dict:
    return {
        "reference": signal.reference,
        "status": signal.status,
        "received_at": signal.received_at,
        "feedback": signal.outcome_note,
    }


@api.post(
    "/signals",
    response={
        201: SignalOut,
        200: SignalOut,
        400: Problem,
        401: Problem,
        409: Problem,
        413: Problem,
    },
    summary="Report a signal",
)
def signal_create(request: ApiRequest, body: SignalIn, response: HttpResponse):
    """Report a signal. Send an `Idempotency-Key` header (any unique string up to 100
    characters): a retry with the same key and body answers with the first signal (200)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 100:
        raise HttpError(400, "Send an Idempotency-Key header of 1 to 100 characters.")
    if len(request.body) > MAX_BODY_BYTES:
        raise HttpError(413, "The request body is larger than 256 KiB.")
    unknown = sorted(set(body.indicators) - set(INDICATOR_LABELS))
    if unknown:
        raise HttpError(400, f"Unknown indicator codes: {', '.join(unknown)}.")
    municipality = None
    if body.municipality:
        municipality = (
            Municipality.objects.select_related("region").filter(cbs_code=body.municipality).first()
        )
        if municipality is None:
            raise HttpError(400, f"Unknown municipality {body.municipality}.")
    token = request.api_token
    actor = Actor(
        actor_name=f"api {token.name}"[:150],
        organisation_id=token.organisation_id,
        organisation_name=token.organisation.name,
        origin=f"api {token.organisation.name}"[:100],
    )
    request_hash = hashlib.sha256(request.body).hexdigest()
    try:
        signal, created = services.signal_create_idempotent(
            organisation=token.organisation,
            key=key,
            request_hash=request_hash,
            actor=actor,
            source=body.source,
            description=body.description,
            municipality=municipality,
            place=body.place,
            observed_on=body.observed_on,
            exploitation_forms=list(body.exploitation_forms),
            indicator_codes=body.indicators,
            urgency=body.urgency,
            involves_minor=body.involves_minor,
            sector=body.sector,
            persons=[
                services.PersonData(
                    role=p.role,
                    name=p.name,
                    date_of_birth=p.date_of_birth.isoformat() if p.date_of_birth else "",
                    phone=p.phone,
                    address=p.address,
                    sex=p.sex,
                    age_estimate=p.age_estimate,
                    nationality=p.nationality,
                )
                for p in body.persons
            ],
        )
    except services.IdempotencyConflict:
        raise HttpError(409, "This Idempotency-Key was used for a different request.") from None
    response["Location"] = f"/api/v1/signals/{signal.reference}"
    return Status(201 if created else 200, _out(signal))


@api.get("/signals/{reference}", response={200: SignalOut, 401: Problem, 404: Problem})
def signal_status(request: ApiRequest, reference: str):
    """What became of a signal this organisation reported: status and feedback, no personal data."""
    signal = Signal.objects.filter(
        reference=reference, reporter_organisation_id=request.api_token.organisation_id
    ).first()
    if signal is None:
        raise HttpError(404, "No signal with this reference from your organisation.")
    with acting_as(Actor(actor_name=f"api {request.api_token.name}", origin="api")):
        return Status(200, _out(signal))
