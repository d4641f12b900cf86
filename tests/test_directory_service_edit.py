"""Staff keep a service's phone numbers and opening hours current; other callers (an API, a
command) store the same through ``directory.services.service_save`` with plain values."""

from __future__ import annotations

from datetime import time

import pytest

from baken.directory import services
from baken.directory.models import Municipality, Organisation, Service


@pytest.fixture
def shelter(db, demo_region) -> Service:
    """A demo service with two phone numbers and opening hours on weekdays."""
    service = Service.objects.get(name="Opvang voor mannen")
    service.phones.all().delete()
    service.schedules.all().delete()
    service.phones.create(number="+31534801234", type="voice", description="Kantoor")
    service.phones.create(number="+31612345678", type="text", description="Piket")
    service.schedules.create(byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))
    return service


def edit_form(service: Service, **changes) -> dict:
    """What the edit page posts for ``service`` as stored, with ``changes`` on top."""
    form: dict = {
        "name": service.name,
        "alternate_name": service.alternate_name,
        "description": service.description,
        "status": service.status,
        "exploitation_forms": [t.code for t in service.exploitation_forms],
        "audiences": [t.code for t in service.audiences],
        "languages": list(service.languages.values_list("code", flat=True)),
        "service_areas": [m.pk for m in service.service_areas.all()],
        "capacities-TOTAL_FORMS": "0",
        "capacities-INITIAL_FORMS": "0",
    }
    if service.serves_nationally:
        form["serves_nationally"] = "on"
    for prefix, rows in (("phones", service.phones.all()), ("schedules", service.schedules.all())):
        form[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        form[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            form[f"{prefix}-{i}-id"] = row.pk
            if prefix == "phones":
                form.update(
                    {
                        f"phones-{i}-number": row.number,
                        f"phones-{i}-type": row.type,
                        f"phones-{i}-description": row.description,
                    }
                )
            else:
                form.update(
                    {
                        f"schedules-{i}-days": row.days(),
                        f"schedules-{i}-opens_at": f"{row.opens_at:%H:%M}",
                        f"schedules-{i}-closes_at": f"{row.closes_at:%H:%M}",
                        f"schedules-{i}-description": row.description,
                    }
                )
    return {**form, **changes}


def edit_url(service: Service) -> str:
    return f"/werk/sociale-kaart/diensten/{service.pk}/bewerken/"


def stored(service: Service) -> tuple:
    service = Service.objects.get(pk=service.pk)
    return (
        service.name,
        service.description,
        sorted(service.phones.values_list("number", "type", "description")),
        sorted(service.schedules.values_list("byday", "opens_at", "closes_at")),
        sorted(service.languages.values_list("code", flat=True)),
    )


def test_a_coordinator_changes_a_phone_number_and_the_opening_hours(persona, shelter):
    _user, client = persona("coordinator")
    form = edit_form(
        shelter,
        **{
            "phones-0-number": "053 480 99 99",
            "schedules-0-days": ["MO", "WE", "FR"],
            "schedules-0-opens_at": "08:30",
            "schedules-0-closes_at": "16:00",
        },
    )
    response = client.post(edit_url(shelter), form)
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(shelter.phones.values_list("number", flat=True)) == [
        "+31534809999",
        "+31612345678",
    ]
    assert list(shelter.schedules.values_list("byday", "opens_at", "closes_at")) == [
        ("MO,WE,FR", time(8, 30), time(16))
    ]
    page = client.get(response["Location"]).content.decode()
    assert "08:30–16:00" in page
    assert "Piket" in page


def test_a_coordinator_adds_opening_hours_beside_the_ones_there(persona, shelter):
    _user, client = persona("coordinator")
    form = edit_form(
        shelter,
        **{
            "schedules-TOTAL_FORMS": "2",
            "schedules-1-days": ["SA"],
            "schedules-1-opens_at": "10:00",
            "schedules-1-closes_at": "12:00",
        },
    )
    assert client.post(edit_url(shelter), form).status_code == 302
    assert sorted(shelter.schedules.values_list("byday", flat=True)) == ["MO,TU,WE,TH,FR", "SA"]


def test_a_phone_row_ticked_for_removal_is_removed_and_the_others_stay(persona, shelter):
    _user, client = persona("coordinator")
    before = stored(shelter)
    response = client.post(edit_url(shelter), edit_form(shelter, **{"phones-1-DELETE": "on"}))
    assert response.status_code == 302
    assert list(shelter.phones.values_list("number", "description")) == [
        ("+31534801234", "Kantoor")
    ]
    assert stored(shelter)[3] == before[3]  # the opening hours are untouched


def test_closing_before_opening_is_explained_in_dutch_and_nothing_is_stored(persona, shelter):
    _user, client = persona("coordinator")
    before = stored(shelter)
    form = edit_form(
        shelter,
        **{
            "name": "Opvang voor mannen (nieuw)",
            "phones-1-DELETE": "on",
            "schedules-0-opens_at": "17:00",
            "schedules-0-closes_at": "09:00",
        },
    )
    response = client.post(edit_url(shelter), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "De sluitingstijd moet na de openingstijd liggen." in page
    assert "Opvang voor mannen (nieuw)" in page  # what was typed is kept
    assert stored(shelter) == before


def test_a_number_nobody_can_call_is_explained_and_nothing_is_stored(persona, shelter):
    _user, client = persona("coordinator")
    before = stored(shelter)
    response = client.post(edit_url(shelter), edit_form(shelter, **{"phones-0-number": "bel"}))
    assert response.status_code == 200
    assert "Dit is geen telefoonnummer dat we kunnen bellen." in response.content.decode()
    assert stored(shelter) == before


def test_a_coordinator_adds_a_service_to_an_organisation(persona, demo_region):
    _user, client = persona("coordinator")
    organisation = Organisation.objects.get(name="Stichting Schuilplaats Twente")
    url = f"/werk/sociale-kaart/organisaties/{organisation.pk}/diensten/nieuw/"
    assert "Nieuwe dienst van Stichting Schuilplaats Twente" in client.get(url).content.decode()
    enschede = Municipality.objects.get(cbs_code="GM0153")
    response = client.post(
        url,
        {
            "name": "Inloopspreekuur",
            "description": "Zonder afspraak langskomen.",
            "status": "active",
            "exploitation_forms": ["sexual"],
            "audiences": ["women"],
            "languages": ["nl", "en"],
            "service_areas": [enschede.pk],
            "phones-TOTAL_FORMS": "1",
            "phones-INITIAL_FORMS": "0",
            "phones-0-number": "053 480 12 34",
            "phones-0-type": "voice",
            "schedules-TOTAL_FORMS": "1",
            "schedules-INITIAL_FORMS": "0",
            "schedules-0-days": ["TU"],
            "schedules-0-opens_at": "13:00",
            "schedules-0-closes_at": "15:00",
            "capacities-TOTAL_FORMS": "1",
            "capacities-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    service = organisation.services.get(name="Inloopspreekuur")
    assert response["Location"] == f"/werk/sociale-kaart/diensten/{service.pk}/"
    assert list(service.service_areas.all()) == [enschede]
    assert list(service.phones.values_list("number", flat=True)) == ["+31534801234"]
    assert service.schedules.get().byday == "TU"
    assert "13:00–15:00" in service.schedules.get().describe()
    assert not service.capacities.exists()  # the empty extra row adds nothing


# --- the service itself, as an API or a command calls it ---------------------------------------


def test_the_service_creates_and_updates_a_service_from_plain_values(demo_region):
    organisation = Organisation.objects.get(name="Stichting Schuilplaats Twente")
    enschede = Municipality.objects.get(cbs_code="GM0153")
    values = services.ServiceValues(
        name="Nachtopvang",
        description="Een bed voor de nacht.",
        exploitation_forms=("sexual", "labour"),
        audiences=("women",),
        languages=("nl", "pl"),
        service_area_ids=(enschede.pk,),
    )
    service = services.service_save(
        service=None,
        organisation=organisation,
        values=values,
        phones=[services.PhoneValues(number="053 480 12 34", description="Nachtdienst")],
        schedules=[
            services.ScheduleValues(days=("SA", "SU"), opens_at=time(20), closes_at=time(23))
        ],
        capacities=[services.CapacityValues(unit="bedden", available=2, maximum=6)],
    )
    service = Service.objects.get(pk=service.pk)
    assert service.organisation == organisation
    assert sorted(t.code for t in service.exploitation_forms) == ["labour", "sexual"]
    assert list(service.service_areas.all()) == [enschede]
    (phone,) = service.phones.all()
    assert phone.number == "+31534801234"  # stored as E.164
    assert service.schedules.get().byday == "SA,SU"
    assert str(service.capacities.get()) == "2/6 bedden"

    (capacity,) = service.capacities.all()
    services.service_save(
        service=service,
        values=services.ServiceValues(name="Nachtopvang", description="Bed en ontbijt."),
        phones=[services.PhoneValues(phone_id=phone.pk, delete=True)],
        schedules=[],
        capacities=[
            services.CapacityValues(capacity_id=capacity.pk, unit="bedden", available=0, maximum=6)
        ],
    )
    service = Service.objects.get(pk=service.pk)
    assert service.description == "Bed en ontbijt."
    assert not service.phones.exists()
    assert service.schedules.count() == 1  # a row no line names stays
    assert service.capacities.get().available == 0
    assert not service.languages.exists() and not service.service_areas.exists()


@pytest.mark.parametrize(
    "line",
    [
        {"phones": [services.PhoneValues(number="bel me maar")]},
        {
            "schedules": [
                services.ScheduleValues(days=("MO",), opens_at=time(17), closes_at=time(9))
            ]
        },
        {"schedules": [services.ScheduleValues(days=("XX",))]},
        {"capacities": [services.CapacityValues(unit="bedden", available=9, maximum=6)]},
        {"values": services.ServiceValues(name="X", description="Y", languages=("klingon",))},
        {"values": services.ServiceValues(name="X", description="Y", service_area_ids=(0,))},
    ],
    ids=["phone", "hours", "days", "places", "language", "municipality"],
)
def test_the_service_refuses_what_the_form_would_refuse_and_stores_nothing(shelter, line):
    before = stored(shelter)
    arguments = {
        "service": shelter,
        "values": services.ServiceValues(name="Gewijzigd", description="Gewijzigd"),
        "phones": [services.PhoneValues(phone_id=shelter.phones.first().pk, delete=True)],
        "schedules": [],
        "capacities": [],
    }
    with pytest.raises(ValueError):
        services.service_save(**{**arguments, **line})
    assert stored(shelter) == before


def test_the_service_refuses_a_row_of_another_service(shelter):
    other = Service.objects.exclude(pk=shelter.pk).first()
    foreign = other.phones.create(number="+31534800000")
    before = stored(shelter)
    with pytest.raises(ValueError, match="Not a phone of this service"):
        services.service_save(
            service=shelter,
            values=services.ServiceValues(name="Gewijzigd", description="Gewijzigd"),
            phones=[services.PhoneValues(phone_id=foreign.pk, delete=True)],
            schedules=[],
            capacities=[],
        )
    assert stored(shelter) == before
    assert other.phones.filter(pk=foreign.pk).exists()
