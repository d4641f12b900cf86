"""Scenario lessons through the paths people use: the editor's forms, the pupils' phones (HTTP,
no account) and the lesson's websocket."""

from __future__ import annotations

import pytest
from django.core import serializers
from django.test import Client

from baken.programmes import story
from baken.programmes.models import ClassSession, LessonState, RoundCount, Scenario, Scene
from baken.programmes.services import lesson_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarding(demo_region):
    return Scenario.objects.get(slug="doorsturen-doe-je-niet")


def scene_post(scene: Scene, choices: list[tuple[str, str]], **changes) -> dict:
    """The scene form as the browser sends it, with four choice rows."""
    data = {
        "title": scene.title,
        "text": scene.text,
        "survivor_voice": scene.survivor_voice,
        "choice-TOTAL_FORMS": "4",
        "choice-INITIAL_FORMS": "0",
        "choice-MIN_NUM_FORMS": "0",
        "choice-MAX_NUM_FORMS": "6",
        **changes,
    }
    for i in range(4):
        label, target = choices[i] if i < len(choices) else ("", "")
        data[f"choice-{i}-label"] = label
        data[f"choice-{i}-leads_to"] = target
        data[f"choice-{i}-consequence"] = ""
    return data


def test_the_shipped_scenarios_can_be_played(demo_region):
    from baken.programmes.services import scenario_problems

    titles = {s.title: scenario_problems(s) for s in Scenario.objects.all()}
    assert titles == {"Doorsturen doe je niet": [], "Makkelijk geld": []}


