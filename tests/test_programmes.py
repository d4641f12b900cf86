"""Projects: the funding rules hold (bad input gets a reason and nothing is stored), and the
public project page says how a project is financed."""

from __future__ import annotations

import pytest

from baken.directory.models import Organisation
from baken.programmes.models import Programme, Project

pytestmark = pytest.mark.django_db


def project_data(**changes):
    owner = Organisation.objects.order_by("name").first()
    data = {
        "programme": Programme.objects.get(name="Weerbare samenleving").pk,
        "name": "Afpakken en uitbuiting",
        "summary": "Criminele winsten afpakken en de slachtoffers in beeld brengen.",
        "owner": owner.pk,
        "partners": [],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "budget": "85000",
        "funding": "other",
        "subsidy_ceiling": "",
        "subsidy_years": "",
        "funding_explanation": "Betaald uit de regionale ondermijningsgelden, niet uit de subsidie.",
        "public": "on",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2025-06-30"}, "Een project kan niet eindigen voordat het begint."),
        ({"funding_explanation": ""}, "Leg uit hoe het project wordt betaald"),
        ({"funding": "subsidy"}, "Geef het subsidieplafond per jaar."),
        ({"budget": "-5"}, "Een begroting kan niet negatief zijn."),
    ],
)
def test_bad_project_input_gets_a_reason_and_nothing_is_stored(persona, changes, message):
    _, manager = persona("programme_manager")
    before = Project.objects.count()
    response = manager.post("/werk/projecten/nieuw/", project_data(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Criminele winsten afpakken" in page  # what was typed stays
    assert Project.objects.count() == before


def test_a_project_financed_differently_shows_its_explanation_on_the_portal(persona, client):
    _, manager = persona("programme_manager")
    response = manager.post("/werk/projecten/nieuw/", project_data())
    assert response.status_code == 302
    project = Project.objects.get(name="Afpakken en uitbuiting")
    page = client.get(f"/projecten/{project.slug}/").content.decode()
    assert "Anders gefinancierd, buiten de subsidie van het programma." in page
    assert "Betaald uit de regionale ondermijningsgelden" in page
    subsidised = client.get("/projecten/lesprogramma-doorsturen-doe-je-niet/").content.decode()
    assert "ten hoogste € 100.000 per jaar gedurende 3 jaar" in subsidised
