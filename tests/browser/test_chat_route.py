"""The chat end to end in Chromium: a visitor writes in Polish, a counsellor answers with a
canned answer, the visitor reloads mid-chat and loses nothing, and the counsellor turns the chat
into a signal (with the consent the visitor gave in the chat) that the coordinator then finds in
the triage queue. Two browser contexts: two people, two cookie jars."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from baken.casework.models import Signal, SignalSource
from baken.demo.services import demo_load
from tests.browser.test_accessibility import violations
from tests.browser.test_signal_route import log_in

pytestmark = pytest.mark.browser


def test_a_polish_visitor_chats_and_the_chat_becomes_a_signal(asgi_server, browser):
    demo_load()
    visitor_context = browser.new_context(locale="pl-PL")
    visitor = visitor_context.new_page()
    counsellor_context = browser.new_context(locale="nl-NL")
    counsellor = counsellor_context.new_page()

    # The visitor starts a chat in Polish, with a nickname; no account, no cookie wall.
    visitor.goto(f"{asgi_server}/chat/")
    assert visitor.locator("html").get_attribute("lang") == "pl"
    expect(visitor.locator("#id_language")).to_have_value("pl")
    visitor.locator("#id_nickname").fill("Ola")
    visitor.locator("#chat-start-form button[type=submit]").click()
    expect(visitor.locator("#chat-status")).to_contain_text("1")  # first in the queue
    visitor.locator("#chat-input").fill("Dzień dobry, potrzebuję pomocy.")
    visitor.locator("#chat-input").press("Enter")

    # The counsellor sees the chat waiting and accepts it.
    log_in(counsellor, asgi_server, "counsellor")
    counsellor.goto(f"{asgi_server}/werk/chat/")
    waiting = counsellor.locator("#queue-list li", has_text="Ola")
    waiting.get_by_role("button", name="Accepteren").click()
    pane = counsellor.locator(".baken-console__pane")
    expect(pane.locator(".baken-chat__log")).to_contain_text("Dzień dobry, potrzebuję pomocy.")
    assert violations(counsellor) == [], "console"

    # A canned answer in the visitor's language, edited nowhere, sent as is.
    pane.get_by_label("Standaardantwoord").select_option(label="Powitanie")
    expect(pane.get_by_label("Bericht aan de bezoeker")).to_have_value(
        "Cześć, dobrze, że do nas piszesz. Jestem doradcą w Baken. "
        "Nie musisz podawać swojego imienia. Co się dzieje?"
    )
    pane.get_by_role("button", name="Versturen").click()
    expect(visitor.locator("#chat-log")).to_contain_text("Jestem doradcą w Baken")
    expect(visitor.locator("#chat-status")).to_contain_text("Yusuf")
    assert violations(visitor) == [], "visitor mid-chat"

    visitor.locator("#chat-input").fill("Szef zabrał mój paszport i nie płaci.")
    visitor.locator("#chat-input").press("Enter")
    expect(pane.locator(".baken-chat__log")).to_contain_text("Szef zabrał mój paszport")

    # The visitor reloads mid-chat: everything is still there, once.
    visitor.reload()
    log = visitor.locator("#chat-log")
    expect(log).to_contain_text("Szef zabrał mój paszport")
    expect(log).to_contain_text("Dzień dobry, potrzebuję pomocy.")
    expect(log).to_contain_text("Jestem doradcą w Baken")
    assert log.locator("li", has_text="Szef zabrał mój paszport").count() == 1
    assert log.locator("li", has_text="Jestem doradcą w Baken").count() == 1
    expect(visitor.locator("#chat-status")).to_contain_text("Yusuf")

    # Consent, asked and given in the chat itself.
    pane.get_by_role("button", name="Toestemming vragen om door te geven").click()
    visitor.locator("[data-consent=yes]").click()
    signal_link = pane.get_by_role("link", name="Omzetten in een melding")
    expect(signal_link).to_be_visible()
    signal_link.click()
    counsellor.get_by_label("Samenvatting voor triage").fill(
        "Poolse werknemer: werkgever houdt paspoort in en betaalt niet."
    )
    counsellor.get_by_label("Arbeidsuitbuiting").check()
    counsellor.get_by_role("button", name="Melding aanmaken").click()
    expect(counsellor.locator(".baken-messages")).to_contain_text("triage")

    signal = Signal.objects.get()
    assert signal.source == SignalSource.CHAT
    assert "Szef zabrał mój paszport" in signal.description

    # The coordinator finds it in the triage queue.
    coordinator_context = browser.new_context(locale="nl-NL")
    coordinator = coordinator_context.new_page()
    log_in(coordinator, asgi_server, "coordinator")
    coordinator.goto(f"{asgi_server}/werk/meldingen/triage/")
    expect(coordinator.locator("main")).to_contain_text(signal.reference)

    for context in (visitor_context, counsellor_context, coordinator_context):
        context.close()
