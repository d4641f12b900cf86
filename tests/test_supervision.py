"""Licensing: the supervisor keeps the register (bad input gets a clear message and nothing is
lost), the public checks a business without learning who runs it, and the ad monitor splits
licensed from unlicensed advertisers by the register's numbers."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from baken.admonitor.models import Cluster
from baken.admonitor.services import ads_ingest
from baken.casework.models import Signal
from baken.directory.models import Municipality
from baken.supervision.models import Business, HousingAddress, Inspection, Licence

pytestmark = pytest.mark.django_db


def business_data(**changes):
    data = {
        "name": "Club Rood Licht",
        "kind": "club",
        "address": "Stationsstraat 12",
        "postal_code": "7511 AB",
        "municipality": Municipality.objects.get(name="Enschede").pk,
        "website": "",
        "operator_name": "Rood Licht Exploitatie B.V.",
        "operator_kvk": "12345678",
        "phones_text": "053-4876543\n06 12345678",
    }
    return {**data, **changes}


def test_the_supervisor_keeps_the_register_and_bad_input_is_refused_with_a_reason(persona):
    _, supervisor = persona("supervisor")
    refused = supervisor.post("/werk/toezicht/bedrijf/nieuw/", business_data(phones_text="bel ons"))
    assert (
        refused.status_code == 200
        and "„bel ons” is geen telefoonnummer." in refused.content.decode()
    )
    assert Business.objects.count() == 0
    created = supervisor.post("/werk/toezicht/bedrijf/nieuw/", business_data())
    business = Business.objects.get()
    assert created["Location"] == f"/werk/toezicht/bedrijf/{business.pk}/"
    assert business.phones == ["+31534876543", "+31612345678"]

    today = timezone.localdate()
    backwards = supervisor.post(
        f"/werk/toezicht/bedrijf/{business.pk}/",
        {
            "number": "ENS-2026-001",
            "status": "granted",
            "valid_from": today.isoformat(),
            "valid_until": (today - timedelta(days=1)).isoformat(),
            "conditions": "Open tot 02:00.",
        },
    )
    page = backwards.content.decode()
    assert backwards.status_code == 400
    assert "Een vergunning kan niet eindigen vóór (of op) de dag dat ze ingaat." in page
    assert "Open tot 02:00." in page  # what was typed is still there
    assert Licence.objects.count() == 0
    supervisor.post(
        f"/werk/toezicht/bedrijf/{business.pk}/",
        {
            "number": "ENS-2026-001",
            "status": "granted",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
            "conditions": "",
        },
    )
    assert Licence.objects.get().in_force_on(today)
    listing = supervisor.get("/werk/toezicht/").content.decode()
    assert "ENS-2026-001" in listing


def test_the_public_checks_a_business_by_phone_name_or_licence_and_never_sees_the_operator(
    persona, client
):
    _, supervisor = persona("supervisor")
    supervisor.post("/werk/toezicht/bedrijf/nieuw/", business_data())
    business = Business.objects.get()
    today = timezone.localdate()
    Licence.objects.create(
        business=business,
        number="ENS-1",
        status="granted",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=100),
    )
    for query in ("+31 6 1234 5678", "club  rood licht", "ens-1"):
        page = client.get("/vergunningcheck/", {"q": query}).content.decode()
        result = re.search(r'id="check-results">(.*?)</ul>', page, re.S).group(1)
        assert "Club Rood Licht" in result and "vergunning tot en met" in result
        assert "Exploitatie" not in page and "12345678" not in page.replace("+31612345678", "")
    page = client.get("/vergunningcheck/", {"q": "0687654321"}).content.decode()
    assert "Geen bedrijf met vergunning" in page
    short = client.get("/vergunningcheck/", {"q": "ro"}).content.decode()
    assert "ten minste 3 tekens" in short


def _licensed(name: str, kind: str, address: str, phone: str, *, in_force: bool = True):
    today = timezone.localdate()
    business = Business.objects.create(
        name=name,
        kind=kind,
        address=address,
        postal_code="7571 EG",
        municipality=Municipality.objects.get(name="Oldenzaal"),
        phones=[phone],
    )
    Licence.objects.create(
        business=business,
        number=f"OLD-{business.pk}",
        status="granted",
        valid_from=today - timedelta(days=400 if not in_force else 10),
        valid_until=today - timedelta(days=30) if not in_force else today + timedelta(days=300),
    )
    return business


def test_the_public_check_cannot_read_the_register_or_find_where_a_home_worker_lives(
    demo_region, client
):
    """Finding 1 of the assessment: three letters listed the register, with a home worker's
    address and businesses without a licence."""
    _licensed("Thuiswerk Sanne", "home_worker", "Kerkplein 2", "+31687650001")
    _licensed("Club Verlopen", "club", "Havenstraat 9", "+31687650002", in_force=False)
    # A part of a name or an address answers nothing.
    for probe in ("ker", "thuis", "Kerkplein", "7571", "club"):
        page = client.get("/vergunningcheck/", {"q": probe}).content.decode()
        # The answer alone: the form and the language switch repeat the query itself.
        answer = re.search(r'id="check-results">(.*?)</(?:ul|p)>', page, re.S).group(1)
        assert "Sanne" not in answer and "Verlopen" not in answer and "Kerkplein" not in answer
    # The exact name of a home worker says she is licensed, and where she lives stays unsaid.
    page = client.get("/vergunningcheck/", {"q": "thuiswerk sanne"}).content.decode()
    result = re.search(r'id="check-results">(.*?)</ul>', page, re.S).group(1)
    assert "Thuiswerk Sanne" in result and "Oldenzaal" in result
    assert "Kerkplein" not in page and "7571" not in page
    # A business without a licence in force gets the answer an unknown one gets.
    expired = client.get("/vergunningcheck/", {"q": "Club Verlopen"}).content.decode()
    unknown = client.get("/vergunningcheck/", {"q": "Club Bestaat Niet"}).content.decode()
    answers = [
        re.search(r'id="check-results">(.*?)</(?:ul|p)>', page, re.S).group(1)
        for page in (expired, unknown)
    ]
    assert "Club Verlopen" not in answers[0]
    assert answers[0] == answers[1]


def test_the_public_check_is_rate_limited_per_visitor(demo_region, client):
    for n in range(30):
        assert client.get("/vergunningcheck/", {"q": f"Club {n:03d}"}).status_code == 200
    limited = client.get("/vergunningcheck/", {"q": "Thuiswerk Sanne"})
    assert limited.status_code == 429
    assert 'id="check-limited"' in limited.content.decode()
    assert "no-store" in limited["Cache-Control"]
    # Another visitor (another address, another rotating hash) is not held back.
    other = client.get("/vergunningcheck/", {"q": "Club 000"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_the_ad_monitor_splits_licensed_from_unlicensed_by_the_registers_numbers(persona):
    _, supervisor = persona("supervisor")
    ads = [
        {
            "id": "1",
            "text": "Club Rood Licht, dames aanwezig, bel 06-12345678",
            "city": "Enschede",
            "posted_at": timezone.now().isoformat(),
        },
        {
            "id": "2",
            "text": "Nieuw! Nina, bel 06-87654321",
            "city": "Enschede",
            "posted_at": timezone.now().isoformat(),
        },
    ]
    content = "\n".join(json.dumps(a) for a in ads).encode()
    ads_ingest(content=content, file_name="a.jsonl", parser="jsonl")
    assert set(Cluster.objects.values_list("licensed", flat=True)) == {None}

    supervisor.post("/werk/toezicht/bedrijf/nieuw/", business_data())
    business = Business.objects.get()
    today = timezone.localdate()
    Licence.objects.create(
        business=business,
        number="ENS-1",
        status="granted",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=100),
    )
    ads_ingest(content=content, file_name="a.jsonl", parser="jsonl")  # the daily intake
    flags = dict(Cluster.objects.values_list("ads__ad_id", "licensed"))
    assert flags == {"1": True, "2": False}
    _, analyst = persona("analyst")
    page = analyst.get("/werk/advertenties/gemeenten/").content.decode()
    assert "50% van de adverteerders hoort bij een bedrijf met vergunning." in page


def housing_data(**changes):
    data = {
        "address": "Kanaaldijk 40",
        "postal_code": "7602 AA",
        "municipality": Municipality.objects.get(name="Almelo").pk,
        "capacity": "8",
        "registered": "6",
        "registered_on": "",
        "employer": "Flex Uitzend Oost B.V.",
    }
    return {**data, **changes}


def test_an_impossible_capacity_is_refused_and_nothing_is_stored(persona):
    _, supervisor = persona("supervisor")
    for capacity, message in (
        ("0", "Een capaciteit tussen 1 en 500 mensen"),
        ("9000", "Een capaciteit tussen 1 en 500 mensen"),
        ("-2", ""),
    ):
        response = supervisor.post(
            "/werk/toezicht/huisvesting/nieuw/", housing_data(capacity=capacity)
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Kanaaldijk 40" in response.content.decode()
    assert HousingAddress.objects.count() == 0


def test_an_overcrowded_address_is_inspected_and_passed_to_casework(persona):
    _, supervisor = persona("supervisor")
    supervisor.post("/werk/toezicht/huisvesting/nieuw/", housing_data())
    supervisor.post(
        "/werk/toezicht/huisvesting/nieuw/",
        housing_data(address="Dorpsstraat 1", capacity="4", registered="2"),
    )
    address = HousingAddress.objects.get(address="Kanaaldijk 40")
    response = supervisor.post(
        f"/werk/toezicht/huisvesting/{address.pk}/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "planned": "on",
            "people_observed": "19",
            "indicators": ["housing-tied-to-job", "no-own-documents"],
            "findings": "Stapelbedden in de garage; paspoorten bij de huisbaas.",
        },
    )
    inspection = Inspection.objects.get()
    assert response["Location"] == f"/werk/toezicht/inspectie/{inspection.pk}/"
    listing = supervisor.get("/werk/toezicht/huisvesting/").content.decode()
    rows = re.findall(r'<tr class="utrecht-table__row">\s*<th[^>]*><a[^>]*>([^<]+)</a>', listing)
    assert rows[0].startswith("Kanaaldijk 40")
    assert "19 mensen aangetroffen op" in listing and "19 aangetroffen, 6 ingeschreven" in listing

    supervisor.post(f"/werk/toezicht/inspectie/{inspection.pk}/signaal/")
    inspection.refresh_from_db()
    signal = Signal.objects.get()
    assert inspection.signal == signal and signal.source == "inspection"
    assert set(signal.indicators.values_list("code", flat=True)) == {
        "housing-tied-to-job",
        "no-own-documents",
        "overcrowded-housing",
    }
    assert "Capaciteit 8, ingeschreven 6, aangetroffen 19." in signal.description
    assert "paspoorten bij de huisbaas" in signal.description
    supervisor.post(f"/werk/toezicht/inspectie/{inspection.pk}/signaal/")  # a second click
    assert Signal.objects.count() == 1


def jpeg_with_location() -> bytes:
    """A phone photo: a JPEG whose EXIF says where it was taken and with which phone."""
    import io

    from PIL import Image

    image = Image.new("RGB", (640, 480), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (52.0, 13.0, 0.0), 3: "E", 4: (6.0, 53.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def business_visit(persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user, supervisor = persona("supervisor")
    supervisor.post("/werk/toezicht/bedrijf/nieuw/", business_data())
    business = Business.objects.get(name="Club Rood Licht")
    response = supervisor.post(
        f"/werk/toezicht/bedrijf/{business.pk}/inspecties/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "planned": "",
            "indicators": ["no-own-documents"],
            "findings": "Twee vrouwen zonder eigen paspoort; de beheerder hield ze in een la.",
        },
    )
    inspection = Inspection.objects.get(business=business)
    assert response.status_code == 302
    assert inspection.kind == "business" and not inspection.planned
    assert inspection.indicators == ["no-own-documents"]
    return supervisor, inspection, SimpleUploadedFile


def test_a_visit_photo_loses_its_location_is_kept_encrypted_and_every_view_is_audited(
    business_visit, persona
):
    import io

    from PIL import Image

    from baken.audit.models import AuditEvent
    from baken.supervision.models import InspectionPhoto

    supervisor, inspection, upload = business_visit
    original = jpeg_with_location()
    response = supervisor.post(
        f"/werk/toezicht/inspectie/{inspection.pk}/foto/",
        {"caption": "La met paspoorten", "image": upload("IMG_0001.jpg", original, "image/jpeg")},
    )
    assert response.status_code == 302
    photo = InspectionPhoto.objects.get()
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"gAAAA")  # not a JPEG at rest: encrypted (Fernet)
    assert "IMG_0001" not in photo.file.name and "paspoort" not in photo.file.name
    shown = supervisor.get(f"/werk/toezicht/foto/{photo.pk}/")
    assert shown["Content-Type"] == "image/jpeg" and shown["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(shown.content))
    assert image.size == (640, 480)
    assert dict(image.getexif()) == {}  # no GPS position, no phone
    assert AuditEvent.objects.filter(
        object_type="supervision.InspectionPhoto", object_id=str(photo.pk), action="read"
    ).exists()
    assert (
        "La met paspoorten"
        in supervisor.get(f"/werk/toezicht/inspectie/{inspection.pk}/").content.decode()
    )
    # Need to know: the caseworker, who does not supervise, never sees it.
    _, caseworker = persona("caseworker")
    assert caseworker.get(f"/werk/toezicht/foto/{photo.pk}/").status_code == 403


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_lost(business_visit):
    from baken.supervision.models import InspectionPhoto

    supervisor, inspection, upload = business_visit
    response = supervisor.post(
        f"/werk/toezicht/inspectie/{inspection.pk}/foto/",
        {
            "caption": "De achterkamer",
            "image": upload("kamer.jpg", b"#!/bin/sh\necho hi", "image/jpeg"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit bestand is geen foto die we kunnen lezen." in page
    assert 'value="De achterkamer"' in page
    assert not InspectionPhoto.objects.exists()
    assert "Twee vrouwen zonder eigen paspoort" in page  # the visit itself is all there


def test_follow_up_actions_are_kept_until_done_and_show_when_overdue(business_visit):
    from baken.supervision.models import FollowUp

    supervisor, inspection, _ = business_visit
    refused = supervisor.post(
        f"/werk/toezicht/inspectie/{inspection.pk}/vervolg/",
        {
            "action": "Herinspectie",
            "owner": "Toezicht Enschede",
            "due_on": (inspection.visited_on - timedelta(days=1)).isoformat(),
        },
    )
    assert refused.status_code == 400
    assert "Een vervolgactie kan niet vóór het bezoek vallen." in refused.content.decode()
    supervisor.post(
        f"/werk/toezicht/inspectie/{inspection.pk}/vervolg/",
        {"action": "Herinspectie", "owner": "Toezicht Enschede", "due_on": inspection.visited_on},
    )
    follow_up = FollowUp.objects.get()
    FollowUp.objects.filter(pk=follow_up.pk).update(
        due_on=inspection.visited_on - timedelta(days=3)
    )
    open_list = supervisor.get("/werk/toezicht/vervolg/").content.decode()
    assert "Herinspectie" in open_list and "te laat" in open_list
    supervisor.post(f"/werk/toezicht/vervolg/{follow_up.pk}/klaar/")
    assert "Herinspectie" not in supervisor.get("/werk/toezicht/vervolg/").content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_on == timezone.localdate()


def test_opening_a_visit_is_audited_and_its_findings_become_a_signal(business_visit):
    from baken.audit.models import AuditEvent

    supervisor, inspection, _ = business_visit
    supervisor.get(f"/werk/toezicht/inspectie/{inspection.pk}/")
    assert AuditEvent.objects.filter(
        object_type="supervision.Inspection", object_id=str(inspection.pk), action="read"
    ).exists()
    supervisor.post(f"/werk/toezicht/inspectie/{inspection.pk}/signaal/")
    signal = Signal.objects.get()
    assert signal.source == "inspection"
    assert "Twee vrouwen zonder eigen paspoort" in signal.description


def test_registrations_from_a_brp_rni_extract_update_the_register_and_bad_lines_are_named(
    persona,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, supervisor = persona("supervisor")
    almelo = Municipality.objects.get(name="Almelo")
    hut = HousingAddress.objects.create(
        address="Kanaaldijk 12a",
        postal_code="7602 AB",
        capacity=8,
        registered=4,
        municipality=almelo,
    )
    known = HousingAddress.objects.create(
        address="Bornsestraat 7-2",
        postal_code="7601 GH",
        capacity=6,
        registered=5,
        registered_on=timezone.localdate(),
        municipality=almelo,
    )
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    extract = (
        "\ufeffpostcode;huisnummer;huisletter;toevoeging;aantal_ingeschreven;peildatum\n"
        "7602 AB;12;A;;17;2026-10-01\n"
        "7601GH;7;;2;3;2025-01-01\n"
        "7609 ZZ;3;;;2;2026-10-01\n"
        "76O2AB;14;;;2;2026-10-01\n"
        f"7602AB;16;;;2;{tomorrow}\n"
    ).encode()
    response = supervisor.post(
        "/werk/toezicht/huisvesting/inschrijvingen/",
        {"file": SimpleUploadedFile("brp.csv", extract, "text/csv")},
    )
    page = response.content.decode()
    assert response.status_code == 400  # some lines were refused: the page says which
    assert "Regel 5: “76O2AB” is geen postcode." in page
    assert f"Regel 6: De peildatum {tomorrow} ligt in de toekomst." in page
    assert "1 adres bijgewerkt." in page
    assert "1 adres in het bestand staat niet in het huisvestingsregister." in page
    assert "1 telling was ouder dan de bekende en is blijven staan." in page
    hut.refresh_from_db()
    known.refresh_from_db()
    assert (hut.registered, str(hut.registered_on)) == (17, "2026-10-01")
    assert known.registered == 5  # an older extract does not overwrite a newer count
    flagged = supervisor.get("/werk/toezicht/huisvesting/").content.decode()
    assert "17 ingeschreven voor 8 plaatsen" in flagged

    unreadable = supervisor.post(
        "/werk/toezicht/huisvesting/inschrijvingen/",
        {"file": SimpleUploadedFile("brp.csv", b"naam,leeftijd\nJan,40\n", "text/csv")},
    )
    assert "Kolommen ontbreken: postcode, huisnummer, aantal_ingeschreven, peildatum." in (
        unreadable.content.decode()
    )
    hut.refresh_from_db()
    assert hut.registered == 17


def test_a_photo_too_large_to_decode_is_refused_before_it_is_decoded(business_visit):
    import io

    from PIL import Image

    from baken.supervision.models import InspectionPhoto

    supervisor, inspection, upload = business_visit
    huge = io.BytesIO()
    Image.new("1", (9000, 8000)).save(huge, format="PNG")  # 72 megapixels in a small file
    response = supervisor.post(
        f"/werk/toezicht/inspectie/{inspection.pk}/foto/",
        {"caption": "Plattegrond", "image": upload("plan.png", huge.getvalue(), "image/png")},
    )
    assert response.status_code == 400
    assert "Dit bestand is geen foto die we kunnen lezen." in response.content.decode()
    assert not InspectionPhoto.objects.exists()


def test_a_supervisor_of_another_region_sees_nothing_of_this_one(business_visit, persona):
    """Need to know: supervision works per region; another region's supervisor finds neither
    the businesses, nor the addresses, nor the visits and their photos."""
    from baken.accounts.models import User
    from baken.accounts.services import user_roles_set
    from baken.directory.models import Organisation, Region
    from tests.conftest import verified_client

    _, inspection, _ = business_visit
    elsewhere = Region.objects.create(code="IJM", name="IJsselland")
    zwolle = Municipality.objects.create(cbs_code="GM0193", name="Zwolle", region=elsewhere)
    municipality = Organisation.objects.create(
        name="Gemeente Zwolle",
        organisation_type="municipality",
        region=elsewhere,
        municipality=zwolle,
    )
    stranger = User.objects.create_user(username="toezicht-zwolle", organisation=municipality)
    user_roles_set(user=stranger, roles=["supervisor"])
    client = verified_client(stranger)
    business = inspection.business
    assert "Club Rood Licht" not in client.get("/werk/toezicht/").content.decode()
    for url in [
        f"/werk/toezicht/bedrijf/{business.pk}/",
        f"/werk/toezicht/bedrijf/{business.pk}/inspecties/",
        f"/werk/toezicht/inspectie/{inspection.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/werk/toezicht/inspectie/{inspection.pk}/signaal/").status_code == 404
    assert not Signal.objects.exists()


def test_rate_limits_hold_for_a_whole_ipv6_64(demo_region, client):
    """Security finding 12: one home or phone has a /64 and can pick any address in it."""
    for n in range(30):
        client.get(
            "/vergunningcheck/", {"q": f"Club {n:03d}"}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"
        )
    same_home = client.get("/vergunningcheck/", {"q": "Club X"}, REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert same_home.status_code == 429
    neighbour = client.get("/vergunningcheck/", {"q": "Club X"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert neighbour.status_code == 200
