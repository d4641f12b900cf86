"""The social map's public API: find services, keep entries current, import and export HSDS.

Other contexts (casework referrals, the portal's help finder) find services through
``service_search`` and read entries through the models' querysets; they never write here.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from functools import reduce
from typing import TypeVar

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from baken.directory.languages import LANGUAGE_NAMES
from baken.directory.models import (
    AUDIENCE_TAXONOMY,
    EXPLOITATION_FORM_TAXONOMY,
    Audience,
    Capacity,
    ExploitationForm,
    Language,
    Municipality,
    Organisation,
    Phone,
    PhoneType,
    Schedule,
    Service,
    ServiceStatus,
    TaxonomyTerm,
    Weekday,
)
from baken.lib.phones import normalise_phone

__all__ = [
    "CapacityValues",
    "PhoneValues",
    "ScheduleValues",
    "ServiceFilters",
    "ServiceValues",
    "directory_entry_verify",
    "ORGANISATION_FIELDS",
    "organisation_save",
    "SERVICE_FIELDS",
    "service_save",
    "service_search",
    "service_set_classification",
    "taxonomy_terms_ensure",
]

_Row = TypeVar("_Row", bound=Model)


@dataclass(frozen=True)
class ServiceFilters:
    exploitation_form: str = ""
    audience: str = ""
    language: str = ""
    municipality: str = ""  # CBS code
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.exploitation_form, self.audience, self.language, self.municipality, self.text)
        )


def service_search(filters: ServiceFilters) -> QuerySet[Service]:
    """Active services that match every given filter.

    A service serves a municipality when it lists it as a service area, has a location there,
    or serves the whole country. Free text must match every word somewhere in the service's or
    its organisation's name or description.
    """
    services = Service.objects.active().select_related("organisation")
    if filters.exploitation_form:
        services = services.filter(
            taxonomy_terms__taxonomy=EXPLOITATION_FORM_TAXONOMY,
            taxonomy_terms__code=filters.exploitation_form,
        )
    if filters.audience:
        services = services.filter(
            id__in=Service.objects.filter(
                taxonomy_terms__taxonomy=AUDIENCE_TAXONOMY, taxonomy_terms__code=filters.audience
            ).values("id")
        )
    if filters.language:
        services = services.filter(languages__code=filters.language)
    if filters.municipality:
        services = services.filter(
            Q(serves_nationally=True)
            | Q(service_areas__cbs_code=filters.municipality)
            | Q(at_locations__location__municipality__cbs_code=filters.municipality)
        )
    for word in filters.text.split()[:8]:
        services = services.filter(
            reduce(
                operator.or_,
                [
                    Q(name__icontains=word),
                    Q(alternate_name__icontains=word),
                    Q(description__icontains=word),
                    Q(organisation__name__icontains=word),
                    Q(organisation__alternate_name__icontains=word),
                ],
            )
        )
    return (
        services.distinct()
        .prefetch_related("taxonomy_terms", "languages", "schedules", "phones", "capacities")
        .order_by("name")
    )


def directory_entry_verify(*, entry: Organisation | Service, user) -> None:
    """Record that ``user`` checked ``entry`` and found it current."""
    entry.last_verified_at = timezone.now()
    entry.last_verified_by = user
    entry.save(update_fields=["last_verified_at", "last_verified_by", "updated_at"])


def taxonomy_terms_ensure() -> None:
    """Create Baken's own taxonomy terms (forms of exploitation, audiences) if missing."""
    for taxonomy, choices in (
        (EXPLOITATION_FORM_TAXONOMY, ExploitationForm.choices),
        (AUDIENCE_TAXONOMY, Audience.choices),
    ):
        for code, label in choices:
            TaxonomyTerm.objects.get_or_create(
                taxonomy=taxonomy, code=code, defaults={"name": str(label)}
            )


