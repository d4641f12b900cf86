"""Intake and triage of signals: staff form, anonymous report with a receipt code, the queue."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from baken.audit.models import AuditEvent
from baken.casework.models import Notification, Person, Signal
from baken.casework.services import (
    PersonData,
    SignalAlreadyTriaged,
    signal_create,
    signal_triage,
)


def staff_form(**overrides) -> dict:
    data = {
        "source": "municipality",
        "description": "Drie Poolse mannen wonen in de loods achter het bedrijf; paspoorten bij de baas.",
        "municipality": "GM0153",
        "place": "Industrieweg 12",
        "observed_on": "2026-11-20",
        "exploitation_forms": ["labour"],
        "indicators": ["no-own-documents", "lives-at-work"],
        "urgency": "normal",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-0-role": "possible_victim",
        "persons-0-name": "Piotr Nowak",
        "persons-0-date_of_birth": "1994-03-02",
        "persons-0-sex": "male",
        "persons-0-nationality": "pl",
        "persons-0-phone": "06 12 34 56 78",
    }
    data.update(overrides)
    return data


def test_an_aandachtsfunctionaris_reports_a_signal_and_follows_it(persona):
    user, client = persona("aandachtsfunctionaris")
    response = client.post("/werk/meldingen/nieuw/", staff_form())
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert re.fullmatch(r"M-\d{4}-\d{6}", signal.reference)
    assert signal.reported_by == user
    assert signal.municipality.name == "Enschede"
    assert signal.region.code == "twente"
    assert sorted(i.code for i in signal.indicators.all()) == ["lives-at-work", "no-own-documents"]
    person = signal.persons.get()
    assert person.phone == "+31612345678" and person.nationality == "PL"
    page = client.get(response["Location"]).content.decode()
    assert "Nieuw, wacht op triage" in page
    assert "Piotr Nowak" in page
    listing = client.get("/werk/meldingen/").content.decode()
    assert signal.reference in listing


def test_personal_data_is_encrypted_at_rest(persona):
    _user, client = persona("aandachtsfunctionaris")
    client.post("/werk/meldingen/nieuw/", staff_form())
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM casework_person")
        name, phone = cursor.fetchone()
        cursor.execute("SELECT description, place FROM casework_signal")
        description, place = cursor.fetchone()
    for stored in (name, phone, description, place):
        assert stored.startswith("gAAAA")  # a Fernet token
    assert "Piotr" not in name and "Poolse" not in description


def test_reading_a_signal_is_audited_with_its_purpose(persona):
    user, client = persona("aandachtsfunctionaris")
    client.post("/werk/meldingen/nieuw/", staff_form())
    signal = Signal.objects.get()
    client.get(f"/werk/meldingen/{signal.pk}/")
    reads = AuditEvent.objects.filter(action="read", actor_id=user.pk, purpose="signal details")
    assert {e.object_type for e in reads} == {"casework.Signal", "casework.Person"}
    created = AuditEvent.objects.filter(action="create", object_type="casework.Person").get()
    assert "name" in created.fields and "Piotr" not in str(created.fields)


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(persona):
    _user, client = persona("liaison")
    response = client.post(
        "/werk/meldingen/nieuw/",
        staff_form(description="", **{"persons-0-phone": "bel maar", "observed_on": "2099-01-01"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit veld is verplicht" in page
    assert "Dit is geen telefoonnummer" in page
    assert "Deze datum ligt in de toekomst" in page
    assert "Piotr Nowak" in page and "Industrieweg 12" in page
    assert not Signal.objects.exists()


def test_others_cannot_open_a_signal_they_did_not_report(persona):
    _user, reporter = persona("aandachtsfunctionaris")
    reporter.post("/werk/meldingen/nieuw/", staff_form())
    signal = Signal.objects.get()
    for role in ("caseworker", "liaison", "supervisor", "counsellor"):
        _other, client = persona(role)
        assert client.get(f"/werk/meldingen/{signal.pk}/").status_code == 403, role
    for role in ("analyst", "programme_manager", "administrator"):
        _other, client = persona(role)
        assert client.get(f"/werk/meldingen/{signal.pk}/").status_code == 403, role


def test_a_crisis_goes_first_in_the_queue_and_alerts_the_coordinator(
    persona, django_capture_on_commit_callbacks
):
    _user, reporter = persona("liaison")
    reporter.post("/werk/meldingen/nieuw/", staff_form(urgency="normal"))
    with django_capture_on_commit_callbacks(execute=True):
        reporter.post(
            "/werk/meldingen/nieuw/",
            staff_form(
                urgency="crisis",
                description="Meisje van 16 wordt vanavond naar Duitsland gebracht.",
            ),
        )
    crisis = Signal.objects.get(is_crisis=True)
    coordinator, client = persona("coordinator")
    queue = client.get("/werk/meldingen/triage/")
    assert [s.reference for s in queue.context["page"]][0] == crisis.reference
    assert Notification.objects.filter(
        recipient=coordinator, subject__contains=crisis.reference
    ).exists()
    assert any(crisis.reference in m.subject and "Crisis" in m.subject for m in mail.outbox)
    assert all("Duitsland" not in m.body for m in mail.outbox)  # no personal data by e-mail
    detail = client.get(f"/werk/meldingen/{crisis.pk}/").content.decode()
    assert "Crisis: binnen enkele uren handelen." in detail


def test_a_minor_is_flagged_for_the_childrens_rights_route(persona):
    _user, client = persona("aandachtsfunctionaris")
    client.post(
        "/werk/meldingen/nieuw/",
        staff_form(**{"persons-0-age_estimate": "15", "persons-0-date_of_birth": ""}),
    )
    signal = Signal.objects.get()
    assert signal.involves_minor
    page = client.get(f"/werk/meldingen/{signal.pk}/").content.decode()
    assert "kinderrechtenroute" in page.lower()


def test_coordinator_triages_into_advice_and_the_reporter_sees_the_outcome(
    persona, django_capture_on_commit_callbacks
):
    _user, reporter = persona("aandachtsfunctionaris")
    reporter.post("/werk/meldingen/nieuw/", staff_form())
    signal = Signal.objects.get()
    _coordinator, client = persona("coordinator")
    missing_advice = client.post(
        f"/werk/meldingen/{signal.pk}/triage/",
        {"urgency": "normal", "outcome": "advice", "exploitation_forms": ["labour"]},
    )
    assert "Schrijf het advies op" in missing_advice.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/werk/meldingen/{signal.pk}/triage/",
            {
                "urgency": "normal",
                "outcome": "advice",
                "exploitation_forms": ["labour"],
                "advice": "Arbeidsinspectie ingeschakeld; huisvesting gecontroleerd.",
                "outcome_note": "De Arbeidsinspectie gaat langs. Dank voor je melding.",
            },
        )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "advice" and signal.consultation.advice.startswith("Arbeidsinspectie")
    page = reporter.get(f"/werk/meldingen/{signal.pk}/").content.decode()
    assert "Afgehandeld met advies" in page
    assert "De Arbeidsinspectie gaat langs." in page
    assert Notification.objects.filter(recipient__username="aandachtsfunctionaris").exists()


def test_search_before_create_shows_matches_only_as_far_as_the_user_may_see(persona, demo_region):
    from baken.accounts.models import User

    police = User.objects.get(username="liaison")
    earlier = signal_create(
        reporter=police,
        source="police",
        description="Controle",
        persons=[PersonData(name="NOWAK, Piotr", date_of_birth="1994-03-02", phone="+31612345678")],
    )
    _user, reporter = persona("aandachtsfunctionaris")
    reporter.post("/werk/meldingen/nieuw/", staff_form())
    new = Signal.objects.exclude(pk=earlier.pk).get()
    _coordinator, coordinator = persona("coordinator")
    page = coordinator.get(f"/werk/meldingen/{new.pk}/").content.decode()
    assert f"melding {earlier.reference}" in page
    assert "naam en geboortedatum" in page and "telefoonnummer" in page
    assert (
        Person.objects.filter(identity_pseudonym=new.persons.get().identity_pseudonym).count() == 2
    )


def test_a_citizen_reports_anonymously_and_follows_up_with_the_code(demo_region):
    client = Client(REMOTE_ADDR="198.51.100.23")
    form = client.get("/melden/")
    assert "Snel weg" in form.content.decode()
    response = client.post(
        "/melden/",
        {
            "description": "In het huis naast mij slapen veel mannen; een busje haalt ze om 5 uur op.",
            "municipality": "GM0164",
            "about_minor": "unknown",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    code = re.search(r'id="receipt-code">([A-Z2-9-]{14})<', response.content.decode()).group(1)
    signal = Signal.objects.get()
    assert signal.source == "citizen" and signal.reported_by is None
    assert code.replace("-", "") not in signal.receipt_digest  # only a keyed digest is stored
    assert not AuditEvent.objects.filter(origin__contains="198.51.100.23").exists()

    follow = Client().post("/melden/volgen/", {"code": code.lower()})
    assert "We hebben je melding" in follow.content.decode()
    Client().post(
        "/melden/volgen/", {"code": code, "text": "Het busje heeft een Roemeens kenteken."}
    )
    assert signal.additions.get().text == "Het busje heeft een Roemeens kenteken."
    wrong = Client().post("/melden/volgen/", {"code": "AAAA-BBBB-CCCC"})
    assert "We kennen deze code niet" in wrong.content.decode()


def test_an_empty_anonymous_report_is_refused_with_a_message(db):
    response = Client().post("/melden/", {"description": "", "about_minor": "unknown"})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Signal.objects.exists()


def test_the_triage_queue_filters_by_municipality_source_and_reference(persona):
    _u, reporter = persona("liaison")
    reporter.post("/werk/meldingen/nieuw/", staff_form(municipality="GM0153", source="police"))
    reporter.post("/werk/meldingen/nieuw/", staff_form(municipality="GM0141", source="care"))
    almelo = Signal.objects.get(municipality__cbs_code="GM0141")
    _c, coordinator = persona("coordinator")

    def refs(**params):
        return [
            s.reference for s in coordinator.get("/werk/meldingen/triage/", params).context["page"]
        ]

    assert refs(municipality="GM0141") == [almelo.reference]
    assert refs(source="care") == [almelo.reference]
    assert refs(q=almelo.reference[-6:]) == [almelo.reference]
    assert len(refs()) == 2
    assert coordinator.get("/werk/meldingen/triage/", {"municipality": "GM9999"}).status_code == 200


def test_a_minor_signal_points_to_services_for_minors_in_that_municipality(persona):
    _user, client = persona("aandachtsfunctionaris")
    client.post("/werk/meldingen/nieuw/", staff_form(involves_minor="on"))
    signal = Signal.objects.get()
    page = client.get(f"/werk/meldingen/{signal.pk}/").content.decode()
    route = page[page.index('id="childrens-route"') :]
    assert "Hulp bij uitbuiting van jongeren" in route  # youth care, serves Enschede
    assert "Beschermde opvang voor vrouwen" not in route  # adults only


def test_a_signal_triaged_meanwhile_is_not_triaged_again_over_it(persona):
    """The coordinator's second triage (a double click, or a colleague at the same moment) is
    refused inside the transaction; the first decision stays."""
    coordinator, client = persona("coordinator")
    signal = signal_create(
        reporter=coordinator,
        source="municipality",
        description="Twee vrouwen slapen in de salon.",
        persons=[PersonData(name="Ewa Nowak", date_of_birth="1995-05-05")],
    )
    stale = Signal.objects.get(pk=signal.pk)
    signal_triage(
        signal=signal,
        user=coordinator,
        exploitation_forms=["sexual"],
        urgency="normal",
        is_crisis=False,
        involves_minor=False,
        outcome="advice",
        advice="Bel de zedenpolitie.",
    )
    with pytest.raises(SignalAlreadyTriaged):
        signal_triage(
            signal=stale,
            user=coordinator,
            exploitation_forms=[],
            urgency="normal",
            is_crisis=False,
            involves_minor=False,
            outcome="no_action",
        )
    stored = Signal.objects.get(pk=signal.pk)
    assert stored.status == "advice"
    assert stored.consultation.advice == "Bel de zedenpolitie."
    page = client.get(f"/werk/meldingen/{signal.pk}/triage/", follow=True).content.decode()
    assert "Voor deze melding is de triage al gedaan." in page
