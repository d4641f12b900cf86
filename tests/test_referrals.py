"""Referral as a lifecycle: sent → accepted/declined → in care → completed, or withdrawn;
consent or a documented reason; reminders; the referrer always sees the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.models import AuditEvent
from baken.casework.models import Notification, Referral
from baken.casework.services import (
    PersonData,
    ReferralError,
    case_open_from_signal,
    referral_transition,
    signal_create,
)
from baken.directory.models import Service


@pytest.fixture
def case(demo_region):
    signal = signal_create(
        reporter=User.objects.get(username="aandachtsfunctionaris"),
        source="municipality",
        description="Vrouw uit Polen, werkt in een pand zonder vergunning.",
        persons=[PersonData(name="Anna Kowalska", date_of_birth="1999-01-10", sex="female")],
    )
    return case_open_from_signal(
        signal=signal,
        user=User.objects.get(username="coordinator"),
        title="Seksuele uitbuiting pand Enschede",
        lead=User.objects.get(username="aandachtsfunctionaris"),
    )


def shelter() -> Service:
    return Service.objects.get(name="Beschermde opvang voor vrouwen")


def refer(client, case, **extra):
    data = {
        "person": case.signals.get().persons.get().pk,
        "service": shelter().pk,
        "consent": "yes",
        "message": "Kan vandaag komen.",
    }
    data.update(extra)
    return client.post(f"/werk/casussen/{case.pk}/doorverwijzen/", data)


def test_the_shelter_accepts_and_the_referrer_follows_to_completion(
    case, persona, django_capture_on_commit_callbacks
):
    _lead, lead = persona("aandachtsfunctionaris")
    with django_capture_on_commit_callbacks(execute=True):
        response = refer(lead, case)
    referral = Referral.objects.get()
    assert response["Location"] == f"/werk/doorverwijzingen/{referral.pk}/"
    shelter_worker, shelter_client = persona("opvang")  # works at Stichting Schuilplaats
    assert Notification.objects.filter(
        recipient=shelter_worker, url__contains=str(referral.pk)
    ).exists()
    inbox = shelter_client.get("/werk/doorverwijzingen/").content.decode()
    assert case.reference in inbox
    detail = shelter_client.get(f"/werk/doorverwijzingen/{referral.pk}/").content.decode()
    assert "Anna Kowalska" in detail
    assert AuditEvent.objects.filter(actor_id=shelter_worker.pk, purpose="referral").exists()
    # The shelter may not open the case itself, only the referral.
    assert shelter_client.get(f"/werk/casussen/{case.pk}/").status_code == 403

    for status in ("accepted", "in_care", "completed"):
        with django_capture_on_commit_callbacks(execute=True):
            shelter_client.post(f"/werk/doorverwijzingen/{referral.pk}/status/", {"status": status})
        referral.refresh_from_db()
        assert referral.status == status
    assert [e.to_status for e in referral.events.all()] == [
        "sent",
        "accepted",
        "in_care",
        "completed",
    ]
    told = Notification.objects.filter(
        recipient__username="aandachtsfunctionaris", url__contains=str(referral.pk)
    )
    assert told.count() == 3  # accepted, in care, completed
    page = lead.get(f"/werk/doorverwijzingen/{referral.pk}/").content.decode()
    assert 'id="referral-status">Afgerond' in page


def test_declining_needs_a_reason_and_illegal_steps_are_refused(case, persona):
    _lead, lead = persona("aandachtsfunctionaris")
    refer(lead, case)
    referral = Referral.objects.get()
    _worker, shelter_client = persona("opvang")
    shelter_client.post(f"/werk/doorverwijzingen/{referral.pk}/status/", {"status": "declined"})
    referral.refresh_from_db()
    assert referral.status == "sent"
    shelter_client.post(
        f"/werk/doorverwijzingen/{referral.pk}/status/",
        {"status": "declined", "note": "Geen plek vrij"},
    )
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.decline_reason == "Geen plek vrij"
    # A declined referral is closed: nothing may follow it.
    shelter_client.post(f"/werk/doorverwijzingen/{referral.pk}/status/", {"status": "in_care"})
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert "Geen plek vrij" in lead.get(f"/werk/doorverwijzingen/{referral.pk}/").content.decode()


def test_only_the_receiver_answers_and_only_the_case_team_withdraws(case, persona):
    _lead, lead = persona("aandachtsfunctionaris")
    refer(lead, case)
    referral = Referral.objects.get()
    lead.post(f"/werk/doorverwijzingen/{referral.pk}/status/", {"status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == "sent"
    _other, outsider = persona("supervisor")
    assert outsider.get(f"/werk/doorverwijzingen/{referral.pk}/").status_code == 403
    lead.post(f"/werk/doorverwijzingen/{referral.pk}/status/", {"status": "withdrawn"})
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_without_consent_only_with_the_coordinators_permission_and_a_reason(case, persona):
    _lead, lead = persona("aandachtsfunctionaris")
    response = refer(lead, case, consent="no", no_consent_reason="Acuut gevaar")
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert "coördinator" in response.content.decode()
    _c, coordinator = persona("coordinator")
    missing = refer(coordinator, case, consent="no")
    assert missing.status_code == 200 and not Referral.objects.exists()
    refer(
        coordinator, case, consent="no", no_consent_reason="Acuut gevaar, minderjarig kind aanwezig"
    )
    referral = Referral.objects.get()
    assert not referral.consent_given
    assert AuditEvent.objects.filter(
        object_type="casework.Referral", purpose="referral without consent"
    ).exists()


def test_unanswered_referrals_are_reminded_once_per_period(case, persona, settings):
    _lead, lead = persona("aandachtsfunctionaris")
    refer(lead, case)
    Referral.objects.update(
        sent_at=timezone.now() - timedelta(days=settings.REFERRAL_REMINDER_DAYS + 1)
    )
    call_command("referral_reminders")
    reminded = Notification.objects.filter(subject__icontains="herinnering").count()
    assert reminded >= 1
    call_command("referral_reminders")
    assert Notification.objects.filter(subject__icontains="herinnering").count() == reminded


def test_success_rates_per_service(case, persona):
    _lead, lead = persona("aandachtsfunctionaris")
    refer(lead, case)
    refer(lead, case)
    first, second = Referral.objects.order_by("sent_at")
    _worker, shelter_client = persona("opvang")
    shelter_client.post(f"/werk/doorverwijzingen/{first.pk}/status/", {"status": "accepted"})
    shelter_client.post(
        f"/werk/doorverwijzingen/{second.pk}/status/", {"status": "declined", "note": "Vol"}
    )
    _analyst, analyst = persona("analyst")
    rows = analyst.get("/werk/doorverwijzingen/resultaten/").context["rows"]
    row = next(r for r in rows if r["service__name"] == "Beschermde opvang voor vrouwen")
    assert (row["total"], row["accepted"], row["declined"], row["acceptance_rate"]) == (2, 1, 1, 50)


def test_a_referral_answered_from_a_stale_page_is_judged_by_its_state_now(case, persona):
    """Two shelter workers open the same referral; one declines, the other then accepts from
    the page they still had open. The service reads the state under a row lock, so the
    second step is refused and the decline stands."""
    _lead, lead = persona("aandachtsfunctionaris")
    refer(lead, case)
    shelter_worker, shelter_client = persona("opvang")
    stale = Referral.objects.get()
    shelter_client.post(
        f"/werk/doorverwijzingen/{stale.pk}/status/",
        {"status": "declined", "note": "Geen plek vrij"},
    )
    assert stale.status == "sent"  # the other worker's copy still says so
    with pytest.raises(ReferralError, match="afgewezen"):
        referral_transition(referral=stale, user=shelter_worker, to_status="accepted")
    fresh = Referral.objects.get()
    assert fresh.status == "declined"
    assert [e.to_status for e in fresh.events.all()] == ["sent", "declined"]
