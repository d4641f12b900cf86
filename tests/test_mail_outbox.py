"""A crisis alert by e-mail survives a mail server that is down at first, and a mail that
cannot be delivered at all is seen in Baken (docs/deploy.md, "Mail")."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from baken.casework.models import Notification, Signal
from baken.operations.models import MailStatus, OutboundMail
from tests.test_signals import staff_form


class Sink:
    """A local SMTP server that keeps what it receives (aiosmtpd)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Mail goes by SMTP to 127.0.0.1:<port>, where at first nothing listens."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 3
    settings.MAIL_MAX_ATTEMPTS = 3
    return port


def report_crisis(persona, django_capture_on_commit_callbacks, description: str) -> Signal:
    _user, reporter = persona("liaison")
    with django_capture_on_commit_callbacks(execute=True):
        reporter.post(
            "/werk/meldingen/nieuw/", staff_form(urgency="crisis", description=description)
        )
    return Signal.objects.filter(is_crisis=True).latest("received_at")


def alert_mail(signal: Signal) -> OutboundMail:
    notification = Notification.objects.get(
        recipient__username="coordinator", subject__contains=signal.reference
    )
    assert notification.mail is not None
    return notification.mail


def test_a_crisis_alert_waits_for_the_mail_server_and_arrives(
    persona, django_capture_on_commit_callbacks, smtp
):
    crisis = report_crisis(
        persona, django_capture_on_commit_callbacks, "Meisje van 16 moet vannacht mee."
    )
    mail = alert_mail(crisis)
    # The first attempt ran at once, found no server, and waits to try again.
    assert (mail.status, mail.attempts) == (MailStatus.PENDING, 1)
    assert "Connection" in mail.last_error or "refused" in mail.last_error.lower()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp)
    controller.start()
    try:
        # Too early: the outbox leaves it alone.
        call_command("jobs", "run", "mail_outbox", stdout=None)
        assert sink.messages == []
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            call_command("jobs", "run", "mail_outbox")
    finally:
        controller.stop()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)
    assert len(sink.messages) == 1
    assert crisis.reference in sink.messages[0]
    assert "vannacht" not in sink.messages[0]  # no personal data by e-mail, only the link


def test_a_mail_that_cannot_be_delivered_shows_in_baken(
    persona, django_capture_on_commit_callbacks, smtp
):
    crisis = report_crisis(
        persona, django_capture_on_commit_callbacks, "Jongen van 15 wordt ingezet als koerier."
    )
    for minutes in (2, 5):  # attempts 2 and 3 (of MAIL_MAX_ATTEMPTS = 3)
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            call_command("jobs", "run", "mail_outbox")
    mail = alert_mail(crisis)
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 3)
    _coordinator, client = persona("coordinator")
    home = client.get("/werk/").content.decode()
    assert 'id="mail-failures"' in home
    notifications = client.get("/werk/berichten/").content.decode()
    assert crisis.reference in notifications
    assert "baken-mail-failed" in notifications
    # The administrator sees it among the things that need attention.
    _admin, admin_client = persona("administrator")
    admin_home = admin_client.get("/werk/").content.decode()
    assert 'id="background-problems"' in admin_home
    assert "could not be delivered this week" in admin_home or "niet worden bezorgd" in admin_home