def service_set_classification(
    *,
    service: Service,
    exploitation_forms: list[str],
    audiences: list[str],
    languages: list[str],
    service_area_ids: list[int] | None = None,
) -> None:
    """Set a service's forms, audiences, languages (ISO 639-1) and, if given, its areas
    (``Municipality`` ids). An unknown code or id raises ``ValueError`` and changes nothing."""
    unknown = (
        {f"language {code}" for code in set(languages) - set(LANGUAGE_NAMES)}
        | {f"form {code}" for code in set(exploitation_forms) - set(ExploitationForm.values)}
        | {f"audience {code}" for code in set(audiences) - set(Audience.values)}
    )
    if service_area_ids is not None:
        known = Municipality.objects.filter(pk__in=service_area_ids).values_list("pk", flat=True)
        unknown |= {f"municipality {pk}" for pk in set(service_area_ids) - set(known)}
    if unknown:
        raise ValueError(f"Unknown: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        terms = TaxonomyTerm.objects.filter(
            Q(taxonomy=EXPLOITATION_FORM_TAXONOMY, code__in=exploitation_forms)
            | Q(taxonomy=AUDIENCE_TAXONOMY, code__in=audiences)
        )
        own_taxonomies = (EXPLOITATION_FORM_TAXONOMY, AUDIENCE_TAXONOMY)
        other_terms = service.taxonomy_terms.exclude(taxonomy__in=own_taxonomies)
        service.taxonomy_terms.set([*other_terms, *terms])
        service.languages.exclude(code__in=languages).delete()
        existing = set(service.languages.values_list("code", flat=True))
        Language.objects.bulk_create(
            [
                Language(service=service, code=code, name=LANGUAGE_NAMES[code])
                for code in languages
                if code not in existing
            ]
        )
        if service_area_ids is not None:
            service.service_areas.set(service_area_ids)


#: What a caller may set on an organisation, in the order the staff form shows them.
ORGANISATION_FIELDS = (
    "name",
    "alternate_name",
    "organisation_type",
    "description",
    "email",
    "website",
    "region",
    "municipality",
    "parent",
)


def organisation_save(
    *, organisation: Organisation | None, values: Mapping[str, object]
) -> Organisation:
    """Create (``organisation=None``) or update an organisation from validated values.

    ``values`` are cleaned values keyed by field name (``OrganisationForm.cleaned_data``, an API
    body, a command's arguments); a key outside ``ORGANISATION_FIELDS`` is a programming error.
    """
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not an organisation field: {', '.join(sorted(unknown))}")
    organisation = organisation if organisation is not None else Organisation()
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.save()
    return organisation


@dataclass(frozen=True, kw_only=True)
class ServiceValues:
    """A service's own fields, its classification and the municipalities it serves, validated.

    Codes are those of ``ExploitationForm``, ``Audience`` and ISO 639-1; areas are
    ``Municipality`` ids.
    """

    name: str
    description: str
    alternate_name: str = ""
    status: str = ServiceStatus.ACTIVE
    eligibility_description: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    application_process: str = ""
    fees_description: str = ""
    url: str = ""
    email: str = ""
    serves_nationally: bool = False
    exploitation_forms: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    service_area_ids: tuple[int, ...] = ()


#: The fields of ``ServiceValues`` stored on the service itself, in the order the staff form
#: shows them (the classification and the areas are stored beside it).
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "status",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "url",
    "email",
    "serves_nationally",
)


@dataclass(frozen=True, kw_only=True)
class PhoneValues:
    """A phone number of a service: new (``phone_id=None``), changed, or removed (``delete``)."""

    number: str = ""
    type: str = PhoneType.VOICE
    description: str = ""
    phone_id: int | None = None
    delete: bool = False


@dataclass(frozen=True, kw_only=True)
class ScheduleValues:
    """Weekly opening hours on ``days`` (``Weekday`` codes); new, changed or removed."""

    days: tuple[str, ...] = ()
    opens_at: time | None = None
    closes_at: time | None = None
    description: str = ""
    schedule_id: int | None = None
    delete: bool = False


@dataclass(frozen=True, kw_only=True)
class CapacityValues:
    """Places of one unit (beds, rooms) and how many are free; new, changed or removed."""

    unit: str = ""
    available: int | None = None
    maximum: int | None = None
    description: str = ""
    capacity_id: int | None = None
    delete: bool = False


