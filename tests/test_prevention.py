"""Prevention activities and their reach, train-the-trainer, feedback forms and project results,
through the pages the educator, the programme manager and a participant use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import serializers
from django.utils import timezone

from baken.directory.models import Municipality, Organisation
from baken.programmes.models import Activity, Feedback, Project, Result, Trainer
from tests.conftest import dutch

pytestmark = pytest.mark.django_db


def activity_data(**changes):
    data = {
        "kind": "training",
        "title": "Signalen van arbeidsuitbuiting voor handhavers",
        "audience": "professionals",
        "themes": ["labour"],
        "municipality": Municipality.objects.get(name="Wierden").pk,
        "held_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "participants": "18",
        "organisation": Organisation.objects.get(name="Kenniscentrum Mensenhandel Twente").pk,
        "trainer": "",
        "project": "",
        "notes": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"participants": "6000"}, "6.000 deelnemers aan één activiteit kan niet kloppen."),
        (
            {"held_on": (timezone.localdate() + timedelta(days=10)).isoformat()},
            "De activiteit heeft nog niet plaatsgevonden",
        ),
        ({"themes": []}, "Dit veld is verplicht."),
        ({"participants": "-4"}, "Zorg ervoor dat deze waarde minstens 0 is."),
    ],
)
def test_implausible_reach_is_refused_with_a_reason_and_nothing_is_lost(persona, changes, message):
    _, educator = persona("educator")
    before = Activity.objects.count()
    response = educator.post("/werk/preventie/nieuw/", activity_data(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Signalen van arbeidsuitbuiting voor handhavers" in page
    assert Activity.objects.count() == before


def test_reach_per_municipality_and_theme_adds_up_the_activities(persona):
    _, educator = persona("educator")
    assert educator.post("/werk/preventie/nieuw/", activity_data()).status_code == 302
    page = educator.get("/werk/preventie/?theme=labour").content.decode()
    labour = [a for a in Activity.objects.all() if "labour" in a.themes]
    total = sum(a.participants for a in labour)
    assert f"{len(labour)} activiteiten, {dutch(total)} mensen bereikt" in page
    wierden = educator.get(
        f"/werk/preventie/?municipality={Municipality.objects.get(name='Wierden').pk}"
    ).content.decode()
    assert "1 activiteit, 18 mensen bereikt" in wierden
    bad = educator.get("/werk/preventie/?year=abc")
    assert bad.status_code == 400 and "Voer een geheel getal in." in bad.content.decode()


def test_a_participant_gives_feedback_without_leaving_a_trace(persona, client):
    _, educator = persona("educator")
    educator.post("/werk/preventie/nieuw/", activity_data())
    activity = Activity.objects.get(title="Signalen van arbeidsuitbuiting voor handhavers")
    link = f"/feedback/{activity.feedback_code}/"
    refused = client.post(link, {"rating": "9", "learned": "Veel"})
    assert refused.status_code == 400
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert "Veel</textarea>" in refused.content.decode()
    client.post(link, {"rating": "4", "learned": "Waar ik op moet letten bij huisbezoeken."})
    feedback = Feedback.objects.get(activity=activity)
    stored = serializers.serialize("json", Feedback.objects.filter(activity=activity))
    assert "127.0.0.1" not in stored and "sessionid" not in stored
    assert feedback.given_on == timezone.localdate()
    page = educator.get(f"/werk/preventie/{activity.pk}/").content.decode()
    assert (
        "1 antwoord, gemiddeld 4.0 van de 5." in page
        or "1 antwoord, gemiddeld 4,0 van de 5." in page
    )
    assert "Waar ik op moet letten bij huisbezoeken." in page
    assert client.get("/feedback/niet-bestaand/").status_code == 404


def test_trainers_show_the_sessions_they_gave_since_their_training(persona):
    _, educator = persona("educator")
    trainer = Trainer.objects.get(name="Mirjam Veldhuis")
    educator.post("/werk/preventie/nieuw/", activity_data(trainer=trainer.pk, participants="20"))
    sessions = trainer.activities.count()
    reached = dutch(sum(trainer.activities.values_list("participants", flat=True)))
    page = educator.get("/werk/preventie/trainers/").content.decode()
    row = page[page.index("Mirjam Veldhuis") :].split("</tr>")[0]
    assert f">{sessions}</td>" in row and f">{reached}</td>" in row
    refused = educator.post("/werk/preventie/trainers/", {"name": "", "organisation": ""})
    assert refused.status_code == 400


def test_project_results_against_plan_appear_on_the_public_page(persona, client):
    _, manager = persona("programme_manager")
    project = Project.objects.get(slug="lesprogramma-doorsturen-doe-je-niet")
    url = f"/werk/projecten/{project.pk}/resultaten/"
    form = {
        "result-TOTAL_FORMS": "2",
        "result-INITIAL_FORMS": "0",
        "result-MIN_NUM_FORMS": "0",
        "result-MAX_NUM_FORMS": "1000",
        "result-0-description": "Gemeenten bereikt",
        "result-0-year": "2031",
        "result-0-planned": "5",
        "result-0-achieved": "",
        "result-1-description": "",
        "result-1-year": "",
        "result-1-planned": "",
        "result-1-achieved": "",
    }
    refused = manager.post(url, form)
    assert refused.status_code == 400
    assert "Het project loopt van 2025 tot 2027." in refused.content.decode()
    assert not Result.objects.exists()
    form["result-0-year"] = "2026"
    form["result-0-achieved"] = "6"
    assert manager.post(url, form).status_code == 302
    page = client.get(f"/projecten/{project.slug}/").content.decode()
    assert "Gemeenten bereikt" in page and "gepland 5" in page and "gehaald 6" in page
    reached = sum(project.activities.values_list("participants", flat=True))
    assert f"{project.activities.count()} activiteiten, {dutch(reached)} mensen" in page

    # Changing the achieved figure and removing a line, through the same form.
    result = Result.objects.get(project=project)
    second = Result.objects.create(
        project=project, description="Ouderavonden", year=2026, planned=3
    )
    edit = {
        "result-TOTAL_FORMS": "2",
        "result-INITIAL_FORMS": "2",
        "result-MIN_NUM_FORMS": "0",
        "result-MAX_NUM_FORMS": "1000",
        "result-0-id": str(result.pk),
        "result-0-description": "Gemeenten bereikt",
        "result-0-year": "2026",
        "result-0-planned": "5",
        "result-0-achieved": "7",
        "result-1-id": str(second.pk),
        "result-1-description": "Ouderavonden",
        "result-1-year": "2026",
        "result-1-planned": "3",
        "result-1-achieved": "",
        "result-1-DELETE": "on",
    }
    assert manager.post(url, edit).status_code == 302
    assert list(Result.objects.filter(project=project).values_list("achieved", flat=True)) == [7]


def test_the_progress_report_of_a_year_shows_results_against_plan_and_reach(persona):
    _, manager = persona("programme_manager")
    project = Project.objects.get(slug="lesprogramma-doorsturen-doe-je-niet")
    year = timezone.localdate().year
    Result.objects.create(project=project, description="Klassen bereikt", year=year, planned=20)
    Result.objects.create(
        project=project, description="Ouderavonden", year=year, planned=4, achieved=5
    )
    page = manager.get(f"/werk/projecten/{project.pk}/rapportage/?year={year}").content.decode()
    assert f"Voortgangsrapportage {year}" in page
    rows = page[page.index('id="report-results"') :].split("</table>")[0]
    assert "Klassen bereikt" in rows and "loopt nog" in rows
    assert "Ouderavonden" in rows and "gehaald" in rows
    this_year = project.activities.filter(held_on__year=year)
    reached = dutch(sum(this_year.values_list("participants", flat=True)))
    assert f"{this_year.count()} activiteiten, {reached} mensen bereikt" in page
    outside = manager.get(f"/werk/projecten/{project.pk}/rapportage/?year=2031")
    assert outside.status_code == 400
    assert "Het project loopt van 2025 tot 2027." in outside.content.decode()


def test_an_educator_keeps_only_their_own_organisations_activities(persona):
    educator_user, educator = persona("educator")
    other = Organisation.objects.exclude(pk=educator_user.organisation_id).order_by("name").first()
    theirs = Activity.objects.create(
        kind="training",
        title="Training elders",
        audience="professionals",
        themes=["labour"],
        held_on=timezone.localdate(),
        participants=10,
        organisation=other,
        feedback_code="elders1",
    )
    Feedback.objects.create(activity=theirs, rating=2, improve="Vertrouwelijke opmerking")
    assert educator.get(f"/werk/preventie/{theirs.pk}/").status_code == 403
    refused = educator.post("/werk/preventie/nieuw/", activity_data(organisation=other.pk))
    assert (
        refused.status_code == 400
        and not Activity.objects.filter(
            organisation=other, title="Signalen van arbeidsuitbuiting voor handhavers"
        ).exists()
    )
    _, manager = persona("programme_manager")
    page = manager.get(f"/werk/preventie/{theirs.pk}/").content.decode()
    assert "Vertrouwelijke opmerking" in page
