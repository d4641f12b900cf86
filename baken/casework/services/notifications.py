"""Notifications to staff, and the alert to a region's coordinators."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from baken.accounts.models import Role, User
from baken.casework.models import (
    Notification,
    Signal,
)
from baken.directory.models import Region
from baken.operations.services import mail_queue


def notification_send(*, recipient: User, subject: str, url: str = "") -> Notification:
    """In Baken and by e-mail; the e-mail carries no personal data, only the link. The mail
    goes through the outbox (``baken.operations``): retried, and if it fails for good the
    recipient sees so beside the notification."""
    mail = None
    if recipient.email:
        mail = mail_queue(
            to=recipient.email,
            subject=f"[Baken] {subject}",
            body=_("Open Baken to read it: %(url)s") % {"url": url or "/werk/"},
        )
    return Notification.objects.create(recipient=recipient, subject=subject, url=url, mail=mail)


def _coordinators_of(region: Region) -> QuerySet[User]:
    return User.objects.with_role(Role.COORDINATOR).filter(organisation__region=region)


def _alert_coordinators(signal: Signal) -> None:
    if signal.is_crisis:
        subject = _("Crisis signal %(ref)s: act within hours") % {"ref": signal.reference}
    else:
        subject = _("Signal %(ref)s may concern a minor: children's-rights route") % {
            "ref": signal.reference
        }
    url = reverse("casework:signal-detail", kwargs={"signal_id": signal.pk})
    for coordinator in _coordinators_of(signal.region):
        notification_send(recipient=coordinator, subject=subject, url=url)
