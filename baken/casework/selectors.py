"""Casework's reads: queues, lists and the persons of a signal, case or agenda item.

Reads of personal data are audited here (``audit_read``) with the purpose they serve.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baken.accounts.models import Role, User
from baken.audit.services import AuditAction, audit_read, audit_record
from baken.casework.models import (
    AgendaItem,
    Case,
    Escalation,
    EscalationStatus,
    Meeting,
    Person,
    PersonRole,
    Referral,
    ReferralStatus,
    Signal,
    Task,
)
from baken.directory.models import Region


def signals_in_triage_queue(*, user: User) -> QuerySet[Signal]:
    organisation = user.organisation
    if organisation is None or not organisation.region_id:
        return Signal.objects.none()
    return (
        Signal.objects.triage_queue()
        .filter(region_id=organisation.region_id)
        .select_related("municipality", "reporter_organisation")
    )


def signals_reported_by(*, user: User) -> QuerySet[Signal]:
    return Signal.objects.filter(reported_by=user).select_related("municipality")


def signal_persons_for(*, signal: Signal, purpose: str) -> list[Person]:
    """The persons of a signal, their reading recorded in the audit trail."""
    persons = list(signal.persons.all())
    audit_read(persons, purpose=purpose)
    return persons


def victim_sources_by_pseudonym(
    *, year: int, region: Region | None = None
) -> list[tuple[str, str]]:
    """(keyed identity pseudonym, signal source) for every possible victim with a pseudonym in
    the signals received in ``year``: what insight needs to build the overlap of sources for
    multiple systems estimation, without anyone seeing a name. The read is audited as one
    event (aggregate use of pseudonymised data)."""
    persons = Person.objects.filter(
        role=PersonRole.POSSIBLE_VICTIM,
        signal__received_at__year=year,
    ).exclude(identity_pseudonym="")
    if region is not None:
        persons = persons.filter(signal__region=region)
    pairs = list(persons.values_list("identity_pseudonym", "signal__source").distinct())
    audit_record(
        action=AuditAction.READ,
        object_type="casework.Person",
        object_id=f"pseudonyms {year}",
        fields=["identity_pseudonym", "signal.source"],
        purpose="insight: overlap of sources (MSE)",
    )
    return pairs


def cases_for(*, user: User) -> QuerySet[Case]:
    """Cases the user is a member of, and the region's internal cases for its coordinators."""
    criteria = Q(members__user=user)
    if user.has_role(Role.COORDINATOR) and user.organisation and user.organisation.region_id:
        criteria |= Q(region_id=user.organisation.region_id, confidentiality="internal")
    return Case.objects.filter(criteria).distinct()


def tasks_of(*, user: User) -> QuerySet[Task]:
    return Task.objects.filter(owner=user, done_at__isnull=True).select_related("case")


def case_persons_for(*, case: Case, purpose: str) -> list[Person]:
    persons = list(Person.objects.filter(signal__case=case).select_related("signal"))
    audit_read(persons, purpose=purpose)
    return persons


def referrals_received(*, user: User) -> QuerySet[Referral]:
    if user.organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(service__organisation_id=user.organisation_id).select_related(
        "service", "case"
    )


def referrals_sent(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(referred_by=user).select_related("service__organisation", "case")


def referral_results_per_service() -> list[dict]:
    """Per service: referrals, accepted (incl. in care and completed), declined, success rate."""

    accepted = [ReferralStatus.ACCEPTED, ReferralStatus.IN_CARE, ReferralStatus.COMPLETED]
    rows = (
        Referral.objects.values("service__name", "service__organisation__name")
        .annotate(
            total=Count("id"),
            accepted=Count("id", filter=Q(status__in=accepted)),
            declined=Count("id", filter=Q(status=ReferralStatus.DECLINED)),
            completed=Count("id", filter=Q(status=ReferralStatus.COMPLETED)),
            open=Count("id", filter=Q(status=ReferralStatus.SENT)),
        )
        .order_by("service__name")
    )
    results: list[dict[str, Any]] = []
    for row in rows:
        answered = row["accepted"] + row["declined"]
        rate = round(100 * row["accepted"] / answered) if answered else None
        results.append({**row, "acceptance_rate": rate})
    return results


def meetings_for(*, user: User) -> QuerySet[Meeting]:
    criteria = Q(table__participant_organisations=user.organisation_id)
    if user.has_role(Role.COORDINATOR) and user.organisation and user.organisation.region_id:
        criteria |= Q(table__region_id=user.organisation.region_id)
    return Meeting.objects.filter(criteria).select_related("table").distinct()


def escalations_waiting(*, user: User) -> QuerySet[Escalation]:
    if user.organisation is None or user.organisation.region_id is None:
        return Escalation.objects.none()
    return Escalation.objects.filter(
        status=EscalationStatus.REQUESTED, table__region_id=user.organisation.region_id
    ).select_related("case", "table", "requested_by")


def item_persons_for(*, item: AgendaItem, purpose: str = "casustafel") -> list[Person]:
    return case_persons_for(case=item.case, purpose=purpose)


def referrals_overdue(*, user: User) -> QuerySet[Referral]:
    """The region's referrals without an answer for longer than REFERRAL_REMINDER_DAYS."""
    if user.organisation is None:
        return Referral.objects.none()
    cutoff = timezone.now() - timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    return (
        Referral.objects.awaiting_answer_since(cutoff)
        .filter(case__region_id=user.organisation.region_id)
        .select_related("service__organisation", "case")
    )
