"""Cases: opened from a signal, their team, timeline and tasks, and their closure."""

from __future__ import annotations

from datetime import date
from functools import partial

import rules
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.casework.models import (
    Case,
    CaseMember,
    CaseOutcome,
    CaseStatus,
    Signal,
    Task,
    TimelineEntry,
    TimelineKind,
)
from baken.casework.services.intake import _next_reference
from baken.casework.services.notifications import notification_send


def case_open_from_signal(
    *,
    signal: Signal,
    user: User,
    title: str,
    lead: User | None = None,
    confidentiality: str = "internal",
) -> Case:
    """Open a case for a triaged signal; the lead (default: the coordinator) joins the team."""
    with transaction.atomic():
        case = Case.objects.create(
            reference=_next_reference("C"),
            region=signal.region,
            title=title.strip(),
            exploitation_forms=signal.exploitation_forms,
            confidentiality=confidentiality,
            is_crisis=signal.is_crisis,
            involves_minor=signal.involves_minor,
            opened_by=user,
        )
        Signal.objects.filter(pk=signal.pk).update(case=case)
        signal.case = case
        lead = lead or user
        CaseMember.objects.create(case=case, user=lead, role=CaseMember.Role.LEAD)
        if lead != user:
            CaseMember.objects.get_or_create(case=case, user=user)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Case opened from signal %(ref)s.") % {"ref": signal.reference},
        )
        if lead != user:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=lead,
                    subject=_("You lead case %(ref)s") % {"ref": case.reference},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
    return case


def case_member_add(*, case: Case, user: User, by: User) -> CaseMember:
    if not rules.has_perm("casework.work_cases", user):
        raise ValueError("This person's role does not work on cases.")
    with transaction.atomic():
        member, created = CaseMember.objects.get_or_create(case=case, user=user)
        if created:
            TimelineEntry.objects.create(
                case=case,
                kind=TimelineKind.EVENT,
                author=by,
                text=_("%(name)s joined the case team.") % {"name": user.get_full_name() or user},
            )
            transaction.on_commit(
                lambda: notification_send(
                    recipient=user,
                    subject=_("You are in the team of case %(ref)s") % {"ref": case.reference},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
    return member


def timeline_add(*, case: Case, user: User, kind: str, text: str) -> TimelineEntry:
    return TimelineEntry.objects.create(case=case, kind=kind, author=user, text=text.strip())


def task_create(*, case: Case, title: str, owner: User, due_on: date, by: User) -> Task:
    with transaction.atomic():
        task = Task.objects.create(case=case, title=title.strip(), owner=owner, due_on=due_on)
        if owner != by:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=owner,
                    subject=_("New task in case %(ref)s: %(title)s")
                    % {"ref": case.reference, "title": task.title},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
    return task


def task_complete(*, task: Task, user: User) -> Task:
    with transaction.atomic():
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        TimelineEntry.objects.create(
            case=task.case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Task done: %(title)s") % {"title": task.title},
        )
    return task


def case_close(*, case: Case, user: User, outcome: str, note: str, feedback: str = "") -> Case:
    """Close with an outcome; the reporters of its signals get the feedback."""
    if outcome not in CaseOutcome.values:
        raise ValueError(f"Unknown outcome {outcome!r}")
    with transaction.atomic():
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.outcome = outcome
        case.closing_note = note.strip()
        case.save()
        case.tasks.filter(done_at__isnull=True).update(done_at=case.closed_at)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Case closed: %(outcome)s") % {"outcome": case.get_outcome_display()},
        )
        for signal in case.signals.select_related("reported_by"):
            if feedback.strip():
                signal.outcome_note = feedback.strip()
                signal.save(update_fields=["outcome_note"])
            reporter = signal.reported_by
            if reporter is not None and reporter.pk != user.pk:
                transaction.on_commit(
                    partial(
                        notification_send,
                        recipient=reporter,
                        subject=_("The case from your signal %(ref)s is closed")
                        % {"ref": signal.reference},
                        url=reverse("casework:signal-detail", kwargs={"signal_id": signal.pk}),
                    )
                )
    return case
