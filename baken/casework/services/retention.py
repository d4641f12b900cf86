"""Retention: advice signals deleted and closed cases pseudonymised after their terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from baken.audit.models import AuditAction, AuditEvent
from baken.audit.services import audit_purge
from baken.casework.models import (
    Case,
    CaseStatus,
    Decision,
    Escalation,
    Person,
    Referral,
    Signal,
    SignalStatus,
)

REMOVED = "[verwijderd]"


@dataclass
class PurgeReport:
    signals_deleted: list[str] = field(default_factory=list)
    cases_pseudonymised: list[str] = field(default_factory=list)
    audit_events_deleted: int = 0


def retention_purge(*, dry_run: bool, now=None) -> PurgeReport:
    """Apply the retention periods of docs/privacy.md; with ``dry_run`` only report.

    - signals that ended in advice or no action: deleted ``SIGNAL_RETENTION_DAYS`` after triage
      (with their persons and additions);
    - closed cases: after ``CASE_PSEUDONYMISE_YEARS`` every direct identifier and free text that
      may name someone is removed; the keyed pseudonyms and the counts stay for statistics;
    - audit events: deleted after ``AUDIT_RETENTION_YEARS``; failed logins after
      ``AUDIT_LOGIN_FAILED_RETENTION_DAYS``.
    """

    now = now or timezone.now()
    report = PurgeReport()
    signal_cutoff = now - timedelta(days=settings.SIGNAL_RETENTION_DAYS)
    old_signals = Signal.objects.filter(
        status__in=[SignalStatus.ADVICE, SignalStatus.NO_ACTION],
        triaged_at__lt=signal_cutoff,
        case__isnull=True,
    )
    report.signals_deleted = list(old_signals.values_list("reference", flat=True))
    case_cutoff = now - timedelta(days=365 * settings.CASE_PSEUDONYMISE_YEARS)
    old_cases = Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__lt=case_cutoff, pseudonymised_at__isnull=True
    )
    report.cases_pseudonymised = list(old_cases.values_list("reference", flat=True))
    audit_cutoff = now - timedelta(days=365 * settings.AUDIT_RETENTION_YEARS)
    login_cutoff = now - timedelta(days=settings.AUDIT_LOGIN_FAILED_RETENTION_DAYS)
    report.audit_events_deleted = AuditEvent.objects.filter(
        Q(occurred_at__lt=audit_cutoff)
        | Q(action=AuditAction.LOGIN_FAILED, occurred_at__lt=login_cutoff)
    ).count()
    if dry_run:
        return report
    with transaction.atomic():
        for signal in old_signals:
            signal.delete()  # persons, additions and consultation go with it; audited
        for case in old_cases:
            _pseudonymise_case(case, now)
    if report.audit_events_deleted:
        report.audit_events_deleted = audit_purge(
            cutoff=audit_cutoff, login_failed_cutoff=login_cutoff
        )
    return report


def _pseudonymise_case(case: Case, now) -> None:
    for person in Person.objects.filter(signal__case=case):
        person.name = ""
        person.date_of_birth = ""
        person.phone = ""
        person.address = ""
        person.description = ""
        person.save()
    for signal in case.signals.all():
        signal.description = REMOVED
        signal.place = ""
        signal.save(update_fields=["description", "place"])
        signal.additions.all().delete()
    case.timeline.update(text=REMOVED)
    Referral.objects.filter(case=case).update(message="", no_consent_reason="")
    Escalation.objects.filter(case=case).update(reason=REMOVED, goal=REMOVED)
    Decision.objects.filter(item__escalation__case=case).update(text=REMOVED)
    case.closing_note = ""
    case.pseudonymised_at = now
    case.save(update_fields=["closing_note", "pseudonymised_at"])
