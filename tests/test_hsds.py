"""`baken directory export` / `import` speak Open Referral HSDS 3.0 JSON; bad imports store nothing."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from baken.directory.models import Location, Organisation, Service


def export(tmp_path) -> dict:
    target = tmp_path / "export.json"
    call_command("directory", "export", "--output", str(target))
    return json.loads(target.read_text())


def test_export_is_hsds_shaped_and_hides_confidential_addresses(demo_region, tmp_path):
    data = export(tmp_path)
    assert data["hsds_version"] == "3.0"
    shelter = next(o for o in data["organizations"] if o["name"] == "Stichting Schuilplaats Twente")
    women = next(s for s in shelter["services"] if s["name"] == "Beschermde opvang voor vrouwen")
    assert {"code": "pl", "name": "Polski", "note": "Poolstalige begeleider"} in women["languages"]
    assert {"uri": "urn:cbs:GM0153", "name": "Enschede"} in women["service_areas"]
    assert women["capacities"][0]["unit"] == {"name": "bedden"}
    assert all(loc["addresses"] == [] for loc in shelter["locations"])
    youth = next(o for o in data["organizations"] if o["name"] == "Jeugdhulp Twente")
    assert youth["locations"][0]["addresses"][0]["city"] == "Hengelo"


def test_export_then_import_restores_the_social_map(demo_region, tmp_path):
    from baken.accounts.models import User
    from baken.directory.services import directory_entry_verify

    coordinator = User.objects.get(username="coordinator")
    directory_entry_verify(entry=Service.objects.get(name="Opvang voor mannen"), user=coordinator)
    data = export(tmp_path)
    before = {
        s.pk: (s.name, sorted(s.languages.values_list("code", flat=True)))
        for s in Service.objects.all()
    }
    Service.objects.all().delete()
    call_command("directory", "import", str(tmp_path / "export.json"))
    after = {
        s.pk: (s.name, sorted(s.languages.values_list("code", flat=True)))
        for s in Service.objects.all()
    }
    assert after == before
    assert len(data["organizations"]) == Organisation.objects.count()
    assert Location.objects.get(name="Opvanghuis Enschede").address_is_confidential
    checked = Service.objects.get(name="Opvang voor mannen")
    assert checked.last_verified_by == coordinator
    assert checked.last_verified_at.date() == timezone.localdate()


def test_an_import_with_bad_records_reports_each_and_stores_nothing(demo_region, tmp_path, capsys):
    good_new = {
        "id": "8c0b7f6e-2f4e-4d3f-9d7b-3b1c6d2a9e11",
        "name": "Nieuwe Opvang Oost",
        "attributes": [{"taxonomy_term": {"taxonomy": "baken-organisation-type", "code": "care"}}],
        "services": [],
    }
    bad_language = {
        "id": "0d9b5c1e-7a52-4b8e-a0f3-1c2d3e4f5a6b",
        "name": "Slechte Taal",
        "attributes": [{"taxonomy_term": {"taxonomy": "baken-organisation-type", "code": "ngo"}}],
        "services": [
            {
                "id": "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b",
                "name": "Hulp",
                "description": "Hulp",
                "languages": [{"code": "xx"}],
                "phones": [{"number": "not a number"}],
            }
        ],
    }
    no_name = {"id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "attributes": []}
    unknown_place = {
        "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "name": "Elders",
        "attributes": [
            {"taxonomy_term": {"taxonomy": "baken-organisation-type", "code": "ngo"}},
            {"label": "municipality", "value": "urn:cbs:GM9999"},
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "hsds_version": "3.0",
                "organizations": [good_new, bad_language, no_name, unknown_place],
            }
        )
    )
    count_before = Organisation.objects.count()
    with pytest.raises(CommandError, match="nothing of this import was stored"):
        call_command("directory", "import", str(path))
    err = capsys.readouterr().err
    assert "organizations[1].services[0].languages[0].code" in err
    assert "organizations[1].services[0].phones[0].number" in err
    assert "organizations[2].name" in err
    assert "organizations[3].attributes: unknown municipality 'urn:cbs:GM9999'" in err
    assert Organisation.objects.count() == count_before
    assert not Organisation.objects.filter(name="Nieuwe Opvang Oost").exists()


def test_an_unreadable_file_is_reported_plainly(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"organizations": [')
    with pytest.raises(CommandError, match="not valid JSON: line 1"):
        call_command("directory", "import", str(broken))
