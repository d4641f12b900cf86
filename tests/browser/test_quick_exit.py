"""Quick exit leaves no Baken page to go back to, from a visit of several pages and a form."""

from __future__ import annotations

import pytest
from django.conf import settings

from baken.demo.services import demo_load

pytestmark = pytest.mark.browser


def neutral_site(page) -> None:
    """The neutral site is outside this closed network: answer for it locally."""
    page.route(
        f"{settings.QUICK_EXIT_URL.rstrip('/')}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Weer</p>"),
    )


@pytest.mark.parametrize("how", ["button", "shift-three-times"])
def test_quick_exit_leaves_no_page_to_go_back_to(transactional_db, live_server, page, how):
    demo_load()
    neutral_site(page)
    page.goto("about:blank")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Informatie", exact=True).first.click()
    page.get_by_role("link", name="Word ik uitgebuit?").first.click()
    page.get_by_role("link", name="Zelftest").first.click()
    page.locator("input[name=papers_kept][value=yes]").check()
    page.get_by_role("button", name="Bekijk wat dit betekent").click()
    page.locator("#selfcheck-outcome").wait_for()
    assert page.url.startswith(live_server.url)

    if how == "button":
        page.get_by_role("link", name="Snel weg").click()
    else:
        page.locator("body").focus()
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(f"{settings.QUICK_EXIT_URL}**")

    page.go_back()
    assert not page.url.startswith(live_server.url), page.url
    page.go_back()
    assert not page.url.startswith(live_server.url), page.url
