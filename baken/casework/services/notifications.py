"""Notifications to staff, and the alert to a region's coordinators."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from baken.accounts.models import Role, User
from baken.casework.models import (
    Notification,
    Signal,
)
from baken.directory.models import Region


def notification_send(*, recipient: User, subject: str, url: str = "") -> Notification:
    """In Baken and by e-mail; the e-mail carries no personal data, only the link."""
    notification = Notification.objects.create(recipient=recipient, subject=subject, url=url)
    if recipient.email:
        send_mail(
            subject=f"[Baken] {subject}",
            message=_("Open Baken to read it: %(url)s") % {"url": url or "/werk/"},
            from_email=None,
            recipient_list=[recipient.email],
            fail_silently=True,
        )
    return notification


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
