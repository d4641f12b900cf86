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


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def _public_pages(base: str) -> list[str]:
    from baken.portal.models import Page

    return [
        f"{base}/",
        f"{base}/informatie/",
        *(f"{base}/informatie/{slug}/" for slug in Page.objects.values_list("slug", flat=True)),
        f"{base}/zelftest/",
        f"{base}/hulp-zoeken/",
        f"{base}/melden/",
        f"{base}/chat/",
    ]


def test_the_exit_stays_on_screen_to_the_end_of_every_public_page_on_a_phone(
    transactional_db, live_server, browser
):
    demo_load()
    context = browser.new_context(locale="nl-NL", **PHONE)
    page = context.new_page()
    for url in _public_pages(live_server.url):
        page.goto(url)
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(50)
        exit_button = page.locator("[data-quick-exit]").first
        box = exit_button.bounding_box()
        assert box is not None, url
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844, (url, box)
        assert box["height"] >= 44 and box["width"] >= 44, (url, box)  # a thumb hits it
        assert exit_button.is_visible(), url
        # First in the keyboard order after the skip link.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hasAttribute('data-quick-exit')"), url
    context.close()


def test_on_a_touch_screen_three_two_finger_taps_leave_like_the_button(
    transactional_db, live_server, browser
):
    demo_load()
    context = browser.new_context(locale="nl-NL", **PHONE)
    page = context.new_page()
    neutral_site(page)
    page.goto("about:blank")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Informatie", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/informatie/")
    cdp = context.new_cdp_session(page)
    fingers = [{"x": 100, "y": 400, "id": 1}, {"x": 200, "y": 400, "id": 2}]
    for _ in range(3):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_url(f"{settings.QUICK_EXIT_URL}**")
    page.go_back()
    assert not page.url.startswith(live_server.url), page.url
    context.close()
