"""Take the screenshots in docs/ from a running demo server (`make run`).

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "img"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100}, locale="nl-NL")
        page.goto(f"{BASE}/werk/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("aandachtsfunctionaris")
        page.get_by_label("Wachtwoord").fill("baken-demo-2026")
        page.get_by_role("button", name="Volgende").click()
        page.goto(
            f"{BASE}/werk/sociale-kaart/?exploitation_form=sexual&audience=women"
            "&language=pl&municipality=GM0153&q="
        )
        page.screenshot(path=str(DOCS / "directory-search.png"), full_page=True)
        page.goto(f"{BASE}/")
        page.screenshot(path=str(DOCS / "public-home.png"))
        page.goto(f"{BASE}/melden/")
        page.screenshot(path=str(DOCS / "anonymous-report.png"), full_page=True)
        page.context.clear_cookies()
        page.goto(f"{BASE}/werk/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("coordinator")
        page.get_by_label("Wachtwoord").fill("baken-demo-2026")
        page.get_by_role("button", name="Volgende").click()
        page.goto(f"{BASE}/werk/meldingen/triage/")
        page.screenshot(path=str(DOCS / "triage-queue.png"), full_page=True)
        page.locator("#triage-queue a").first.click()
        page.screenshot(path=str(DOCS / "signal-crisis.png"), full_page=True)
        page.goto(f"{BASE}/werk/casussen/?status=case_table")
        page.locator("#cases a").first.click()
        page.screenshot(path=str(DOCS / "case.png"), full_page=True)
        page.goto(f"{BASE}/werk/casustafel/")
        page.locator("#meetings a").first.click()
        page.screenshot(path=str(DOCS / "casustafel.png"), full_page=True)
        chat_and_portal(browser)
        browser.close()


def chat_and_portal(browser) -> None:
    """The chat from both sides (a Polish visitor, the counsellor's console), and the portal in
    Arabic."""
    visitor = browser.new_page(viewport={"width": 900, "height": 900}, locale="pl-PL")
    visitor.goto(f"{BASE}/chat/")
    visitor.locator("#id_nickname").fill("Ola")
    visitor.locator("#chat-start-form button[type=submit]").click()
    visitor.locator("#chat-input").fill("Dzień dobry. Szef zabrał mój paszport i nie płaci.")
    visitor.locator("#chat-input").press("Enter")
    console = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
    console.goto(f"{BASE}/werk/inloggen/")
    console.get_by_label("Gebruikersnaam").fill("counsellor")
    console.get_by_label("Wachtwoord").fill("baken-demo-2026")
    console.get_by_role("button", name="Volgende").click()
    console.goto(f"{BASE}/werk/chat/")
    console.locator("#queue-list li", has_text="Ola").get_by_role("button").click()
    pane = console.locator(".baken-console__pane").first
    pane.get_by_label("Standaardantwoord").select_option(label="Powitanie")
    pane.get_by_role("button", name="Versturen").click()
    visitor.locator("#chat-log li", has_text="Baken").wait_for()
    visitor.screenshot(path=str(DOCS / "chat.png"), full_page=True)
    console.screenshot(path=str(DOCS / "chat-console.png"), full_page=True)
    arabic = browser.new_page(viewport={"width": 1100, "height": 1000}, locale="ar")
    arabic.goto(f"{BASE}/informatie/get-help/")
    arabic.screenshot(path=str(DOCS / "portal-ar.png"))
    arabic.goto(f"{BASE}/zelftest/")
    arabic.screenshot(path=str(DOCS / "selfcheck-ar.png"))


if __name__ == "__main__":
    main()