def _service_problems(
    values: ServiceValues,
    phones: list[PhoneValues],
    schedules: list[ScheduleValues],
    capacities: list[CapacityValues],
) -> list[str]:
    """The rules the staff form explains to people, checked again for every other caller."""
    problems = []
    low, high = values.minimum_age, values.maximum_age
    if low is not None and high is not None and low > high:
        problems.append("maximum_age is below minimum_age")
    for phone in phones:
        if not phone.delete and _normalised(phone.number) is None:
            problems.append(f"{phone.number!r} is not a phone number")
    for schedule in schedules:
        if schedule.delete:
            continue
        if not schedule.days or set(schedule.days) - set(Weekday.values):
            problems.append(f"schedule days {schedule.days!r} are not weekdays")
        opens, closes = schedule.opens_at, schedule.closes_at
        if (opens is None) != (closes is None) or (
            opens is not None and closes is not None and opens >= closes
        ):
            problems.append(f"schedule {opens}-{closes} does not close after it opens")
    for capacity in capacities:
        available, maximum = capacity.available, capacity.maximum
        if not capacity.delete and available is not None and maximum is not None:
            if available > maximum:
                problems.append(f"capacity {capacity.unit!r}: {available} free of {maximum}")
    return problems


def _normalised(number: str) -> str | None:
    try:
        return normalise_phone(number)
    except ValueError:
        return None


def _own_rows(rows: QuerySet[_Row], ids: list[int | None], what: str) -> dict[int, _Row]:
    """The service's rows of one kind, locked; an id that is not among them is refused."""
    own = {row.pk: row for row in rows.select_for_update()}
    strangers = {row_id for row_id in ids if row_id is not None} - set(own)
    if strangers:
        raise ValueError(f"Not a {what} of this service: {sorted(strangers)}")
    return own


def service_save(
    *,
    service: Service | None,
    organisation: Organisation | None = None,
    values: ServiceValues,
    phones: list[PhoneValues],
    schedules: list[ScheduleValues],
    capacities: list[CapacityValues],
) -> Service:
    """Create (``service=None``, under ``organisation``) or update a service from validated values.

    Phone, schedule and capacity lines with an id change that row (or remove it, ``delete``);
    lines without one are added; rows no line names stay as they are. Phone numbers are stored
    as E.164. Everything is stored in one transaction, or nothing: a value breaking a rule the
    staff form explains (a number nobody can call, closing before opening, more places free than
    there are), an id of another service's row, or an unknown code or municipality raises
    ``ValueError``.
    """
    if service is None and organisation is None:
        raise ValueError("A new service needs its organisation.")
    if service is not None and organisation is not None:
        if service.organisation_id != organisation.pk:
            raise ValueError("A service stays with its organisation.")
    problems = _service_problems(values, phones, schedules, capacities)
    if problems:
        raise ValueError("; ".join(problems))
    with transaction.atomic():
        if service is None:
            service = Service(organisation=organisation)
        for name in SERVICE_FIELDS:
            setattr(service, name, getattr(values, name))
        service.save()
        _phones_save(service, phones)
        _schedules_save(service, schedules)
        _capacities_save(service, capacities)
        service_set_classification(
            service=service,
            exploitation_forms=list(values.exploitation_forms),
            audiences=list(values.audiences),
            languages=list(values.languages),
            service_area_ids=list(values.service_area_ids),
        )
    return service


def _phones_save(service: Service, lines: list[PhoneValues]) -> None:
    own = _own_rows(service.phones.all(), [line.phone_id for line in lines], "phone")
    for line in lines:
        if line.delete:
            if line.phone_id is not None:
                own[line.phone_id].delete()
            continue
        phone = own[line.phone_id] if line.phone_id is not None else Phone(service=service)
        phone.number = normalise_phone(line.number)
        phone.type, phone.description = line.type, line.description
        phone.save()


def _schedules_save(service: Service, lines: list[ScheduleValues]) -> None:
    own = _own_rows(service.schedules.all(), [line.schedule_id for line in lines], "schedule")
    for line in lines:
        if line.delete:
            if line.schedule_id is not None:
                own[line.schedule_id].delete()
            continue
        schedule = (
            own[line.schedule_id] if line.schedule_id is not None else Schedule(service=service)
        )
        schedule.byday = ",".join(line.days)
        schedule.opens_at, schedule.closes_at = line.opens_at, line.closes_at
        schedule.description = line.description
        schedule.save()


def _capacities_save(service: Service, lines: list[CapacityValues]) -> None:
    own = _own_rows(service.capacities.all(), [line.capacity_id for line in lines], "capacity")
    for line in lines:
        if line.delete:
            if line.capacity_id is not None:
                own[line.capacity_id].delete()
            continue
        capacity = (
            own[line.capacity_id] if line.capacity_id is not None else Capacity(service=service)
        )
        capacity.unit, capacity.description = line.unit, line.description
        capacity.available, capacity.maximum = line.available, line.maximum
        capacity.save()
