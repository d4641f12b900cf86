"""A teacher runs the scenario "Doorsturen doe je niet" on the class screen while two pupils vote
on their phones, without accounts; the class sees where its choices lead, and only totals stay."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from baken.demo.services import demo_load
from baken.programmes.models import ClassSession, LessonState, RoundCount
from tests.browser.test_accessibility import violations
from tests.browser.test_signal_route import log_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_teacher_runs_the_scenario_while_two_pupil_phones_vote(asgi_server, browser):
    demo_load()
    teacher_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    board = teacher_context.new_page()
    log_in(board, asgi_server, "educator")

    # The teacher picks the scenario and starts it for the class.
    board.get_by_role("link", name="Preventie").click()
    board.get_by_role("link", name="Scenariolessen").click()
    row = board.get_by_role("row", name="Doorsturen doe je niet")
    row.get_by_role("link", name="Deze les geven").click()
    board.get_by_label("Klas of groep").fill("2 havo B")
    board.get_by_label("School").fill("Het Twents Lyceum (demo)")
    board.get_by_label("Gemeente").select_option(label="Enschede")
    board.get_by_role("button", name="Les starten").click()
    expect(board.get_by_role("heading", name="Een foto in de groepsapp")).to_be_visible()
    code = "".join(ch for ch in board.locator(".baken-board__code").inner_text() if ch.isdigit())
    assert len(code) == 6
    expect(board.locator("#board-part[data-lesson-connected]")).to_have_count(1)
    assert violations(board) == [], "class screen"

    # Two pupils join on their phones with the code; no account, no name.
    phones = []
    for _ in range(2):
        phone = browser.new_context(locale="nl-NL", **PHONE).new_page()
        phone.goto(f"{asgi_server}/klas/")
        phone.get_by_label("Code op het bord").fill(f"{code[:3]} {code[3:]}")
        phone.get_by_role("button", name="Meedoen").click()
        expect(phone.get_by_role("heading", name="Kijk op het bord")).to_be_visible()
        expect(phone.locator("#pupil-part[data-lesson-connected]")).to_have_count(1)
        phones.append(phone)
    assert violations(phones[0]) == [], "pupil waiting"

    # Round one: the vote opens on the board, and the choices appear on the phones by themselves.
    board.get_by_role("button", name="Laat de klas stemmen").click()
    speak_up = "Ik zeg in de app dat dit niet oké is en verwijder de foto"
    for phone in phones:
        expect(phone.get_by_role("button", name=speak_up)).to_be_visible()
    assert violations(phones[0]) == [], "pupil voting"
    phones[0].get_by_role("button", name=speak_up).click()
    expect(phones[0].get_by_role("heading", name="Je stem telt")).to_be_visible()
    expect(board.locator("#vote-count")).to_have_text("1 stem")
    phones[1].get_by_role("button", name="Ik doe niks en scrol verder").click()
    expect(board.locator("#vote-count")).to_have_text("2 stemmen")

    board.get_by_role("button", name="Stemming sluiten").click()
    result = board.locator("#vote-result")
    expect(result.get_by_role("row", name=speak_up)).to_contain_text("50%")
    expect(result.get_by_role("row", name="Ik doe niks en scrol verder")).to_contain_text("50%")
    for phone in phones:
        expect(phone.get_by_text("Daar zie je wat de klas koos.")).to_be_visible()

    # A tie: the teacher decides with the class.
    expect(board.get_by_text("Het staat gelijk.")).to_be_visible()
    board.get_by_role("button", name=f"Verder met: {speak_up}").click()
    expect(board.get_by_role("heading", name="Een bericht van een onbekende")).to_be_visible()

    # Round two: both pupils choose to get help.
    board.get_by_role("button", name="Laat de klas stemmen").click()
    for phone in phones:
        phone.get_by_role("button", name="Help haar om het aan een volwassene te vertellen").click()
        expect(phone.get_by_role("heading", name="Je stem telt")).to_be_visible()
    expect(board.locator("#vote-count")).to_have_text("2 stemmen")
    board.get_by_role("button", name="Stemming sluiten").click()
    expect(
        board.locator("#vote-result").get_by_role(
            "row", name="Help haar om het aan een volwassene te vertellen"
        )
    ).to_contain_text("100%")
    expect(board.get_by_text("Samen lopen jullie naar de vertrouwenspersoon")).to_be_visible()
    board.get_by_role("button", name="Kijk wat er gebeurt").click()

    # The ending: a survivor's voice, the debrief and the way the class went.
    expect(board.get_by_role("heading", name="Hulp halen")).to_be_visible()
    expect(board.locator(".baken-board__voice")).to_contain_text("Het moeilijkste was")
    expect(board.get_by_role("heading", name="Laten we erover praten")).to_be_visible()
    path = board.locator("#lesson-path")
    expect(path).to_contain_text("Een foto in de groepsapp")
    expect(path).to_contain_text("Een bericht van een onbekende")
    assert violations(board) == [], "ending on the class screen"
    board.get_by_role("button", name="Les afsluiten").click()
    expect(board.get_by_text("2 leerlingen deden mee.")).to_be_visible()

    # Each phone ends with where to find help.
    for phone in phones:
        expect(phone.get_by_role("heading", name="Bedankt voor het meedoen")).to_be_visible()
        expect(phone.get_by_text("Het is nooit jouw schuld.")).to_be_visible()

    # What stays: totals per round, and the number of pupils reached; no running counts.
    session = ClassSession.objects.get()
    assert session.state == LessonState.ENDED
    assert session.participants == 2
    assert [r["counts"] for r in session.rounds] == [[0, 1, 1], [0, 0, 2]]
    assert not RoundCount.objects.exists()
    # The lesson counts as prevention reach: a lesson for young people in Enschede.
    reach = session.activity
    assert (reach.kind, reach.participants, reach.themes) == ("lesson", 2, ["sexual"])
    assert reach.municipality.name == "Enschede"
