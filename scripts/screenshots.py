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
        browser.close()


if __name__ == "__main__":
    main()
