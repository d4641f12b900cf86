"""The casustafel: escalations, meetings, agenda items and decisions."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.casework.models import (
    Action,
    AgendaItem,
    Case,
    CaseStatus,
    CaseTable,
    Decision,
    Escalation,
    EscalationStatus,
    Meeting,
    Task,
    TimelineEntry,
    TimelineKind,
)
from baken.casework.services.notifications import _coordinators_of, notification_send


def escalation_request(
    *,
    case: Case,
    user: User,
    table: CaseTable,
    reason: str,
    goal: str,
    partners: list | None = None,
) -> Escalation:
    """Opschalen: put a case forward for the casustafel with a structured intake."""
    if case.status == CaseStatus.CLOSED:
        raise ValueError("A closed case cannot go to the casustafel.")
    with transaction.atomic():
        escalation = Escalation.objects.create(
            case=case, table=table, requested_by=user, reason=reason.strip(), goal=goal.strip()
        )
        if partners:
            escalation.partners_needed.set(partners)
        case.status = CaseStatus.AT_CASE_TABLE
        case.save(update_fields=["status"])
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Escalated to %(table)s.") % {"table": table.name},
        )
        transaction.on_commit(
            lambda: [
                notification_send(
                    recipient=coordinator,
                    subject=_("Case %(ref)s is put forward for the casustafel")
                    % {"ref": case.reference},
                    url=reverse("casework:case-table"),
                )
                for coordinator in _coordinators_of(case.region)
            ]
        )
    return escalation


def meeting_plan(*, table: CaseTable, starts_at) -> Meeting:
    return Meeting.objects.create(table=table, starts_at=starts_at)


def agenda_add(*, meeting: Meeting, escalation: Escalation, user: User) -> AgendaItem:
    """Put an escalated case on a meeting's agenda; participants may see it until the meeting
    plus the table's ``access_days``."""
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting,
            escalation=escalation,
            position=meeting.items.count() + 1,
            access_until=meeting.starts_at + timedelta(days=meeting.table.access_days),
        )
        escalation.status = EscalationStatus.SCHEDULED
        escalation.save(update_fields=["status"])
        TimelineEntry.objects.create(
            case=escalation.case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("On the agenda of the casustafel of %(date)s.")
            % {"date": timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
    return item


def decision_record(
    *,
    item: AgendaItem,
    user: User,
    text: str,
    action_description: str = "",
    action_owner: User | None = None,
    action_due: date | None = None,
    de_escalate: bool = False,
    feedback: str = "",
) -> Decision:
    """Record what the casustafel decided, an action with owner and deadline, and whether the
    case goes back to local care; whoever raised the case gets the feedback."""
    if action_description and (action_owner is None or action_due is None):
        raise ValueError("An action needs an owner and a deadline.")
    case = item.case
    with transaction.atomic():
        decision = Decision.objects.create(item=item, text=text.strip(), recorded_by=user)
        meeting = item.meeting
        if not meeting.held:  # a decision is recorded at a meeting that took place
            meeting.held = True
            meeting.save(update_fields=["held"])
        # Checked above: an action always has an owner and a deadline.
        if action_description and action_owner is not None and action_due is not None:
            Action.objects.create(
                item=item,
                description=action_description.strip(),
                owner=action_owner,
                due_on=action_due,
            )
            Task.objects.create(
                case=case,
                title=_("Casustafel: %(action)s") % {"action": action_description.strip()},
                owner=action_owner,
                due_on=action_due,
            )
        escalation = item.escalation
        escalation.status = EscalationStatus.DISCUSSED
        escalation.save(update_fields=["status"])
        if de_escalate:
            item.de_escalated = True
            item.save(update_fields=["de_escalated"])
            case.status = CaseStatus.OPEN
            case.save(update_fields=["status"])
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.DECISION,
            author=user,
            text=_("Casustafel decided: %(text)s") % {"text": text.strip()}
            + (f"\n{feedback.strip()}" if feedback.strip() else "")
            + ("\n" + _("Back to local care.") if de_escalate else ""),
        )
        raiser = escalation.requested_by
        if raiser is not None:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=raiser,
                    subject=_("The casustafel discussed case %(ref)s") % {"ref": case.reference},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
        if action_owner is not None and action_owner != user:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=action_owner,
                    subject=_("Action from the casustafel for case %(ref)s")
                    % {"ref": case.reference},
                    url=reverse("casework:meeting-detail", kwargs={"meeting_id": item.meeting_id}),
                )
            )
    return decision


def action_complete(*, action: Action, user: User) -> Action:
    """Mark an action from the casustafel done (the figures count whether it was on time), and
    the task it put on the case's list with it."""
    with transaction.atomic():
        Action.objects.select_for_update().only("pk").get(pk=action.pk)
        action.refresh_from_db()
        if action.done_at is not None:
            return action
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        case = action.item.case
        title = _("Casustafel: %(action)s") % {"action": action.description}
        case.tasks.filter(
            title=title, owner=action.owner, due_on=action.due_on, done_at__isnull=True
        ).update(done_at=action.done_at)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Action from the casustafel done: %(action)s") % {"action": action.description},
        )
    return action
