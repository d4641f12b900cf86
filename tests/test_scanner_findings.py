"""What a web scanner reports as "lack of anti-CSRF token" on the public and login forms is a
false positive: every such form carries Django's token, and a POST without it, or with a
wrong one, is refused with 403 and stores nothing (docs/asvs.md, docs/security-scans.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from baken.casework.models import Signal
from baken.chat.models import Conversation, Message

PUBLIC_FORMS = [
    ("/melden/", {"description": "Er wonen twaalf mensen in één huis.", "about_minor": "no"}),
    ("/melden/volgen/", {"code": "ABCD-EFGH"}),
    ("/chat/starten/", {"language": "nl", "nickname": "Sam"}),
    ("/chat/bericht/", {"text": "Bel me terug", "language": "nl"}),
    ("/chat/antwoord/", {"code": "ABCD-EFGH"}),
    ("/zelftest/", {"q1": "yes"}),
    ("/werk/inloggen/", {"username": "coordinator", "password": "baken-demo-2026"}),
]


def _stored() -> tuple[int, int, int]:
    return Signal.objects.count(), Conversation.objects.count(), Message.objects.count()


@pytest.mark.parametrize(("path", "form"), PUBLIC_FORMS)
def test_a_form_post_without_a_valid_csrf_token_is_refused(demo_region, path, form):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code in (200, 302, 405)  # 405: a POST-only endpoint (chat start)
    if page.status_code == 200 and "<form" in page.content.decode():
        assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    before = _stored()
    missing = browser.post(path, form)
    wrong = browser.post(path, {**form, "csrfmiddlewaretoken": "x" * 64})
    assert missing.status_code == 403
    assert wrong.status_code == 403
    assert _stored() == before
    assert "_auth_user_id" not in browser.session
