"""Exports: the coordinator's signal list (CSV/XLSX) and the anonymous national registration."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from baken.accounts.models import User
from baken.audit.models import AuditEvent
from baken.casework.services import PersonData, signal_create


def make_signals():
    reporter = User.objects.get(username="aandachtsfunctionaris")
    from baken.directory.models import Municipality

    signal_create(
        reporter=reporter,
        source="municipality",
        description="Vrouw in massagesalon.",
        municipality=Municipality.objects.get(cbs_code="GM0153"),
        exploitation_forms=["sexual"],
        indicator_codes=["no-own-money", "recruited-online", "lives-at-work"],
        persons=[
            PersonData(
                name="Maria Ionescu", date_of_birth="2009-02-01", sex="female", nationality="RO"
            ),
            PersonData(role="suspect", name="Verdachte Een"),
        ],
    )


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_coordinator_downloads_the_regions_signals(persona):
    make_signals()
    _c, client = persona("coordinator")
    rows = read_csv(client.get("/werk/export/meldingen.csv"))
    assert rows[0][0] == "reference" and len(rows) == 2
    assert rows[1][3] == "Enschede" and rows[1][5] == "sexual"
    assert "Maria" not in str(rows) and "Ionescu" not in str(rows)
    workbook = load_workbook(io.BytesIO(client.get("/werk/export/meldingen.xlsx").content))
    assert workbook.active.max_row == 2
    assert AuditEvent.objects.filter(action="export", purpose="export meldingen").exists()


def test_the_national_registration_export_has_no_direct_identifiers(persona):
    make_signals()
    _c, client = persona("coordinator")
    rows = read_csv(client.get("/werk/export/landelijke-registratie.csv"))
    header, victim = rows[0], rows[1:]
    assert len(victim) == 1  # the suspect is not a registration
    record = dict(zip(header, victim[0], strict=True))
    assert record["sex"] == "female" and record["nationality"] == "RO"
    assert record["age_group"] == "12-17" and record["minor"] == "1"
    assert record["means_of_control"] == "no-own-money"
    assert record["recruitment"] == "recruited-online"
    assert len(record["person_token"]) == 20
    flat = str(rows)
    for identifier in ("Maria", "Ionescu", "2009-02-01"):
        assert identifier not in flat


def test_only_the_coordinator_exports(persona):
    for role in ("analyst", "caseworker", "aandachtsfunctionaris", "liaison"):
        _u, client = persona(role)
        assert client.get("/werk/export/meldingen.csv").status_code == 403, role
    _c, coordinator = persona("coordinator")
    assert coordinator.get("/werk/export/anders.csv").status_code == 404
