"""Open Referral HSDS 3.0 JSON export and import of the social map.

The file holds ``{"hsds_version": "3.0", "taxonomy_terms": [...], "organizations": [...]}``,
each organisation nested as HSDS 3.0's ``organization`` object (with ``locations`` and
``services``; services with ``languages``, ``schedules``, ``phones``, ``service_areas``,
``service_at_locations``, ``capacities`` and ``attributes``). Baken's forms of exploitation,
audiences and organisation types travel as ``attributes`` pointing at taxonomy terms; a
municipality is a service area or location attribute whose ``uri`` is ``urn:cbs:GM0153``.
Confidential (shelter) addresses are never exported.

Import validates every record with pydantic first and stores nothing when any record is bad;
every problem is reported with its place in the file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from baken.directory.languages import LANGUAGE_NAMES
from baken.directory.models import (
    ORGANISATION_TYPE_TAXONOMY,
    Capacity,
    Language,
    Location,
    Municipality,
    Organisation,
    OrganisationType,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    Weekday,
)
from baken.lib.phones import normalise_phone

HSDS_VERSION = "3.0"
CBS_URN_PREFIX = "urn:cbs:"
NATIONAL_AREA_URI = "urn:iso:3166:NL"


class ImportFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the import")
        self.problems = problems


# --- Export -----------------------------------------------------------------------------------


def export_directory() -> dict[str, Any]:
    organisations = Organisation.objects.select_related("municipality", "parent").prefetch_related(
        "phones",
        "locations__municipality",
        "services__languages",
        "services__schedules",
        "services__phones",
        "services__capacities",
        "services__taxonomy_terms",
        "services__service_areas",
        "services__at_locations",
        "services__last_verified_by",
    )
    terms = TaxonomyTerm.objects.all()
    return {
        "hsds_version": HSDS_VERSION,
        "generated": timezone.now().isoformat(),
        "taxonomy_terms": [_term(t) for t in terms]
        + [
            {"id": None, "taxonomy": ORGANISATION_TYPE_TAXONOMY, "code": c, "name": str(n)}
            for c, n in OrganisationType.choices
        ],
        "organizations": [_organisation(o) for o in organisations],
    }


def _term(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": str(term.id),
        "taxonomy": term.taxonomy,
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "parent_id": str(term.parent_id) if term.parent_id else None,
    }


def _attribute(taxonomy: str, code: str) -> dict[str, Any]:
    return {"taxonomy_term": {"taxonomy": taxonomy, "code": code}, "value": code}


def _organisation(org: Organisation) -> dict[str, Any]:
    attributes = [_attribute(ORGANISATION_TYPE_TAXONOMY, org.organisation_type)]
    if org.municipality is not None:
        attributes.append(
            {"label": "municipality", "value": CBS_URN_PREFIX + org.municipality.cbs_code}
        )
    return {
        "id": str(org.id),
        "name": org.name,
        "alternate_name": org.alternate_name or None,
        "description": org.description,
        "email": org.email or None,
        "website": org.website or None,
        "parent_organization_id": str(org.parent_id) if org.parent_id else None,
        "assured_date": _date(org.last_verified_at),
        "phones": [_phone(p) for p in org.phones.all()],
        "locations": [_location(loc) for loc in org.locations.all()],
        "services": [_service(s) for s in org.services.all()],
        "attributes": attributes,
    }


def _date(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def _phone(phone: Phone) -> dict[str, Any]:
    return {"number": phone.number, "type": phone.type, "description": phone.description or None}


def _location(loc: Location) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(loc.id),
        "name": loc.name,
        "location_type": loc.location_type,
        "description": loc.description,
        "addresses": [],
        "attributes": [],
    }
    if loc.municipality is not None:
        data["attributes"].append(
            {"label": "municipality", "value": CBS_URN_PREFIX + loc.municipality.cbs_code}
        )
    if loc.address_is_confidential:
        data["attributes"].append({"label": "address_is_confidential", "value": "true"})
    else:
        if loc.address_1 or loc.city:
            data["addresses"].append(
                {
                    "address_1": loc.address_1,
                    "city": loc.city,
                    "postal_code": loc.postal_code,
                    "state_province": "",
                    "country": "NL",
                    "address_type": "physical",
                }
            )
        if loc.latitude is not None and loc.longitude is not None:
            data["latitude"] = float(loc.latitude)
            data["longitude"] = float(loc.longitude)
    return data


def _service(svc: Service) -> dict[str, Any]:
    areas = [{"name": m.name, "uri": CBS_URN_PREFIX + m.cbs_code} for m in svc.service_areas.all()]
    if svc.serves_nationally:
        areas.append({"name": "Nederland", "uri": NATIONAL_AREA_URI})
    return {
        "id": str(svc.id),
        "name": svc.name,
        "alternate_name": svc.alternate_name or None,
        "description": svc.description,
        "url": svc.url or None,
        "email": svc.email or None,
        "status": svc.status,
        "eligibility_description": svc.eligibility_description or None,
        "minimum_age": svc.minimum_age,
        "maximum_age": svc.maximum_age,
        "application_process": svc.application_process or None,
        "fees_description": svc.fees_description or None,
        "assured_date": _date(svc.last_verified_at),
        "assurer_email": svc.last_verified_by.email if svc.last_verified_by else None,
        "languages": [
            {"code": lang.code, "name": lang.name, "note": lang.note or None}
            for lang in svc.languages.all()
        ],
        "schedules": [
            {
                "freq": "WEEKLY",
                "byday": sch.byday,
                "opens_at": sch.opens_at.strftime("%H:%M") if sch.opens_at else None,
                "closes_at": sch.closes_at.strftime("%H:%M") if sch.closes_at else None,
                "description": sch.description or None,
            }
            for sch in svc.schedules.all()
        ],
        "phones": [_phone(p) for p in svc.phones.all()],
        "service_areas": areas,
        "service_at_locations": [
            {"id": str(sal.id), "location_id": str(sal.location_id)}
            for sal in svc.at_locations.all()
        ],
        "capacities": [
            {
                "available": cap.available,
                "maximum": cap.maximum,
                "unit": {"name": cap.unit},
                "description": cap.description or None,
                "updated": cap.updated.isoformat(),
            }
            for cap in svc.capacities.all()
        ],
        "attributes": [_attribute(t.taxonomy, t.code) for t in svc.taxonomy_terms.all()],
    }


# --- Import: validation -----------------------------------------------------------------------


def _email(value: str) -> str:
    try:
        EmailValidator()(value)
    except DjangoValidationError:
        raise ValueError(f"{value!r} is not an e-mail address") from None
    return value


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError:
        raise ValueError(f"{value!r} is not a web address (http or https)") from None
    return value


Email = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class TermRef(_Strict):
    taxonomy: str
    code: str


class AttributeIn(_Strict):
    taxonomy_term: TermRef | None = None
    label: str | None = None
    value: str | None = None


class PhoneIn(_Strict):
    number: str = Field(min_length=3, max_length=30)
    type: Literal["voice", "text", "hotline", "fax"] = "voice"
    description: str | None = None

    @field_validator("number")
    @classmethod
    def number_is_valid(cls, value: str) -> str:
        return normalise_phone(value)


class AddressIn(_Strict):
    address_1: str = ""
    city: str = ""
    postal_code: str = ""


class LocationIn(_Strict):
    id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    location_type: Literal["physical", "postal", "virtual"] = "physical"
    description: str = ""
    addresses: list[AddressIn] = []
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    attributes: list[AttributeIn] = []


class LanguageIn(_Strict):
    code: str
    note: str | None = None

    @field_validator("code")
    @classmethod
    def code_is_known(cls, value: str) -> str:
        if value not in LANGUAGE_NAMES:
            raise ValueError(f"unknown language code {value!r}")
        return value


class ScheduleIn(_Strict):
    byday: str
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    description: str | None = None

    @field_validator("byday")
    @classmethod
    def days_are_known(cls, value: str) -> str:
        days = [d.strip() for d in value.split(",") if d.strip()]
        bad = [d for d in days if d not in Weekday.values]
        if not days or bad:
            raise ValueError(f"byday must list MO,TU,WE,TH,FR,SA,SU (got {value!r})")
        return ",".join(days)


class ServiceAreaIn(_Strict):
    name: str = ""
    uri: str


class ServiceAtLocationIn(_Strict):
    id: uuid.UUID | None = None
    location_id: uuid.UUID


class UnitIn(_Strict):
    name: str = Field(min_length=1, max_length=60)


class CapacityIn(_Strict):
    available: int | None = Field(default=None, ge=0)
    maximum: int | None = Field(default=None, ge=0)
    unit: UnitIn
    description: str | None = None


class ServiceIn(_Strict):
    id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    alternate_name: str | None = None
    description: str = Field(min_length=1)
    url: Url | None = None
    email: Email | None = None
    status: Literal["active", "inactive", "defunct", "temporarily closed"] = "active"
    eligibility_description: str | None = None
    minimum_age: int | None = Field(default=None, ge=0, le=120)
    maximum_age: int | None = Field(default=None, ge=0, le=120)
    application_process: str | None = None
    fees_description: str | None = None
    assured_date: dt.date | None = None
    assurer_email: str | None = None
    languages: list[LanguageIn] = []
    schedules: list[ScheduleIn] = []
    phones: list[PhoneIn] = []
    service_areas: list[ServiceAreaIn] = []
    service_at_locations: list[ServiceAtLocationIn] = []
    capacities: list[CapacityIn] = []
    attributes: list[AttributeIn] = []


class OrganisationIn(_Strict):
    id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    alternate_name: str | None = None
    description: str = ""
    email: Email | None = None
    website: Url | None = None
    parent_organization_id: uuid.UUID | None = None
    assured_date: dt.date | None = None
    phones: list[PhoneIn] = []
    locations: list[LocationIn] = []
    services: list[ServiceIn] = []
    attributes: list[AttributeIn] = []


class DirectoryIn(_Strict):
    hsds_version: str | None = None
    organizations: list[Any]


# --- Import: storing --------------------------------------------------------------------------


def import_directory(data: Any) -> dict[str, int]:
    """Validate the whole file, then store it in one transaction; raise ImportFailed if bad."""
    problems: list[str] = []
    try:
        document = DirectoryIn.model_validate(data)
    except ValidationError as exc:
        raise ImportFailed(_problems(exc, "")) from None
    if document.hsds_version not in (None, HSDS_VERSION):
        problems.append(f"hsds_version: expected {HSDS_VERSION}, got {document.hsds_version}")

    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    terms = {(t.taxonomy, t.code): t for t in TaxonomyTerm.objects.all()}
    organisations: list[tuple[str, OrganisationIn]] = []
    for index, raw in enumerate(document.organizations):
        where = f"organizations[{index}]"
        try:
            org = OrganisationIn.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_problems(exc, where))
            continue
        problems.extend(_check_references(org, where, municipalities, terms))
        organisations.append((where, org))
    known_ids = {org.id for _, org in organisations}
    for where, org in organisations:
        parent = org.parent_organization_id
        if (
            parent
            and parent not in known_ids
            and not Organisation.objects.filter(pk=parent).exists()
        ):
            problems.append(f"{where}.parent_organization_id: no organisation {parent}")
    if problems:
        raise ImportFailed(problems)

    counts = {"organisations": 0, "services": 0, "locations": 0}
    with transaction.atomic():
        for _, org in organisations:
            _store_organisation(org, municipalities, terms, counts)
        for _, org in organisations:
            if org.parent_organization_id:
                Organisation.objects.filter(pk=org.id).update(parent_id=org.parent_organization_id)
    return counts


def _problems(exc: ValidationError, where: str) -> list[str]:
    out = []
    for error in exc.errors():
        path = where + "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]
        )
        out.append(f"{path.lstrip('.') or '(file)'}: {error['msg']}")
    return out


def _org_type(org: OrganisationIn) -> str | None:
    for attr in org.attributes:
        if attr.taxonomy_term and attr.taxonomy_term.taxonomy == ORGANISATION_TYPE_TAXONOMY:
            return attr.taxonomy_term.code
    return None


def _municipality_uri(attributes: list[AttributeIn]) -> str | None:
    for attr in attributes:
        if attr.label == "municipality" and attr.value:
            return attr.value
    return None


def _check_references(org, where, municipalities, terms) -> list[str]:
    problems = []
    org_type = _org_type(org)
    if org_type not in OrganisationType.values:
        problems.append(
            f"{where}.attributes: needs a {ORGANISATION_TYPE_TAXONOMY} term "
            f"({', '.join(OrganisationType.values)})"
        )

    def check_uri(uri: str | None, path: str) -> None:
        if uri is None or uri == NATIONAL_AREA_URI:
            return
        code = uri.removeprefix(CBS_URN_PREFIX)
        if not uri.startswith(CBS_URN_PREFIX) or code not in municipalities:
            problems.append(f"{path}: unknown municipality {uri!r}")

    check_uri(_municipality_uri(org.attributes), f"{where}.attributes")
    location_ids = {loc.id for loc in org.locations}
    for li, loc in enumerate(org.locations):
        check_uri(_municipality_uri(loc.attributes), f"{where}.locations[{li}].attributes")
    for si, svc in enumerate(org.services):
        spath = f"{where}.services[{si}]"
        for ai, area in enumerate(svc.service_areas):
            check_uri(area.uri, f"{spath}.service_areas[{ai}].uri")
        for ai, attr in enumerate(svc.attributes):
            ref = attr.taxonomy_term
            if ref and (ref.taxonomy, ref.code) not in terms:
                problems.append(
                    f"{spath}.attributes[{ai}]: unknown taxonomy term {ref.taxonomy}/{ref.code}"
                )
        for li, sal in enumerate(svc.service_at_locations):
            if sal.location_id not in location_ids:
                problems.append(
                    f"{spath}.service_at_locations[{li}].location_id: "
                    f"not a location of this organisation"
                )
        if svc.minimum_age is not None and svc.maximum_age is not None:
            if svc.minimum_age > svc.maximum_age:
                problems.append(f"{spath}: minimum_age is above maximum_age")
    return problems


def _verified_at(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _assurer(email: str | None):
    """The staff member who checked the entry, when the file names one Baken knows."""
    if not email:
        return None

    return get_user_model().objects.filter(email__iexact=email, is_active=True).first()


def _store_organisation(org: OrganisationIn, municipalities, terms, counts) -> None:
    muni_uri = _municipality_uri(org.attributes)
    org_type = _org_type(org)
    if org_type is None:  # _check_references has refused such a file before anything is stored
        raise ImportFailed([f"organisation {org.id}: needs a {ORGANISATION_TYPE_TAXONOMY} term"])
    organisation, _ = Organisation.objects.update_or_create(
        id=org.id,
        defaults={
            "name": org.name,
            "alternate_name": org.alternate_name or "",
            "organisation_type": org_type,
            "description": org.description,
            "email": org.email or "",
            "website": org.website or "",
            "municipality": municipalities.get(muni_uri.removeprefix(CBS_URN_PREFIX))
            if muni_uri
            else None,
            "last_verified_at": _verified_at(org.assured_date),
        },
    )
    counts["organisations"] += 1
    organisation.phones.all().delete()
    Phone.objects.bulk_create(
        [
            Phone(
                organisation=organisation,
                number=p.number,
                type=p.type,
                description=p.description or "",
            )
            for p in org.phones
        ]
    )
    for loc in org.locations:
        address = loc.addresses[0] if loc.addresses else AddressIn()
        confidential = any(
            a.label == "address_is_confidential" and a.value == "true" for a in loc.attributes
        )
        uri = _municipality_uri(loc.attributes)
        Location.objects.update_or_create(
            id=loc.id,
            defaults={
                "organisation": organisation,
                "name": loc.name,
                "location_type": loc.location_type,
                "description": loc.description,
                "address_1": address.address_1,
                "postal_code": address.postal_code,
                "city": address.city,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
                "address_is_confidential": confidential,
                "municipality": municipalities.get(uri.removeprefix(CBS_URN_PREFIX))
                if uri
                else None,
            },
        )
        counts["locations"] += 1
    for svc in org.services:
        service, _ = Service.objects.update_or_create(
            id=svc.id,
            defaults={
                "organisation": organisation,
                "name": svc.name,
                "alternate_name": svc.alternate_name or "",
                "description": svc.description,
                "url": svc.url or "",
                "email": svc.email or "",
                "status": svc.status,
                "eligibility_description": svc.eligibility_description or "",
                "minimum_age": svc.minimum_age,
                "maximum_age": svc.maximum_age,
                "application_process": svc.application_process or "",
                "fees_description": svc.fees_description or "",
                "serves_nationally": any(a.uri == NATIONAL_AREA_URI for a in svc.service_areas),
                "last_verified_at": _verified_at(svc.assured_date),
                "last_verified_by": _assurer(svc.assurer_email),
            },
        )
        counts["services"] += 1
        service.languages.all().delete()
        Language.objects.bulk_create(
            [
                Language(
                    service=service,
                    code=lang.code,
                    name=LANGUAGE_NAMES[lang.code],
                    note=lang.note or "",
                )
                for lang in svc.languages
            ]
        )
        service.schedules.all().delete()
        Schedule.objects.bulk_create(
            [
                Schedule(
                    service=service,
                    byday=s.byday,
                    opens_at=s.opens_at,
                    closes_at=s.closes_at,
                    description=s.description or "",
                )
                for s in svc.schedules
            ]
        )
        service.phones.all().delete()
        Phone.objects.bulk_create(
            [
                Phone(
                    service=service, number=p.number, type=p.type, description=p.description or ""
                )
                for p in svc.phones
            ]
        )
        service.capacities.all().delete()
        Capacity.objects.bulk_create(
            [
                Capacity(
                    service=service,
                    unit=c.unit.name,
                    available=c.available,
                    maximum=c.maximum,
                    description=c.description or "",
                )
                for c in svc.capacities
            ]
        )
        service.service_areas.set(
            [
                municipalities[a.uri.removeprefix(CBS_URN_PREFIX)]
                for a in svc.service_areas
                if a.uri != NATIONAL_AREA_URI
            ]
        )
        service.taxonomy_terms.set(
            [
                terms[(a.taxonomy_term.taxonomy, a.taxonomy_term.code)]
                for a in svc.attributes
                if a.taxonomy_term
            ]
        )
        service.at_locations.all().delete()
        ServiceAtLocation.objects.bulk_create(
            [
                ServiceAtLocation(
                    **({"id": sal.id} if sal.id else {}),
                    service=service,
                    location_id=sal.location_id,
                )
                for sal in svc.service_at_locations
            ]
        )
