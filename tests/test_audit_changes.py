"""Security finding 5: every read of personal data and every staff change to what a case holds
leaves an event in the audit trail, naming the fields, never their contents."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from baken.audit.models import AuditEvent
from baken.casework.models import AgendaItem, CaseTable, Escalation, Referral
from baken.directory.models import Service
from baken.supervision.models import Business
from tests.test_cases import reported_signal, triage_into_case
from tests.test_supervision import business_data


def events(user, object_type: str, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor_id=user.pk, object_type=object_type, action=action))


def test_staff_changes_to_a_case_are_in_the_trail_without_their_contents(persona):
    coordinator_user, coordinator = persona("coordinator")
    caseworker, client = persona("caseworker")
    case = triage_into_case(coordinator, reported_signal(), lead=caseworker.pk)

    client.post(
        f"/werk/casussen/{case.pk}/notitie/",
        {"kind": "note", "text": "Gesprek gehad met Andrei over zijn paspoort."},
    )
    [note] = events(caseworker, "casework.TimelineEntry", "create")
    assert note.fields == ["text"]

    pdf = b"%PDF-1.7\n" + b"Verklaring " * 20
    client.post(
        f"/werk/casussen/{case.pk}/documenten/",
        {"title": "Verklaring", "upload": SimpleUploadedFile("v.pdf", pdf, "application/pdf")},
    )
    [document] = events(caseworker, "casework.CaseDocument", "create")
    assert set(document.fields) == {"title", "file", "original_name"}

    service = Service.objects.get(name="Beschermde opvang voor vrouwen")
    client.post(
        f"/werk/casussen/{case.pk}/doorverwijzen/",
        {
            "person": case.signals.get().persons.get().pk,
            "service": service.pk,
            "consent": "yes",
            "message": "Kan vandaag komen.",
        },
    )
    referral = Referral.objects.get()
    [sent] = events(caseworker, "casework.Referral", "create")
    assert sent.object_id == str(referral.pk) and "message" in sent.fields
    shelter_worker, shelter = persona("opvang")
    shelter.post(
        f"/werk/doorverwijzingen/{referral.pk}/status/",
        {"status": "declined", "note": "Vol"},
    )
    [answered] = events(shelter_worker, "casework.Referral", "update")
    assert "status" in answered.fields

    table = CaseTable.objects.get()
    client.post(
        f"/werk/casussen/{case.pk}/opschalen/",
        {"table": table.pk, "reason": "Meerdere partners nodig.", "goal": "Veiligheid."},
    )
    [escalated] = events(caseworker, "casework.Escalation", "create")
    assert set(escalated.fields) == {"reason", "goal", "status"}
    meeting = table.meetings.get()
    coordinator.post(
        f"/werk/casustafel/vergaderingen/{meeting.pk}/agenda/",
        {"escalation": Escalation.objects.get().pk},
    )
    item = AgendaItem.objects.get()
    coordinator.post(
        f"/werk/casustafel/agendapunten/{item.pk}/besluit/",
        {f"item{item.pk}-text": "Politie start onderzoek."},
    )
    [decided] = events(coordinator_user, "casework.Decision", "create")
    assert decided.fields == ["text"]

    trail = " ".join(
        f"{event.fields} {event.purpose} {event.object_id}" for event in AuditEvent.objects.all()
    )
    for secret in ("paspoort", "Kan vandaag komen", "Meerdere partners", "Politie start"):
        assert secret not in trail


def test_the_referral_form_records_a_read_of_each_person_it_lists(persona):
    _c, coordinator = persona("coordinator")
    caseworker, client = persona("caseworker")
    case = triage_into_case(coordinator, reported_signal(), lead=caseworker.pk)
    person = case.signals.get().persons.get()
    page = client.get(f"/werk/casussen/{case.pk}/doorverwijzen/")
    assert "Andrei Popescu" in page.content.decode()
    read = AuditEvent.objects.filter(
        actor_id=caseworker.pk,
        action="read",
        object_type="casework.Person",
        purpose="referral form",
    )
    assert [event.object_id for event in read] == [str(person.pk)]


def test_opening_a_business_file_records_a_read(persona):
    supervisor, client = persona("supervisor")
    client.post("/werk/toezicht/bedrijf/nieuw/", business_data())
    business = Business.objects.get()
    assert client.get(f"/werk/toezicht/bedrijf/{business.pk}/").status_code == 200
    [read] = events(supervisor, "supervision.Business", "read")
    assert read.object_id == str(business.pk)
    assert "address" in read.fields and "operator_name" in read.fields
