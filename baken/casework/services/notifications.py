"""Notifications to staff, and the alert to a region's coordinators."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
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


def notification_send(
    *, recipient: User, subject: str, url: str = "", by_mail: bool = True
) -> Notification:
    """In Baken and (``by_mail``) by e-mail; the e-mail carries no personal data, only the link.
    The mail goes through the outbox (``baken.operations``): retried, and if it fails for good
    the recipient sees so beside the notification."""
    mail = None
    if recipient.email and by_mail:
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
    anonymous = signal.reported_by_id is None
    for coordinator in _coordinators_of(signal.region):
        notification_send(
            recipient=coordinator,
            subject=subject,
            url=url,
            by_mail=not anonymous or _first_anonymous_alert_mail(coordinator),
        )


def _first_anonymous_alert_mail(coordinator: User) -> bool:
    """Whether this alert from an anonymous report may go by e-mail: one per coordinator per
    ``ANONYMOUS_ALERT_MAIL_MINUTES``. Anyone can send anonymous reports, so without this a
    flood of them floods the coordinators' mailboxes; each alert is still in Baken."""
    window = settings.ANONYMOUS_ALERT_MAIL_MINUTES * 60
    return cache.add(f"alert-mail:anonymous:{coordinator.pk}", 1, timeout=window)
