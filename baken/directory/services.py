"""The social map's public API: find services, keep entries current, import and export HSDS.

Other contexts (casework referrals, the portal's help finder) find services through
``service_search`` and read entries through the models' querysets; they never write here.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from baken.directory.languages import LANGUAGE_NAMES
from baken.directory.models import (
    AUDIENCE_TAXONOMY,
    EXPLOITATION_FORM_TAXONOMY,
    Audience,
    ExploitationForm,
    Language,
    Municipality,
    Organisation,
    Service,
    TaxonomyTerm,
)

__all__ = [
    "ServiceFilters",
    "directory_entry_verify",
    "ORGANISATION_FIELDS",
    "organisation_save",
    "service_save",
    "service_search",
    "service_set_classification",
    "taxonomy_terms_ensure",
]


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
    municipalities: list[Municipality] | None = None,
) -> None:
    """Set a service's forms, audiences, languages (ISO 639-1) and, if given, its areas."""
    unknown = set(languages) - set(LANGUAGE_NAMES)
    if unknown:
        raise ValueError(f"Unknown language codes: {', '.join(sorted(unknown))}")
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
        if municipalities is not None:
            service.service_areas.set(municipalities)


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


def service_save(*, form, formsets) -> Service:
    """Store a validated ``ServiceForm`` with its phone, schedule and capacity formsets."""
    with transaction.atomic():
        service = form.save()
        for formset in formsets:
            formset.instance = service
            formset.save()
        service_set_classification(
            service=service,
            exploitation_forms=form.cleaned_data["exploitation_forms"],
            audiences=form.cleaned_data["audiences"],
            languages=form.cleaned_data["languages"],
        )
    return service
