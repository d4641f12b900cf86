"""`baken purge` enforces the retention periods, and `--dry-run` only tells what would go."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.models import AuditEvent
from baken.casework.models import Case, Person, Signal
from baken.casework.services import (
    PersonData,
    case_close,
    case_open_from_signal,
    signal_create,
    signal_triage,
)


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


def make_signal(name: str) -> Signal:
    return signal_create(
        reporter=User.objects.get(username="aandachtsfunctionaris"),
        source="municipality",
        description=f"{name} werkt zonder loon.",
        persons=[PersonData(name=name, date_of_birth="1990-01-01", phone="0612345678")],
    )


def test_old_advice_signals_are_deleted_and_closed_cases_pseudonymised(demo_region, settings):
    coordinator = User.objects.get(username="coordinator")
    old_advice = make_signal("Oud Advies")
    signal_triage(
        signal=old_advice,
        user=coordinator,
        exploitation_forms=[],
        urgency="normal",
        is_crisis=False,
        involves_minor=False,
        outcome="advice",
        advice="Advies gegeven.",
    )
    recent_advice = make_signal("Recent Advies")
    signal_triage(
        signal=recent_advice,
        user=coordinator,
        exploitation_forms=[],
        urgency="normal",
        is_crisis=False,
        involves_minor=False,
        outcome="no_action",
    )
    waiting = make_signal("Wacht Nog")
    case_signal = make_signal("Casus Persoon")
    case = case_open_from_signal(signal=case_signal, user=coordinator, title="Oude casus")
    case_close(case=case, user=coordinator, outcome="safe", note="Klaar.")
    long_ago = timezone.now() - timedelta(days=365 * settings.CASE_PSEUDONYMISE_YEARS + 10)
    Signal.objects.filter(pk=old_advice.pk).update(
        triaged_at=timezone.now() - timedelta(days=settings.SIGNAL_RETENTION_DAYS + 1)
    )
    Case.objects.filter(pk=case.pk).update(closed_at=long_ago)
    AuditEvent.objects.create(
        action="read", object_type="x", occurred_at=timezone.now() - timedelta(days=365 * 8)
    )

    report = purge("--dry-run")
    assert old_advice.reference in report and case.reference in report
    assert recent_advice.reference not in report and waiting.reference not in report
    assert "1 audit event(s) would be deleted" in report
    assert Signal.objects.filter(pk=old_advice.pk).exists()  # a dry run changes nothing

    purge()
    assert not Signal.objects.filter(pk=old_advice.pk).exists()
    assert Signal.objects.filter(pk__in=[recent_advice.pk, waiting.pk, case_signal.pk]).count() == 3
    person = Person.objects.get(signal=case_signal)
    assert (person.name, person.phone, person.date_of_birth) in ((None, None, None), ("", "", ""))
    assert person.identity_pseudonym  # statistics can still count distinct people
    case.refresh_from_db()
    assert case.pseudonymised_at is not None
    assert Signal.objects.get(pk=case_signal.pk).description == "[verwijderd]"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditevent WHERE object_type = 'x'")
        assert cursor.fetchone()[0] == 0
    assert AuditEvent.objects.filter(
        action="delete", object_type="casework.Signal", actor_name="purge"
    ).exists()
    assert "0 signal(s) were deleted" in purge()


def test_failed_logins_leave_the_trail_sooner_than_other_events(demo_region):
    """Security finding 5: a failed login is kept AUDIT_LOGIN_FAILED_RETENTION_DAYS, not 7 years."""
    from io import StringIO

    from django.core.management import call_command

    two_years_ago = timezone.now() - timedelta(days=2 * 365)
    AuditEvent.objects.create(
        action="login_failed", object_type="accounts.User", occurred_at=two_years_ago
    )
    AuditEvent.objects.create(action="read", object_type="y", occurred_at=two_years_ago)
    out = StringIO()
    call_command("purge", stdout=out)
    assert "1 audit event(s) were deleted" in out.getvalue()
    assert not AuditEvent.objects.filter(action="login_failed", occurred_at=two_years_ago).exists()
    assert AuditEvent.objects.filter(object_type="y").exists()
