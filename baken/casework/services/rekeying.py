"""Re-keying the pseudonyms of persons after PSEUDONYM_KEY got a new first key.

A pseudonym is an HMAC of a normalised value: it can be made under the new key only while the
value itself is held. Pseudonymised closed cases no longer hold it; their pseudonyms are moved
to the new key when a person still holding the same value shows what the old pseudonym stood
for, and otherwise stay as they are, matching under their old key while it is in the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from baken.casework import pseudonyms
from baken.casework.models import Person

_ATTRS = ("identity_pseudonym", "phone_pseudonym", "address_pseudonym")
_BATCH = 500


@dataclass
class RepseudonymiseReport:
    #: Persons whose pseudonyms were made anew under the first key from the values they hold.
    recomputed: int = 0
    #: Persons whose pseudonyms were under the first key already (or who have none).
    current: int = 0
    #: Persons without values whose old pseudonyms were moved to the first key through a
    #: person with the same value.
    relinked: int = 0
    #: Persons without values keeping a pseudonym that cannot be made anew (it may be under an
    #: old key: it matches while that key stays in PSEUDONYM_KEY).
    remaining: int = 0
    #: Persons changed by someone else while this ran (run again).
    skipped: int = 0


def _held(person: Person) -> bool:
    return any((person.name, person.date_of_birth, person.phone, person.address))


def _under(person: Person, key: str) -> dict[str, str]:
    return pseudonyms.person_pseudonyms(
        name=person.name or "",
        date_of_birth=person.date_of_birth or "",
        phone=person.phone or "",
        address=person.address or "",
        key=key.encode(),
    )


def _write(person: Person, changes: dict[str, str]) -> bool:
    # Only if the pseudonyms are still those read: a concurrent edit wins. update() sends no
    # model signals, so the audit trail gets one event for the run, not one per person.
    stored = {attr: getattr(person, attr) for attr in _ATTRS}
    return Person.objects.filter(pk=person.pk, **stored).update(**changes) == 1


def persons_repseudonymise(*, dry_run: bool) -> RepseudonymiseReport:
    """Make every person's pseudonyms under the first PSEUDONYM_KEY where that can be done.

    Idempotent. Writes in batches, each in its own transaction, with ``QuerySet.update`` (no
    model signals); the caller records the run in the audit trail.
    """
    report = RepseudonymiseReport()
    first, older = settings.PSEUDONYM_KEYS[0], settings.PSEUDONYM_KEYS[1:]
    # Per field: an old pseudonym -> the same value's pseudonym under the first key.
    translation: dict[str, dict[str, str]] = {attr: {} for attr in _ATTRS}
    current: dict[str, set[str]] = {attr: set() for attr in _ATTRS}
    orphans: list[Person] = []
    persons = Person.objects.order_by("pk").only(
        "pk", "name", "date_of_birth", "phone", "address", *_ATTRS
    )
    last = None
    while True:
        batch = list((persons.filter(pk__gt=last) if last else persons)[:_BATCH])
        if not batch:
            break
        last = batch[-1].pk
        with transaction.atomic():
            for person in batch:
                if not _held(person):
                    if any(getattr(person, attr) for attr in _ATTRS):
                        orphans.append(person)
                    else:
                        report.current += 1
                    continue
                fresh = _under(person, first)
                for attr, value in fresh.items():
                    current[attr].add(value)
                for key in older:
                    for attr, value in _under(person, key).items():
                        if value and fresh[attr]:
                            translation[attr][value] = fresh[attr]
                changes = {a: v for a, v in fresh.items() if getattr(person, a) != v}
                if not changes:
                    report.current += 1
                elif dry_run or _write(person, changes):
                    report.recomputed += 1
                else:
                    report.skipped += 1
    with transaction.atomic():
        for person in orphans:
            changes = {}
            unknown = False
            for attr in _ATTRS:
                value = getattr(person, attr)
                if not value or value in current[attr]:
                    continue
                if value in translation[attr]:
                    changes[attr] = translation[attr][value]
                else:
                    unknown = True
            if unknown:
                report.remaining += 1
            if changes:
                if dry_run or _write(person, changes):
                    report.relinked += 1
                else:
                    report.skipped += 1
            elif not unknown:
                report.current += 1
    return report
