"""Exports for the coordinator (CSV and XLSX) and the anonymous national-registration export.

The coordinator's export carries no personal data: one row per signal. The national
registration export has one row per possible victim with the CoMensha/HTCDS-style fields and no
direct identifier: the person is an export-specific keyed token (HMAC of the identity
pseudonym), so that CoMensha can count distinct people without learning who they are.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from datetime import date

from django.conf import settings

from baken.casework.indicators import CATALOGUE
from baken.casework.models import Person, PersonRole, Signal
from baken.casework.statistics import age_group_of
from baken.lib.tables import as_csv, as_xlsx  # noqa: F401  (the export view's writers)

SIGNAL_COLUMNS = [
    "reference",
    "received",
    "source",
    "municipality",
    "cbs_code",
    "forms",
    "urgency",
    "crisis",
    "minor",
    "status",
    "triaged",
    "case",
]
NATIONAL_COLUMNS = [
    "person_token",
    "year",
    "month",
    "region",
    "municipality_cbs",
    "source",
    "sex",
    "age_group",
    "nationality",
    "minor",
    "forms",
    "sector",
    "recruitment",
    "means_of_control",
    "work_and_living",
    "outcome",
]
_CATEGORY = {code: category for code, category, _forms, _label in CATALOGUE}


def signal_rows(signals: Iterable[Signal]) -> Iterator[list]:
    yield SIGNAL_COLUMNS
    for s in signals:
        yield [
            s.reference,
            s.received_at.date().isoformat(),
            s.source,
            s.municipality.name if s.municipality else "",
            s.municipality.cbs_code if s.municipality else "",
            " ".join(s.form_codes()),
            s.urgency,
            int(s.is_crisis),
            int(s.involves_minor),
            s.status,
            s.triaged_at.date().isoformat() if s.triaged_at else "",
            s.case.reference if s.case else "",
        ]


def age_group(person: Person, on: date) -> str:
    age = person.age_estimate
    if age is None and person.date_of_birth:
        try:
            born = date.fromisoformat(person.date_of_birth)
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        except ValueError:
            age = None
    return age_group_of(age)


def _export_token(person: Person) -> str:
    basis = person.identity_pseudonym or f"person:{person.pk}"
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, f"national-export:{basis}".encode(), hashlib.sha256).hexdigest()[:20]


def national_rows(signals: Iterable[Signal]) -> Iterator[list]:
    yield NATIONAL_COLUMNS
    for s in signals:
        categories: dict[str, list[str]] = {}
        for indicator in s.indicators.all():
            categories.setdefault(_CATEGORY.get(indicator.code, ""), []).append(indicator.code)
        for person in s.persons.all():
            if person.role != PersonRole.POSSIBLE_VICTIM:
                continue
            group = age_group(person, s.received_at.date())
            yield [
                _export_token(person),
                s.received_at.year,
                s.received_at.month,
                s.region.name,
                s.municipality.cbs_code if s.municipality else "",
                s.source,
                person.sex,
                group,
                person.nationality,
                int(s.involves_minor or group in ("0-11", "12-17")),
                " ".join(s.form_codes()),
                s.sector,
                " ".join(categories.get("recruitment", []) + categories.get("online", [])),
                " ".join(categories.get("control", [])),
                " ".join(categories.get("work", []) + categories.get("living", [])),
                s.case.outcome if s.case and s.case.outcome else s.status,
            ]