def test_a_choice_leading_nowhere_is_refused_and_nothing_is_lost(forwarding, persona):
    _, educator = persona("educator")
    scene = forwarding.start
    before = list(scene.choices.values_list("label", "leads_to"))
    typed = "Het is dinsdagavond, en dit is een nieuwe versie van de tekst."
    response = educator.post(
        f"/werk/lessen/scenario/{forwarding.pk}/scene/{scene.pk}/",
        scene_post(scene, [("Ik stuur hem door", "")], text=typed),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Deze keuze leidt nergens heen: kies de scène waar ze naartoe leidt." in page
    assert typed in page and "Ik stuur hem door" in page  # what was typed stays in the form
    scene.refresh_from_db()
    assert scene.text != typed
    assert list(scene.choices.values_list("label", "leads_to")) == before


def test_an_editor_builds_a_scenario_and_it_is_ready_only_when_every_path_ends(
    persona, demo_region
):
    _, educator = persona("educator")
    response = educator.post(
        "/werk/lessen/scenario/nieuw/",
        {
            "title": "Een vriendje online",
            "audience": "Leerlingen van 13 en 14",
            "theme": "sexual",
            "summary": "Over loverboys.",
            "debrief": "Wat is een gezonde relatie?",
            "help_text": "Praat erover met iemand die je vertrouwt.",
        },
    )
    scenario = Scenario.objects.get(title="Een vriendje online")
    assert response.status_code == 302
    first = Scene(scenario=scenario, title="Een berichtje")
    response = educator.post(
        f"/werk/lessen/scenario/{scenario.pk}/scene/nieuw/",
        scene_post(first, [("Ik antwoord", "new")], text="Iemand stuurt je een complimentje."),
    )
    assert response.status_code == 302
    page = educator.get(f"/werk/lessen/scenario/{scenario.pk}/").content.decode()
    # The new scene made for the choice is still empty: the scenario says what to fix.
    assert "Scène “Ik antwoord” biedt geen keuze en beëindigt het verhaal niet" in page
    assert (
        educator.post(
            f"/werk/lessen/scenario/{scenario.pk}/starten/", {"group_name": "2B"}
        ).status_code
        == 400
    )
    assert not ClassSession.objects.filter(scenario=scenario).exists()

    second = scenario.scenes.get(title="Ik antwoord")
    educator.post(
        f"/werk/lessen/scenario/{scenario.pk}/scene/{second.pk}/",
        scene_post(second, [], text="Hij wil steeds meer.", ending="on"),
    )
    page = educator.get(f"/werk/lessen/scenario/{scenario.pk}/").content.decode()
    assert "het scenario is klaar voor een klas" in page
    response = educator.post(f"/werk/lessen/scenario/{scenario.pk}/starten/", {"group_name": "2B"})
    assert response.status_code == 302


def test_a_scene_that_choices_lead_to_cannot_be_deleted(forwarding, persona):
    _, educator = persona("educator")
    target = Scene.objects.get(scenario=forwarding, title="Hulp halen")
    response = educator.post(
        f"/werk/lessen/scenario/{forwarding.pk}/scene/{target.pk}/verwijderen/", follow=True
    )
    assert "2 keuzes leiden naar deze scène" in response.content.decode()
    assert Scene.objects.filter(pk=target.pk).exists()


def test_story_problems_find_loops_without_a_way_out():
    loop = story.Story(
        start="a",
        scenes={
            "a": story.Scene(
                "a", "A", "", choices=(story.Choice("on", "b"), story.Choice("x", "c"))
            ),
            "b": story.Scene("b", "B", "", choices=(story.Choice("back", "a"),)),
            "c": story.Scene("c", "C", "", ending=True),
            "d": story.Scene("d", "D", "", choices=(story.Choice("round", "d"),)),
        },
    )
    assert story.problems(loop) == [story.Problem("unreachable", scene="d")]
    trap = story.Story(
        start="a",
        scenes={
            "a": story.Scene(
                "a", "A", "", choices=(story.Choice("on", "b"), story.Choice("x", "c"))
            ),
            "b": story.Scene("b", "B", "", choices=(story.Choice("stay", "b2"),)),
            "b2": story.Scene("b2", "B2", "", choices=(story.Choice("back", "b"),)),
            "c": story.Scene("c", "C", "", ending=True),
        },
    )
    assert {p.code for p in story.problems(trap)} == {"no_way_out"}
    # Bars on the class screen always add up to 100%.
    assert story.largest_remainder_percentages([1, 1, 1]) == [33, 33, 34]
    assert story.largest_remainder_percentages([2, 1, 0]) == [67, 33, 0]
    assert story.largest_remainder_percentages([0, 0]) == [0, 0]


def test_pupils_vote_once_per_round_and_only_totals_are_kept(forwarding, persona):
    teacher, board = persona("educator")
    board.post(f"/werk/lessen/scenario/{forwarding.pk}/starten/", {"group_name": "2 havo B"})
    session = ClassSession.objects.get()
    pupils = [Client(), Client()]
    for pupil in pupils:
        joined = pupil.post("/klas/", {"code": session.code})
        assert joined.status_code == 302 and joined["Location"] == f"/klas/{session.code}/"

    # Before the vote opens a vote does not count.
    early = pupils[0].post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "2"})
    assert "Die stem telde niet mee" in early.content.decode()

    board.post(f"/werk/lessen/{session.pk}/stemmen/")
    page = pupils[0].get(f"/klas/{session.code}/").content.decode()
    assert "Ik zeg in de app dat dit niet oké is" in page
    pupils[0].post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "2"})
    pupils[0].post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "0"})  # second: no
    pupils[1].post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "2"})
    bad = pupils[1].post(f"/klas/{session.code}/stem/", {"round": "zero", "choice": "<b>"})
    assert bad.status_code == 200
    assert "Je stem telt" in bad.content.decode()

    screen = board.get(f"/werk/lessen/{session.pk}/stand/").content.decode()
    assert "2 stemmen" in screen
    board.post(f"/werk/lessen/{session.pk}/sluiten/")
    board.post(f"/werk/lessen/{session.pk}/verder/")
    session.refresh_from_db()
    assert session.rounds == [{"scene": str(forwarding.start_id), "counts": [0, 0, 2], "chosen": 2}]
    assert session.participants == 2
    assert not RoundCount.objects.exists()

    # Nothing about a pupil reaches the database: not their cookie, not their address.
    token = pupils[0].cookies["baken_klas"].value
    stored = serializers.serialize("json", ClassSession.objects.all())
    assert token not in stored and "127.0.0.1" not in stored

    # Another teacher does not get this class screen.
    _, other = persona("programme_manager")
    assert other.get(f"/werk/lessen/{session.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("12ab", "De code heeft zes cijfers. Kijk nog eens op het bord."),
        ("000000", "Er is nu geen les met deze code. Kijk op het bord."),
    ],
)
def test_a_wrong_code_gets_a_clear_message(forwarding, client, code, message):
    response = client.post("/klas/", {"code": code})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_guessing_codes_is_slowed_down(forwarding, client):
    for n in range(31):
        response = client.post("/klas/", {"code": f"{n:06d}"})
    assert "Te veel verkeerde codes" in response.content.decode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_lesson_socket_tells_phones_that_the_lesson_changed(transactional_db):
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from baken.accounts.models import User
    from baken.asgi import application
    from baken.demo.services import demo_load
    from baken.programmes import services

    origin = [(b"origin", b"http://localhost"), (b"host", b"localhost")]

    def start():
        demo_load()
        scenario = Scenario.objects.get(slug="makkelijk-geld")
        return lesson_start(
            scenario=scenario, teacher=User.objects.get(username="educator"), group_name="2B"
        )

    session = await sync_to_async(start)()
    unknown = WebsocketCommunicator(application, "/ws/klas/999999/", headers=origin)
    connected, _ = await unknown.connect()
    # Accepted, then closed with the reason, so the page knows not to try again.
    assert connected
    assert await unknown.receive_output() == {"type": "websocket.close", "code": 4404}

    phone = WebsocketCommunicator(application, f"/ws/klas/{session.code}/", headers=origin)
    assert (await phone.connect())[0]
    await phone.send_to(text_data="{not json")
    assert (await phone.receive_json_from())["type"] == "error"
    await phone.send_to(text_data='{"type": "vote", "choice": 1}')  # votes go through HTTP
    assert (await phone.receive_json_from())["type"] == "error"
    await phone.send_json_to({"type": "ping"})
    assert await phone.receive_json_from() == {"type": "pong"}

    await sync_to_async(services.lesson_open_vote)(session)
    assert await phone.receive_json_from(timeout=3) == {"type": "changed", "change": "state"}
    await phone.disconnect()

    # A listener that keeps sending what nobody asked for is cut off.
    noisy = WebsocketCommunicator(application, f"/ws/klas/{session.code}/", headers=origin)
    assert (await noisy.connect())[0]
    for _ in range(31):
        await noisy.send_to(text_data="x" * 300)
        reply = await noisy.receive_output(timeout=3)
    assert reply == {"type": "websocket.close", "code": 4429}
    assert await sync_to_async(lambda: ClassSession.objects.get().state)() == LessonState.VOTING


