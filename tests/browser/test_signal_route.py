"""The signal route in a real browser: an aandachtsfunctionaris reports, the coordinator triages,
and the aandachtsfunctionaris sees what became of the signal."""

from __future__ import annotations

import re

import pytest

from baken.accounts.models import User
from baken.accounts.services import recovery_codes_create
from baken.demo.data import DEMO_PASSWORD
from baken.demo.services import demo_load

pytestmark = pytest.mark.browser


def log_in(page, base_url: str, username: str) -> None:
    """Password, then a single-use recovery code: a TOTP code cannot be used twice within its
    30-second window, and this route logs the same people in more than once."""
    user = User.objects.get(username=username)
    code = recovery_codes_create(user=user)[0]
    page.goto(f"{base_url}/werk/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Uitloggen").wait_for()


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()


def test_report_triage_and_feedback(transactional_db, live_server, page):
    demo_load()
    log_in(page, live_server.url, "aandachtsfunctionaris")
    page.get_by_role("link", name="Mijn meldingen").first.click()
    page.get_by_role("link", name="Melding doen").first.click()
    page.get_by_label(re.compile("^Waar komt de melding vandaan")).select_option("municipality")
    page.get_by_label(re.compile("^Wat is er gezien")).fill(
        "Bij de wasstraat slapen vier mannen in de werkplaats; ze krijgen geen loon."
    )
    page.get_by_label(re.compile("^Gemeente")).select_option(label="Enschede")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_label("Woont op de werkplek").check()
    page.get_by_role("button", name="Melding registreren").click()
    reference = re.search(r"M-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    log_out(page)

    log_in(page, live_server.url, "coordinator")
    page.get_by_role("link", name="Triagewachtrij").first.click()
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Advies en consult, geen casus").check()
    page.get_by_label(re.compile("^Gegeven advies")).fill(
        "Arbeidsinspectie gebeld; controle volgt."
    )
    page.get_by_label(re.compile("^Terugkoppeling aan de melder")).fill(
        "De Arbeidsinspectie gaat langs. Dank je wel."
    )
    page.get_by_role("button", name="Triage opslaan").click()
    log_out(page)

    log_in(page, live_server.url, "aandachtsfunctionaris")
    page.get_by_role("link", name=re.compile("^Meldingen en berichten|^Berichten")).first.click()
    page.get_by_role("link", name=re.compile(reference)).first.click()
    assert page.locator("#signal-status").inner_text() == "Afgehandeld met advies"
    assert "De Arbeidsinspectie gaat langs." in page.locator("#signal-outcome").inner_text()


def test_the_whole_route_from_signal_to_closed_case(transactional_db, live_server, page):
    """Issue 3's route as the demo users: report → triage into a case → refer to the shelter →
    the shelter accepts → casustafel with a decision and an action → closed → the reporter sees."""
    demo_load()
    base = live_server.url

    # 1. The aandachtsfunctionaris of Enschede reports a signal.
    log_in(page, base, "aandachtsfunctionaris")
    page.goto(f"{base}/werk/meldingen/nieuw/")
    page.get_by_label(re.compile("^Waar komt de melding vandaan")).select_option("municipality")
    page.get_by_label(re.compile("^Wat is er gezien")).fill(
        "Poolse vrouw werkt in een massagesalon zonder vergunning; geeft al haar geld af."
    )
    page.get_by_label(re.compile("^Gemeente")).select_option(label="Enschede")
    page.get_by_label("Seksuele uitbuiting").check()
    page.locator("#id_persons-0-name").fill("Agnieszka Wójcik")
    page.locator("#id_persons-0-date_of_birth").fill("1998-07-14")
    page.locator("#id_persons-0-sex").select_option("female")
    page.get_by_role("button", name="Melding registreren").click()
    reference = re.search(r"M-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    log_out(page)

    # 2. The coordinator triages it into a case led by the kenniscentrum's caseworker.
    log_in(page, base, "coordinator")
    page.get_by_role("link", name="Triagewachtrij").first.click()
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Casus openen").check()
    page.get_by_label(re.compile("^Werktitel van de casus")).fill(
        "Seksuele uitbuiting salon Enschede"
    )
    page.get_by_label(re.compile("^Casusregisseur")).select_option(label="Jeroen Kuipers")
    page.get_by_label(re.compile("^Terugkoppeling aan de melder")).fill("Er is een casus geopend.")
    page.get_by_role("button", name="Triage opslaan").click()
    log_out(page)

    # 3. The caseworker refers her to the shelter, with her consent.
    log_in(page, base, "caseworker")
    page.get_by_role("link", name="Casussen").first.click()
    page.get_by_role("link", name=re.compile(r"^C-\d{4}-\d{6}")).first.click()
    case_url = page.url
    page.get_by_role("link", name="Iemand doorverwijzen").click()
    page.get_by_label(re.compile("^Wie wordt doorverwezen")).select_option(index=1)
    page.get_by_label(re.compile("^Naar welke dienst")).select_option(
        label="Beschermde opvang voor vrouwen — Stichting Schuilplaats Twente"
    )
    page.get_by_label("Ja, de persoon geeft toestemming").check()
    page.get_by_role("button", name="Doorverwijzing versturen").click()
    page.wait_for_url(re.compile(r"/werk/doorverwijzingen/[0-9a-f-]+/$"))
    referral_url = page.url
    log_out(page)

    # 4. The shelter accepts.
    log_in(page, base, "opvang")
    page.goto(referral_url)
    assert "Agnieszka Wójcik" in page.content()
    page.get_by_label(re.compile("^Nieuwe status")).select_option("accepted")
    page.get_by_role("button", name="Bijwerken").click()
    assert page.locator("#referral-status").inner_text().startswith("Geaccepteerd")
    log_out(page)

    # 5. The caseworker puts the case forward for the casustafel.
    log_in(page, base, "caseworker")
    page.goto(case_url)
    assert "Geaccepteerd" in page.locator("#case-referrals").inner_text()
    page.get_by_role("link", name="Aanmelden voor de casustafel").click()
    page.get_by_label(re.compile("^Waarom de casustafel")).fill("Dader actief in meer gemeenten.")
    page.get_by_label(re.compile("^Wat moet de casustafel bereiken")).fill("Daderaanpak afstemmen.")
    page.get_by_role("button", name="Aanmelden").click()
    log_out(page)

    # 6. The coordinator sets the agenda and records a decision with an action.
    log_in(page, base, "coordinator")
    page.get_by_role("link", name="Casustafel").first.click()
    page.locator("#meetings a").first.click()
    page.get_by_label(re.compile("^Aangemelde casus")).select_option(index=1)
    page.get_by_role("button", name="Agenderen").click()
    item = page.locator(".agenda-item").first
    assert "Agnieszka Wójcik" in item.inner_text()
    item.get_by_label(re.compile("^Besluit")).fill(
        "Politie onderzoekt de salon; gemeente start bestuurlijke aanpak."
    )
    item.get_by_label(re.compile("^Actie")).first.fill("Bestuurlijke controle salon")
    item.get_by_label(re.compile("^Verantwoordelijke voor de actie")).select_option(
        label="Bram Wolters"
    )
    item.get_by_label(re.compile("^Deadline van de actie")).fill("2099-01-31")
    item.get_by_role("button", name="Besluit vastleggen").click()
    assert "Bestuurlijke controle salon" in page.locator(".agenda-item").first.inner_text()
    log_out(page)

    # 7. The caseworker closes the case with feedback for the reporter.
    log_in(page, base, "caseworker")
    page.goto(case_url)
    assert "Besluit casustafel" in page.locator("#case-timeline").inner_text()
    page.get_by_label(re.compile("^Uitkomst")).select_option("in_care")
    page.get_by_label(re.compile("^Afsluitende notitie")).fill("In opvang, aangifte gedaan.")
    page.get_by_label(re.compile("^Terugkoppeling aan de melders")).fill(
        "De vrouw is veilig opgevangen. Dank voor je melding."
    )
    page.get_by_role("button", name="Casus afsluiten").click()
    assert page.locator("#case-status").inner_text().startswith("Afgesloten")
    log_out(page)

    # 8. The aandachtsfunctionaris sees what became of the signal.
    log_in(page, base, "aandachtsfunctionaris")
    page.get_by_role("link", name="Mijn meldingen").first.click()
    page.get_by_role("link", name=reference).click()
    assert "casus afgesloten" in page.locator("#signal-status").inner_text()
    assert "De vrouw is veilig opgevangen." in page.locator("#signal-outcome").inner_text()
