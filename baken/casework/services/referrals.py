"""Referrals to a service of the social map, their steps and reminders."""

from __future__ import annotations

from datetime import timedelta

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import Role, User
from baken.audit.services import AuditAction, audit_record
from baken.casework.models import (
    RECEIVER_STATUSES,
    REFERRAL_TRANSITIONS,
    Case,
    Person,
    Referral,
    ReferralEvent,
    ReferralStatus,
    TimelineEntry,
    TimelineKind,
)
from baken.casework.services.notifications import notification_send
from baken.directory.models import Service


class ReferralError(ValueError):
    """A referral step that the rules do not allow; the message says why."""


def referral_create(
    *,
    case: Case,
    person: Person,
    service: Service,
    user: User,
    consent_given: bool,
    no_consent_reason: str = "",
    message: str = "",
) -> Referral:
    """Refer a person of the case to a service. Without consent only with the separate
    permission and a documented reason; that choice is written to the audit trail."""
    if person.signal.case_id != case.pk:
        raise ReferralError(_("This person is not part of the case."))
    if service.status != "active":
        raise ReferralError(_("This service does not take referrals now."))
    if not consent_given:
        if not rules.has_perm("casework.refer_without_consent", user):
            raise ReferralError(_("Referring without consent needs the coordinator."))
        if not no_consent_reason.strip():
            raise ReferralError(_("Write down why you refer without consent."))
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            person=person,
            service=service,
            referred_by=user,
            consent_given=consent_given,
            no_consent_reason=no_consent_reason.strip(),
            message=message.strip(),
        )
        ReferralEvent.objects.create(referral=referral, by=user, to_status=ReferralStatus.SENT)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Referred to %(service)s (%(org)s).")
            % {"service": service.name, "org": service.organisation.name},
        )
        if not consent_given:
            audit_record(
                action=AuditAction.CREATE,
                object_type="casework.Referral",
                object_id=referral.pk,
                fields=["no_consent_reason"],
                purpose="referral without consent",
            )
        transaction.on_commit(
            lambda: _notify_receivers(referral, _("New referral for %(service)s"))
        )
    return referral


def referral_transition(
    *, referral: Referral, user: User, to_status: str, note: str = ""
) -> Referral:
    """Move a referral to its next status; the other side is told.

    The row is locked and its state read inside the transaction, so two people answering one
    referral at the same moment cannot both move it (the second gets a ``ReferralError``).
    """
    with transaction.atomic():
        Referral.objects.select_for_update().only("pk").get(pk=referral.pk)
        referral.refresh_from_db()
        if to_status not in REFERRAL_TRANSITIONS.get(referral.status, set()):
            raise ReferralError(
                _("A referral that is %(now)s cannot become %(next)s.")
                % {
                    "now": referral.get_status_display().lower(),
                    "next": ReferralStatus(to_status).label.lower(),
                }
            )
        if to_status in RECEIVER_STATUSES and not rules.has_perm(
            "casework.answer_referral", user, referral
        ):
            raise ReferralError(_("Only the receiving organisation answers a referral."))
        if to_status == ReferralStatus.WITHDRAWN and not rules.has_perm(
            "casework.withdraw_referral", user, referral
        ):
            raise ReferralError(_("Only the case team withdraws a referral."))
        if to_status == ReferralStatus.DECLINED and not note.strip():
            raise ReferralError(_("Say why the referral is declined."))
        previous = referral.status
        referral.status = to_status
        referral.status_changed_at = timezone.now()
        if to_status == ReferralStatus.DECLINED:
            referral.decline_reason = note.strip()[:300]
        referral.save(update_fields=["status", "status_changed_at", "decline_reason"])
        ReferralEvent.objects.create(
            referral=referral,
            by=user,
            from_status=previous,
            to_status=to_status,
            note=note.strip()[:300],
        )
        TimelineEntry.objects.create(
            case=referral.case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Referral to %(service)s: %(status)s%(note)s")
            % {
                "service": referral.service.name,
                "status": referral.get_status_display(),
                "note": f" ({note.strip()})" if note.strip() else "",
            },
        )
        if to_status == ReferralStatus.WITHDRAWN:
            transaction.on_commit(
                lambda: _notify_receivers(referral, _("Referral withdrawn: %(service)s"))
            )
        elif (referrer := referral.referred_by) is not None:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=referrer,
                    subject=_("Referral to %(service)s: %(status)s")
                    % {"service": referral.service.name, "status": referral.get_status_display()},
                    url=reverse("casework:referral-detail", kwargs={"referral_id": referral.pk}),
                )
            )
    return referral


def referral_send_reminders(*, now=None) -> int:
    """Remind the receiving organisation (and the referrer) of referrals left unanswered for
    ``REFERRAL_REMINDER_DAYS``; at most once per that period. Returns how many were reminded."""
    now = now or timezone.now()
    period = timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    due = (
        Referral.objects.awaiting_answer_since(now - period)
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lt=now - period))
        .select_related("service__organisation", "referred_by", "case")
    )
    count = 0
    for referral in due:
        # Claim the row with a conditional update so that two workers never remind twice.
        claimed = Referral.objects.filter(
            pk=referral.pk, last_reminder_at=referral.last_reminder_at
        ).update(last_reminder_at=now)
        if not claimed:
            continue
        _notify_receivers(referral, _("Reminder: referral for %(service)s waits for an answer"))
        if referral.referred_by:
            notification_send(
                recipient=referral.referred_by,
                subject=_("No answer yet on your referral to %(service)s")
                % {"service": referral.service.name},
                url=reverse("casework:referral-detail", kwargs={"referral_id": referral.pk}),
            )
        count += 1
    return count


def _notify_receivers(referral: Referral, subject_template: str) -> None:
    receivers = User.objects.filter(
        organisation_id=referral.service.organisation_id,
        is_active=True,
        role_assignments__role__in=[Role.COORDINATOR, Role.CASEWORKER, Role.AANDACHTSFUNCTIONARIS],
    ).distinct()
    for receiver in receivers:
        notification_send(
            recipient=receiver,
            subject=subject_template % {"service": referral.service.name},
            url=reverse("casework:referral-detail", kwargs={"referral_id": referral.pk}),
        )
