"""The casustafel: escalate with an intake, the coordinator sets the agenda, participants see the
case only while the table needs it, decisions and actions, feedback, back to local care."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baken.accounts.models import User
from baken.audit.models import AuditEvent
from baken.casework.models import AgendaItem, CaseTable, Escalation, Notification
from baken.casework.services import PersonData, case_open_from_signal, signal_create


def open_case():
    signal = signal_create(
        reporter=User.objects.get(username="aandachtsfunctionaris"),
        source="municipality",
        description="Jongen van 16 runt drugs voor een netwerk.",
        exploitation_forms=["criminal"],
        persons=[PersonData(name="Daan Mulder", date_of_birth="2010-04-04", age_estimate=16)],
    )
    return case_open_from_signal(
        signal=signal,
        user=User.objects.get(username="coordinator"),
        title="Criminele uitbuiting jongere Almelo",
        lead=User.objects.get(username="caseworker"),
    )


def test_the_police_liaison_sees_the_case_only_through_the_casustafel(
    demo_region, persona, django_capture_on_commit_callbacks
):
    case = open_case()
    _liaison, liaison = persona("liaison")
    _cw, caseworker = persona("caseworker")
    _co, coordinator = persona("coordinator")
    table = CaseTable.objects.get()
    meeting = table.meetings.get()

    # Before: the case is not on any agenda; the police see neither the case nor the person.
    assert liaison.get(f"/werk/casussen/{case.pk}/").status_code == 403
    assert (
        "Daan Mulder"
        not in liaison.get(f"/werk/casustafel/vergaderingen/{meeting.pk}/").content.decode()
    )

    # The lead escalates with a structured intake.
    police = table.participant_organisations.get(organisation_type="police")
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker.post(
            f"/werk/casussen/{case.pk}/opschalen/",
            {
                "table": table.pk,
                "reason": "Crisis, meerdere partners nodig.",
                "goal": "Veiligheid regelen.",
                "partners": [police.pk],
            },
        )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    case.refresh_from_db()
    assert case.status == "case_table"
    assert Notification.objects.filter(
        recipient__username="coordinator", subject__contains=case.reference
    ).exists()

    # The coordinator puts it on the agenda; now the liaison sees the person on the meeting page.
    coordinator.post(
        f"/werk/casustafel/vergaderingen/{meeting.pk}/agenda/", {"escalation": escalation.pk}
    )
    page = liaison.get(f"/werk/casustafel/vergaderingen/{meeting.pk}/").content.decode()
    assert "Daan Mulder" in page and "Veiligheid regelen." in page
    assert AuditEvent.objects.filter(
        actor_name="liaison", action="read", object_type="casework.Person", purpose="casustafel"
    ).exists()
    # …but still not the case file itself.
    assert liaison.get(f"/werk/casussen/{case.pk}/").status_code == 403

    # Decision with an action; the raiser gets feedback.
    item = AgendaItem.objects.get()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    liaison_user = User.objects.get(username="liaison")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            f"/werk/casustafel/agendapunten/{item.pk}/besluit/",
            {
                f"item{item.pk}-text": "Politie start onderzoek; jeugdhulp biedt opvang.",
                f"item{item.pk}-action_description": "Informatief gesprek plannen",
                f"item{item.pk}-action_owner": liaison_user.pk,
                f"item{item.pk}-action_due": due,
                f"item{item.pk}-feedback": "Besproken op de casustafel.",
            },
        )
    assert item.decisions.get().text.startswith("Politie start onderzoek")
    assert item.actions.get().owner == liaison_user
    assert Notification.objects.filter(
        recipient__username="caseworker", subject__contains=case.reference
    ).exists()
    assert case.tasks.filter(owner=liaison_user).exists()

    # After: once the table no longer needs the case, the liaison sees no identity any more.
    AgendaItem.objects.filter(pk=item.pk).update(access_until=timezone.now() - timedelta(minutes=1))
    page = liaison.get(f"/werk/casustafel/vergaderingen/{meeting.pk}/").content.decode()
    assert "Daan Mulder" not in page
    assert item.case.reference in page  # the agenda line itself stays


def put_on_agenda(case, caseworker, coordinator):
    """The lead escalates the case; the coordinator puts it on the next meeting's agenda."""
    table = CaseTable.objects.get()
    meeting = table.meetings.get()
    caseworker.post(
        f"/werk/casussen/{case.pk}/opschalen/", {"table": table.pk, "reason": "R", "goal": "G"}
    )
    coordinator.post(
        f"/werk/casustafel/vergaderingen/{meeting.pk}/agenda/",
        {"escalation": Escalation.objects.get().pk},
    )
    return meeting


def test_de_escalation_returns_the_case_to_local_care(demo_region, persona):
    case = open_case()
    _cw, caseworker = persona("caseworker")
    _co, coordinator = persona("coordinator")
    put_on_agenda(case, caseworker, coordinator)
    item = AgendaItem.objects.get()
    coordinator.post(
        f"/werk/casustafel/agendapunten/{item.pk}/besluit/",
        {f"item{item.pk}-text": "Lokaal oppakken.", f"item{item.pk}-de_escalate": "on"},
    )
    case.refresh_from_db()
    assert case.status == "open"
    assert "Terug naar lokale zorg" in caseworker.get(f"/werk/casussen/{case.pk}/").content.decode()


def test_an_action_without_owner_is_refused_and_nothing_is_recorded(demo_region, persona):
    case = open_case()
    _cw, caseworker = persona("caseworker")
    _co, coordinator = persona("coordinator")
    put_on_agenda(case, caseworker, coordinator)
    item = AgendaItem.objects.get()
    response = coordinator.post(
        f"/werk/casustafel/agendapunten/{item.pk}/besluit/",
        {f"item{item.pk}-text": "X", f"item{item.pk}-action_description": "Bellen"},
        follow=True,
    )
    assert not item.decisions.exists()
    assert any(
        "eigenaar" in str(m).lower() or "verantwoordelijke" in str(m).lower()
        for m in response.context["messages"]
    )


def test_organisations_not_at_the_table_see_nothing(demo_region, persona):
    meeting = CaseTable.objects.get().meetings.get()
    # The GGD does not sit at the demo casustafel; a user there with a participating role is refused.
    ggd_user = User.objects.create_user(
        "ggd",
        password="x" * 14,
        organisation=__import__(
            "baken.directory.models", fromlist=["Organisation"]
        ).Organisation.objects.get(name="GGD Twente"),
    )
    from baken.accounts.services import user_roles_set
    from tests.conftest import verified_client

    user_roles_set(user=ggd_user, roles=["aandachtsfunctionaris"])
    assert (
        verified_client(ggd_user).get(f"/werk/casustafel/vergaderingen/{meeting.pk}/").status_code
        == 403
    )


def test_a_confidential_case_shows_participants_no_names(demo_region, persona):
    case = open_case()
    case.confidentiality = "confidential"
    case.save()
    _cw, caseworker = persona("caseworker")
    _co, coordinator = persona("coordinator")
    meeting = put_on_agenda(case, caseworker, coordinator)
    _l, liaison = persona("liaison")
    page = liaison.get(f"/werk/casustafel/vergaderingen/{meeting.pk}/").content.decode()
    assert "Daan Mulder" not in page and "2010-04-04" not in page
    assert "ongeveer 16 jaar" in page
    assert (
        "Daan Mulder"
        in coordinator.get(f"/werk/casustafel/vergaderingen/{meeting.pk}/").content.decode()
    )