def test_a_lesson_left_open_is_ended_by_the_daily_purge_and_keeps_its_totals(forwarding, persona):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    teacher, _ = persona("educator")
    session = lesson_start(scenario=forwarding, teacher=teacher, group_name="3B")
    ClassSession.objects.filter(pk=session.pk).update(
        started_at=timezone.now() - timedelta(hours=13), participants=21
    )
    fresh = lesson_start(scenario=forwarding, teacher=teacher, group_name="3C")
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "1 scenario lesson(s) left open were ended" in out.getvalue()
    session.refresh_from_db()
    fresh.refresh_from_db()
    assert session.state == LessonState.ENDED and session.participants == 21
    assert fresh.state == LessonState.READING
    assert session.activity.participants == 21  # the reach is recorded


def test_a_script_without_the_lesson_page_cannot_stuff_the_ballot(forwarding, persona, monkeypatch):
    from baken.programmes import services

    monkeypatch.setattr(services, "MAX_PHONES_PER_LESSON", 2)
    _, board = persona("educator")
    board.post(f"/werk/lessen/scenario/{forwarding.pk}/starten/", {"group_name": "2B"})
    session = ClassSession.objects.get()
    board.post(f"/werk/lessen/{session.pk}/stemmen/")
    # Posting votes without ever opening the lesson (a fresh token each time) counts nothing.
    for _ in range(5):
        Client().post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "1"})
    # Opening the lesson's page is not joining: a link preview takes no place.
    Client().get(f"/klas/{session.code}/")
    phones = [Client() for _ in range(3)]
    pages = [
        phone.post("/klas/", {"code": session.code}, follow=True).content.decode()
        for phone in phones
    ]
    assert "Deze les is vol" in pages[2] and "Deze les is vol" not in pages[0]
    assert "2 telefoons doen mee" in board.get(f"/werk/lessen/{session.pk}/stand/").content.decode()
    for phone in phones:
        phone.post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "1"})
    assert "2 stemmen" in board.get(f"/werk/lessen/{session.pk}/stand/").content.decode()


