"""Staff find services on the social map and keep its entries checked."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baken.directory.models import Organisation, Service


def names(response) -> list[str]:
    return [service.name for service in response.context["results"]]


def test_a_shelter_for_a_polish_speaking_woman_in_enschede(persona):
    _user, client = persona("aandachtsfunctionaris")
    response = client.get(
        "/werk/sociale-kaart/",
        {
            "audience": "women",
            "language": "pl",
            "municipality": "GM0153",
            "exploitation_form": "sexual",
        },
    )
    assert response.status_code == 200
    assert names(response) == ["Beschermde opvang voor vrouwen"]
    page = response.content.decode()
    assert "Stichting Schuilplaats Twente" in page
    assert "2 van 8 bedden vrij" in page
    assert 'lang="pl"' in page


def test_each_filter_narrows_the_results(persona):
    _user, client = persona("caseworker")
    everything = names(client.get("/werk/sociale-kaart/", {"q": ""}))
    men = names(client.get("/werk/sociale-kaart/", {"audience": "men"}))
    polish = names(client.get("/werk/sociale-kaart/", {"language": "pl"}))
    assert "Opvang voor mannen" in men and "Beschermde opvang voor vrouwen" not in men
    assert set(polish) >= {"Opvang voor mannen", "Beschermde opvang voor vrouwen"}
    assert "Overweeghuis: kortdurend verblijf" not in polish
    assert len(everything) > len(polish)


def test_national_services_are_found_from_every_municipality(persona):
    _user, client = persona("caseworker")
    found = names(client.get("/werk/sociale-kaart/", {"municipality": "GM0183", "language": "uk"}))
    assert found == ["Melding arbeidsuitbuiting"]


def test_free_text_matches_every_word(persona):
    _user, client = persona("caseworker")
    assert names(client.get("/werk/sociale-kaart/", {"q": "opvang mannen"})) == [
        "Opvang voor mannen"
    ]
    assert names(client.get("/werk/sociale-kaart/", {"q": "opvang ruimtevaart"})) == []


def test_an_htmx_search_returns_only_the_results(persona):
    _user, client = persona("caseworker")
    response = client.get("/werk/sociale-kaart/", {"language": "pl"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Opvang voor mannen" in html
    assert "<html" not in html


def test_a_filter_value_that_does_not_exist_gets_a_message_not_an_error(persona):
    _user, client = persona("caseworker")
    response = client.get("/werk/sociale-kaart/", {"language": "klingon"})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert response.context["form"].errors["language"]
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_confidential_shelter_addresses_are_not_shown(persona):
    _user, client = persona("caseworker")
    shelter = Organisation.objects.get(name="Stichting Schuilplaats Twente")
    page = client.get(f"/werk/sociale-kaart/organisaties/{shelter.pk}/").content.decode()
    assert "adres vertrouwelijk" in page


def test_checking_an_entry_shows_when_and_by_whom(persona):
    user, client = persona("coordinator")
    service = Service.objects.get(name="Opvang voor mannen")
    assert (
        client.post(f"/werk/sociale-kaart/diensten/{service.pk}/gecontroleerd/").status_code == 302
    )
    page = client.get(f"/werk/sociale-kaart/diensten/{service.pk}/").content.decode()
    today = timezone.localdate()
    assert f"Laatst gecontroleerd op {today.day}" in page
    assert user.get_full_name() in page


def test_the_to_check_list_shows_what_nobody_checked_for_a_year(persona):
    _user, client = persona("coordinator")
    stale = Service.objects.get(name="Opvang voor mannen")
    fresh = Service.objects.get(name="Beschermde opvang voor vrouwen")
    Service.objects.filter(pk=stale.pk).update(
        last_verified_at=timezone.now() - timedelta(days=400)
    )
    Service.objects.filter(pk=fresh.pk).update(last_verified_at=timezone.now() - timedelta(days=20))
    due = client.get("/werk/sociale-kaart/te-controleren/").context["services"]
    assert stale in due
    assert fresh not in due


def test_editing_a_service_with_a_bad_phone_number_keeps_everything_typed(persona):
    _user, client = persona("coordinator")
    service = Service.objects.get(name="Opvang voor mannen")
    form = {
        "name": "Opvang voor mannen (nieuw)",
        "description": "Nieuwe omschrijving die niet verloren mag gaan.",
        "status": "active",
        "exploitation_forms": ["labour"],
        "audiences": ["men"],
        "languages": ["nl", "pl"],
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "phones-0-number": "bel me maar",
        "phones-0-type": "voice",
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
        "capacities-TOTAL_FORMS": "0",
        "capacities-INITIAL_FORMS": "0",
    }
    response = client.post(f"/werk/sociale-kaart/diensten/{service.pk}/bewerken/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit is geen telefoonnummer" in page
    assert "Nieuwe omschrijving die niet verloren mag gaan." in page
    service.refresh_from_db()
    assert service.name == "Opvang voor mannen"


def test_editing_a_service_saves_its_classification_phones_and_hours(persona):
    _user, client = persona("coordinator")
    service = Service.objects.get(name="Opvang voor mannen")
    form = {
        "name": "Opvang voor mannen",
        "description": "Opvang en begeleiding.",
        "status": "active",
        "exploitation_forms": ["labour", "criminal"],
        "audiences": ["men", "migrants"],
        "languages": ["nl", "pl", "ro"],
        "service_areas": [],
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "phones-0-number": "053 480 12 34",
        "phones-0-type": "voice",
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "0",
        "schedules-0-days": ["MO", "WE"],
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "17:00",
        "capacities-TOTAL_FORMS": "0",
        "capacities-INITIAL_FORMS": "0",
    }
    response = client.post(f"/werk/sociale-kaart/diensten/{service.pk}/bewerken/", form)
    assert response.status_code == 302, response.context["form"].errors
    service.refresh_from_db()
    assert sorted(service.languages.values_list("code", flat=True)) == ["nl", "pl", "ro"]
    assert "+31534801234" in service.phones.values_list("number", flat=True)
    assert service.schedules.filter(byday="MO,WE", opens_at="09:00").exists()
    assert sorted(t.code for t in service.audiences) == ["men", "migrants"]


def test_a_coordinator_adds_and_renames_an_organisation_and_a_bad_address_keeps_the_form(
    persona,
):
    _user, client = persona("coordinator")
    region = Organisation.objects.filter(region__isnull=False).first().region
    form = {
        "name": "Inloophuis De Brug",
        "alternate_name": "",
        "organisation_type": Organisation.objects.first().organisation_type,
        "description": "Inloop voor dakloze arbeidsmigranten.",
        "email": "info@debrug.example.nl",
        "website": "https://debrug.example.nl",
        "region": region.pk,
        "municipality": "",
        "parent": "",
    }
    created = client.post("/werk/sociale-kaart/organisaties/nieuw/", form)
    organisation = Organisation.objects.get(name="Inloophuis De Brug")
    assert created["Location"] == f"/werk/sociale-kaart/organisaties/{organisation.pk}/"

    edit = f"/werk/sociale-kaart/organisaties/{organisation.pk}/bewerken/"
    refused = client.post(edit, {**form, "name": "De Brug Enschede", "email": "geen-adres"})
    assert refused.status_code == 200
    assert "De Brug Enschede" in refused.content.decode()  # what was typed is kept
    organisation.refresh_from_db()
    assert organisation.name == "Inloophuis De Brug"  # and nothing stored was lost

    client.post(edit, {**form, "name": "De Brug Enschede"})
    organisation.refresh_from_db()
    assert organisation.name == "De Brug Enschede"
    assert organisation.email == "info@debrug.example.nl"
