"""Cases: triage opens one, the team works it (timeline, tasks), the lead closes it, and the
reporter learns the outcome. Need-to-know: team, coordinator, confidentiality."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baken.accounts.models import User
from baken.audit.models import AuditEvent
from baken.casework.models import Case, Signal
from baken.casework.services import PersonData, signal_create


def reported_signal() -> Signal:
    return signal_create(
        reporter=User.objects.get(username="aandachtsfunctionaris"),
        source="municipality",
        description="Vier mannen slapen in de werkplaats van de wasstraat.",
        exploitation_forms=["labour"],
        persons=[PersonData(name="Andrei Popescu", date_of_birth="1990-05-05")],
    )


def triage_into_case(client, signal, lead="") -> Case:
    response = client.post(
        f"/werk/meldingen/{signal.pk}/triage/",
        {
            "urgency": "high",
            "outcome": "case",
            "exploitation_forms": ["labour"],
            "case_title": "Arbeidsuitbuiting wasstraat Enschede",
            "case_lead": lead,
            "outcome_note": "Er is een casus geopend.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(signals=signal)


def test_triage_into_a_case_and_work_it_to_closure(persona, django_capture_on_commit_callbacks):
    signal = reported_signal()
    _coordinator, coordinator = persona("coordinator")
    caseworker, caseworker_client = persona("caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        case = triage_into_case(coordinator, signal, lead=caseworker.pk)
    assert case.reference.startswith("C-")
    assert case.members.get(role="lead").user == caseworker
    page = caseworker_client.get(f"/werk/casussen/{case.pk}/").content.decode()
    assert "Andrei Popescu" in page
    assert AuditEvent.objects.filter(
        actor_id=caseworker.pk, action="read", object_type="casework.Person", purpose="case file"
    ).exists()

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    caseworker_client.post(
        f"/werk/casussen/{case.pk}/notitie/", {"kind": "contact", "text": "Gesprek gehad."}
    )
    caseworker_client.post(
        f"/werk/casussen/{case.pk}/taak/",
        {"title": "Opvang regelen", "owner": caseworker.pk, "due_on": tomorrow},
    )
    task = case.tasks.get()
    assert task.owner == caseworker
    assert "Opvang regelen" in caseworker_client.get("/werk/casussen/").content.decode()
    past = caseworker_client.post(
        f"/werk/casussen/{case.pk}/taak/",
        {"title": "Te laat", "owner": caseworker.pk, "due_on": "2020-01-01"},
    )
    assert past.status_code == 302 and case.tasks.count() == 1
    caseworker_client.post(f"/werk/taken/{task.pk}/klaar/")
    task.refresh_from_db()
    assert task.done_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        caseworker_client.post(
            f"/werk/casussen/{case.pk}/sluiten/",
            {
                "outcome": "in_care",
                "note": "In opvang.",
                "feedback": "De betrokkenen krijgen hulp.",
            },
        )
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "in_care"
    _reporter, reporter = persona("aandachtsfunctionaris")
    page = reporter.get(f"/werk/meldingen/{signal.pk}/").content.decode()
    assert "De betrokkenen krijgen hulp." in page
    assert reporter.get(f"/werk/casussen/{case.pk}/").status_code == 403


def test_who_sees_a_case(persona):
    signal = reported_signal()
    _c, coordinator = persona("coordinator")
    caseworker, _cw = persona("caseworker")
    case = triage_into_case(coordinator, signal, lead=caseworker.pk)
    expectations = {
        "coordinator": 200,  # region's coordinator, internal case
        "caseworker": 200,  # the lead
        "aandachtsfunctionaris": 403,  # reported the signal, not in the team
        "counsellor": 403,
        "supervisor": 403,
        "liaison": 403,  # police see identities only through the casustafel
        "analyst": 403,
        "programme_manager": 403,
        "administrator": 403,
    }
    for role, status in expectations.items():
        _user, client = persona(role)
        assert client.get(f"/werk/casussen/{case.pk}/").status_code == status, role


def test_a_confidential_case_is_for_its_team_only(persona):
    signal = reported_signal()
    _c, coordinator = persona("coordinator")
    caseworker, caseworker_client = persona("caseworker")
    case = triage_into_case(coordinator, signal, lead=caseworker.pk)
    Case.objects.filter(pk=case.pk).update(confidentiality="confidential")
    case.members.filter(user__username="coordinator").delete()
    assert coordinator.get(f"/werk/casussen/{case.pk}/").status_code == 403
    assert caseworker_client.get(f"/werk/casussen/{case.pk}/").status_code == 200


def test_a_case_needs_a_title_and_keeps_the_triage_input(persona):
    signal = reported_signal()
    _c, coordinator = persona("coordinator")
    response = coordinator.post(
        f"/werk/meldingen/{signal.pk}/triage/",
        {
            "urgency": "high",
            "outcome": "case",
            "exploitation_forms": ["labour"],
            "outcome_note": "Bewaard",
        },
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "Bewaard" in response.content.decode()


def test_documents_are_stored_encrypted_and_read_only_by_the_team(persona, settings, tmp_path):
    from baken.casework.models import CaseDocument

    signal = reported_signal()
    _c, coordinator = persona("coordinator")
    caseworker, caseworker_client = persona("caseworker")
    case = triage_into_case(coordinator, signal, lead=caseworker.pk)
    pdf = b"%PDF-1.7\n" + b"Verklaring van Andrei Popescu " * 50
    from django.core.files.uploadedfile import SimpleUploadedFile

    caseworker_client.post(
        f"/werk/casussen/{case.pk}/documenten/",
        {
            "title": "Verklaring",
            "upload": SimpleUploadedFile("verklaring.pdf", pdf, "application/pdf"),
        },
    )
    document = CaseDocument.objects.get()
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert b"Popescu" not in stored and stored.startswith(b"gAAAA")  # Fernet at rest
    assert "Popescu" not in document.file.name and "verklaring" not in document.file.name
    download = caseworker_client.get(f"/werk/casussen/{case.pk}/documenten/{document.pk}/")
    assert download.content == pdf
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(object_type="casework.CaseDocument", action="read").exists()
    _l, liaison = persona("liaison")
    assert liaison.get(f"/werk/casussen/{case.pk}/documenten/{document.pk}/").status_code == 403


def test_a_document_of_an_unknown_kind_or_too_large_is_refused(persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baken.casework.models import CaseDocument

    signal = reported_signal()
    _c, coordinator = persona("coordinator")
    caseworker, client = persona("caseworker")
    case = triage_into_case(coordinator, signal, lead=caseworker.pk)
    script = SimpleUploadedFile("rapport.pdf", b"<script>alert(1)</script>", "application/pdf")
    response = client.post(f"/werk/casussen/{case.pk}/documenten/", {"upload": script}, follow=True)
    assert any("alleen PDF-" in str(m) for m in response.context["messages"])
    big = SimpleUploadedFile(
        "groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf"
    )
    response = client.post(f"/werk/casussen/{case.pk}/documenten/", {"upload": big}, follow=True)
    assert any("10 MB" in str(m) for m in response.context["messages"])
    assert not CaseDocument.objects.exists()


def test_triage_records_the_sector(persona):
    signal = reported_signal()
    _c, coordinator = persona("coordinator")
    coordinator.post(
        f"/werk/meldingen/{signal.pk}/triage/",
        {
            "urgency": "normal",
            "outcome": "no_action",
            "sector": "car_wash",
            "exploitation_forms": ["labour"],
        },
    )
    signal.refresh_from_db()
    assert signal.sector == "car_wash"
    page = coordinator.get(f"/werk/meldingen/{signal.pk}/").content.decode()
    assert "wasstraat" in page.lower() or "car wash" in page.lower()