@pytest.mark.parametrize(
    ("language", "path", "text"),
    [
        ("uk", "/klas/", "Приєднуйся до уроку"),
        ("ar", "/vergunningcheck/", "هل هذه المنشأة مرخّصة؟"),
        ("pl", "/projecten/lesprogramma-doorsturen-doe-je-niet/", "Jak projekt jest finansowany"),
    ],
)
def test_the_new_public_pages_speak_the_visitors_language(demo_region, language, path, text):
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(path).content.decode()
    assert f'lang="{language}"' in page
    assert text in page


def test_steps_taken_twice_or_votes_arriving_late_change_nothing(forwarding, persona):
    from baken.programmes import services

    teacher, board = persona("educator")
    board.post(f"/werk/lessen/scenario/{forwarding.pk}/starten/", {"group_name": "2B"})
    session = ClassSession.objects.get()
    pupils = [Client(), Client(), Client()]
    for pupil in pupils:
        pupil.post("/klas/", {"code": session.code})
    board.post(f"/werk/lessen/{session.pk}/stemmen/")
    again = board.post(f"/werk/lessen/{session.pk}/stemmen/", follow=True)  # a double click
    assert again.status_code == 200 and "Er valt nu niets te stemmen." in again.content.decode()
    pupils[0].post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "0"})
    pupils[1].post(f"/klas/{session.code}/stem/", {"round": "0", "choice": "2"})
    board.post(f"/werk/lessen/{session.pk}/sluiten/")
    # A vote on its way when the vote closed (it read the lesson while it was open): it neither
    # counts nor changes the tie the class sees.
    stale = ClassSession.objects.get(pk=session.pk)
    stale.state = LessonState.VOTING
    assert not services.lesson_vote(
        session=stale, round_number=0, choice=2, voter=pupils[2].cookies["baken_klas"].value
    )
    screen = board.get(f"/werk/lessen/{session.pk}/stand/").content.decode()
    assert "Het staat gelijk." in screen
    # The tie decided twice (a double click): the second click is refused, nothing is overwritten.
    board.post(f"/werk/lessen/{session.pk}/verder/", {"choice": "2"})
    second = board.post(f"/werk/lessen/{session.pk}/verder/", {"choice": "0"}, follow=True)
    assert "Sluit eerst de stemming." in second.content.decode()
    session.refresh_from_db()
    assert session.rounds == [{"scene": str(forwarding.start_id), "counts": [1, 0, 1], "chosen": 2}]
    # Odd input in the form is refused, not a crash.
    assert board.post(f"/werk/lessen/{session.pk}/verder/", {"choice": "²"}).status_code == 302
    # Ending during a vote still counts the pupils who voted.
    board.post(f"/werk/lessen/{session.pk}/stemmen/")
    for pupil in pupils:
        pupil.post(f"/klas/{session.code}/stem/", {"round": "1", "choice": "1"})
    board.post(f"/werk/lessen/{session.pk}/einde/")
    session.refresh_from_db()
    assert session.state == LessonState.ENDED and session.participants == 3
    assert session.activity.participants == 3
