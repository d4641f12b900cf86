"""A reviewer opens the highest-ranked cluster, sees why its ads are linked, and turns it into a
signal that the coordinator then finds in casework's triage queue."""

from __future__ import annotations

import json
import re

import pytest

from baken.admonitor.engine.synthetic import generate
from baken.admonitor.services import ads_ingest
from baken.demo.services import demo_load
from tests.browser.test_accessibility import violations
from tests.browser.test_signal_route import log_in, log_out

pytestmark = pytest.mark.browser


def test_a_reviewer_turns_a_ranked_cluster_into_a_signal(transactional_db, live_server, page):
    demo_load()
    corpus = generate(250, seed=21)
    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in corpus.records).encode()
    ads_ingest(content=content, file_name="advertenties.jsonl", parser="jsonl")

    log_in(page, live_server.url, "supervisor")
    page.get_by_role("link", name="Advertentiemonitor").first.click()
    page.get_by_role("heading", name=re.compile("Clusters om te beoordelen")).wait_for()
    page.locator("#clusters tbody tr").first.get_by_role("link").click()

    page.get_by_role("heading", name="Waarom dit cluster een blik waard is").wait_for()
    reasons = page.locator(".baken-reasons li").all_inner_texts()
    assert any(
        re.match(r"(zelfde (telefoonnummer|foto|e-mailadres)|tekst bijna gelijk)", r)
        for r in reasons
    )
    assert page.locator("#indicators li").count() >= 1
    assert violations(page) == []

    page.get_by_role("radio", name="Signaal").check()
    page.get_by_role("textbox", name=re.compile("^Waarom")).fill(
        "Vijf namen op één nummer, elke week een andere stad."
    )
    page.get_by_role("button", name="Vastleggen").click()
    notice = page.get_by_role("status").first.inner_text()
    reference = re.search(r"M-\d{4}-\d{6}", notice).group(0)
    log_out(page)

    log_in(page, live_server.url, "coordinator")
    page.get_by_role("link", name="Triagewachtrij").first.click()
    page.get_by_role("link", name=reference).click()
    assert "Vijf namen op één nummer" in page.content()
