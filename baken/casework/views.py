"""Casework pages: staff under /werk/meldingen/, the anonymous report under /melden/."""

from __future__ import annotations

from datetime import timedelta

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from baken.accounts.http import StaffRequest
from baken.audit.services import AuditAction, audit_read, audit_record
from baken.casework import exports, services
from baken.casework.forms import (
    AdditionForm,
    AgendaAddForm,
    AnonymousReportForm,
    CloseForm,
    DecisionForm,
    DocumentForm,
    EscalationForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    PersonFormSet,
    QueueFilterForm,
    ReceiptCodeForm,
    ReferralForm,
    ReferralStatusForm,
    SignalForm,
    TaskForm,
    TriageForm,
)
from baken.casework.indicators import label_for
from baken.casework.models import (
    AgendaItem,
    Case,
    CaseDocument,
    Meeting,
    Notification,
    Referral,
    Signal,
    SignalStatus,
    Task,
)
from baken.directory.services import ServiceFilters, service_search
from baken.lib import anonymity
from baken.lib.access import staff_required
from baken.lib.http import no_store


def _signal_or_403(request: HttpRequest, signal_id, permission: str) -> Signal:
    signal = get_object_or_404(
        Signal.objects.select_related(
            "municipality", "reported_by", "reporter_organisation", "triaged_by", "region", "case"
        ),
        pk=signal_id,
    )
    if not rules.has_perm(permission, request.user, signal):
        raise PermissionDenied
    return signal


@staff_required("casework.report_signal")
def signal_list_view(request: StaffRequest) -> HttpResponse:
    page = Paginator(services.signals_reported_by(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "casework/signal_list.html", {"page": page})


@staff_required("casework.triage")
def triage_queue_view(request: StaffRequest) -> HttpResponse:
    signals = services.signals_in_triage_queue(user=request.user)
    crisis_only = request.GET.get("crisis") == "1"
    if crisis_only:
        signals = signals.filter(is_crisis=True)
    filters = QueueFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["municipality"]:
            signals = signals.filter(municipality=data["municipality"])
        if data["source"]:
            signals = signals.filter(source=data["source"])
        if data["exploitation_form"]:
            signals = signals.filter(exploitation_forms__contains=data["exploitation_form"])
        if data["q"]:
            signals = signals.filter(reference__icontains=data["q"])
    page = Paginator(signals, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/triage_queue.html",
        {"page": page, "crisis_only": crisis_only, "now": timezone.now(), "filters": filters},
    )


@staff_required("casework.report_signal")
def signal_create_view(request: StaffRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = SignalForm(data)
    persons = PersonFormSet(data, prefix="persons")
    if data is not None and form.is_valid() and persons.is_valid():
        signal = services.signal_create(
            reporter=request.user,
            source=form.cleaned_data["source"],
            description=form.cleaned_data["description"],
            municipality=form.cleaned_data["municipality"],
            place=form.cleaned_data["place"],
            observed_on=form.cleaned_data["observed_on"],
            exploitation_forms=form.cleaned_data["exploitation_forms"],
            indicator_codes=form.cleaned_data["indicators"],
            urgency=form.cleaned_data["urgency"],
            involves_minor=form.cleaned_data["involves_minor"],
            sector=form.cleaned_data["sector"],
            persons=[f.to_person() for f in persons if f.cleaned_data and not f.is_blank()],
        )
        messages.success(
            request,
            _("Signal %(ref)s is registered. You can follow it here.") % {"ref": signal.reference},
        )
        return redirect("casework:signal-detail", signal_id=signal.pk)
    return render(request, "casework/signal_form.html", {"form": form, "persons": persons})


@never_cache
@staff_required("casework.report_signal")
def signal_detail_view(request: StaffRequest, signal_id) -> HttpResponse:
    signal = _signal_or_403(request, signal_id, "casework.view_signal")
    can_triage = rules.has_perm("casework.triage_signal", request.user, signal)
    audit_read(signal, purpose="signal details")
    persons = services.signal_persons_for(signal=signal, purpose="signal details")
    matches = (
        {p.pk: services.person_matches(person=p, user=request.user) for p in persons}
        if can_triage
        else {}
    )
    triage_form = None
    if can_triage and signal.status == SignalStatus.NEW:
        triage_form = TriageForm(
            region=signal.region,
            initial={
                "exploitation_forms": signal.form_codes(),
                "urgency": signal.urgency,
                "sector": signal.sector,
                "involves_minor": signal.involves_minor,
            },
        )
    childrens_route = []
    if signal.involves_minor:
        childrens_route = list(
            service_search(
                ServiceFilters(
                    audience="minors",
                    municipality=signal.municipality.cbs_code if signal.municipality else "",
                )
            )[:6]
        )
    return render(
        request,
        "casework/signal_detail.html",
        {
            "signal": signal,
            "persons": [(p, matches.get(p.pk, [])) for p in persons],
            "indicators": [label_for(i.code) for i in signal.indicators.all()],
            "additions": signal.additions.all(),
            "can_triage": can_triage,
            "childrens_route": childrens_route,
            "can_open_case": signal.case_id is not None
            and rules.has_perm("casework.view_case", request.user, signal.case),
            "triage_form": triage_form,
            "addition_form": AdditionForm(),
        },
    )


@staff_required("casework.triage")
def signal_triage_view(request: StaffRequest, signal_id) -> HttpResponse:
    signal = _signal_or_403(request, signal_id, "casework.triage_signal")
    if signal.status != SignalStatus.NEW:
        messages.info(request, _("This signal has already been triaged."))
        return redirect("casework:signal-detail", signal_id=signal.pk)
    form = TriageForm(request.POST or None, region=signal.region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            triaged = services.signal_triage(
                signal=signal,
                user=request.user,
                exploitation_forms=data["exploitation_forms"],
                urgency=data["urgency"],
                is_crisis=data["urgency"] == "crisis",
                involves_minor=data["involves_minor"],
                outcome=data["outcome"],
                advice=data["advice"],
                outcome_note=data["outcome_note"],
                case_title=data["case_title"],
                case_lead=data["case_lead"],
                sector=data["sector"],
            )
        except services.SignalAlreadyTriaged as error:
            messages.info(request, str(error))
            return redirect("casework:signal-detail", signal_id=signal.pk)
        messages.success(request, _("Triage is saved."))
        return redirect("casework:signal-detail", signal_id=triaged.pk)
    return render(request, "casework/triage_form.html", {"signal": signal, "form": form})


@require_POST
@staff_required("casework.report_signal")
def signal_add_information_view(request: StaffRequest, signal_id) -> HttpResponse:
    signal = _signal_or_403(request, signal_id, "casework.view_signal")
    form = AdditionForm(request.POST)
    if form.is_valid():
        services.signal_add_information(
            signal=signal, text=form.cleaned_data["text"], user=request.user
        )
        messages.success(request, _("Your information is added."))
    else:
        messages.error(request, _("Write something to add."))
    return redirect("casework:signal-detail", signal_id=signal.pk)


@staff_required("casework.view_notifications")
def notification_list_view(request: StaffRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).select_related("mail")[:100]
    response = render(request, "casework/notifications.html", {"notifications": notifications})
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return response


# --- anonymous report (public) ----------------------------------------------------------------


def _visitor_over(request: HttpRequest, group: str, rate: str) -> bool:
    """Count this request against the visitor's limit (rotating hash, cache only)."""
    return is_ratelimited(
        request, group=group, key=anonymity.ratelimit_key, rate=rate, increment=True
    )


def anonymous_report_view(request: HttpRequest) -> HttpResponse:
    form = AnonymousReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _visitor_over(request, "anonymous-report", f"{settings.ANONYMOUS_REPORTS_PER_HOUR}/h"):
            # The text stays in the form: nothing the visitor wrote is lost.
            return no_store(
                render(request, "casework/report.html", {"form": form, "limited": True}, status=429)
            )
        data = form.cleaned_data
        signal, code = services.signal_create_anonymous(
            description=data["description"],
            municipality=data["municipality"],
            place=data["place"],
            observed_on=data["observed_on"],
            involves_minor=data["about_minor"] == "yes",
        )
        return no_store(render(request, "casework/report_done.html", {"code": code}))
    return no_store(render(request, "casework/report.html", {"form": form}))


def anonymous_follow_view(request: HttpRequest) -> HttpResponse:
    """Look up a report by its receipt code; add information. The code is never in a URL."""
    code_form = ReceiptCodeForm(request.POST or None)
    signal = None
    addition_form = AdditionForm(request.POST if "text" in request.POST else None)
    added = False
    if request.method == "POST" and _visitor_over(
        request, "receipt-lookup", f"{settings.RECEIPT_LOOKUPS_PER_HOUR}/h"
    ):
        # Against guessing codes: a visitor tries a few, not thousands.
        return no_store(
            render(
                request,
                "casework/report_follow.html",
                {"code_form": ReceiptCodeForm(), "signal": None, "limited": True},
                status=429,
            )
        )
    if request.method == "POST" and code_form.is_valid():
        signal = services.signal_find_by_receipt(code_form.cleaned_data["code"])
        if signal is None:
            code_form.add_error("code", _("We do not know this code. Check it and try again."))
        elif "text" in request.POST and addition_form.is_valid():
            services.signal_add_information(signal=signal, text=addition_form.cleaned_data["text"])
            added = True
            addition_form = AdditionForm()
    return no_store(
        render(
            request,
            "casework/report_follow.html",
            {
                "code_form": code_form,
                "signal": signal,
                "addition_form": addition_form,
                "added": added,
            },
        )
    )


# --- cases ------------------------------------------------------------------------------------


def _case_or_403(request: HttpRequest, case_id, permission: str) -> Case:
    case = get_object_or_404(Case.objects.select_related("region", "opened_by"), pk=case_id)
    if not rules.has_perm(permission, request.user, case):
        raise PermissionDenied
    return case


@staff_required("casework.work_cases")
def case_list_view(request: StaffRequest) -> HttpResponse:
    cases = services.cases_for(user=request.user)
    status = request.GET.get("status", "open")
    if status in ("open", "closed", "case_table"):
        cases = cases.filter(status=status)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/case_list.html",
        {"page": page, "status": status, "tasks": services.tasks_of(user=request.user)},
    )


@never_cache
@staff_required("casework.work_cases")
def case_detail_view(request: StaffRequest, case_id) -> HttpResponse:
    case = _case_or_403(request, case_id, "casework.view_case")
    audit_read(case, purpose="case file", fields=[])
    persons = services.case_persons_for(case=case, purpose="case file")
    can_manage = rules.has_perm("casework.manage_case", request.user, case)
    is_open = case.status != "closed"
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "persons": persons,
            "signals": case.signals.all(),
            "members": case.members.select_related("user__organisation"),
            "timeline": case.timeline.select_related("author")[:200],
            "tasks": case.tasks.select_related("owner"),
            "referrals": case.referrals.select_related("service__organisation"),
            "can_refer": rules.has_perm("casework.refer", request.user),
            "can_escalate": rules.has_perm("casustafel.escalate", request.user),
            "documents": case.documents.all(),
            "document_form": DocumentForm() if is_open else None,
            "can_manage": can_manage,
            "is_open": is_open,
            "note_form": NoteForm() if is_open else None,
            "task_form": TaskForm(case=case) if is_open else None,
            "member_form": MemberForm(case=case) if is_open and can_manage else None,
            "close_form": CloseForm() if is_open and can_manage else None,
        },
    )


def _case_action(request, case_id, permission, form_class, action, form_kwargs=None):
    """Validate a small form posted from the case page, run ``action``, go back to the case."""
    case = _case_or_403(request, case_id, permission)
    if case.status == "closed":
        messages.error(request, _("This case is closed."))
        return redirect("casework:case-detail", case_id=case.pk)
    form = form_class(request.POST, **(form_kwargs(case) if form_kwargs else {}))
    if form.is_valid():
        action(case, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("casework:case-detail", case_id=case.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("casework:case-detail", case_id=case.pk)


@require_POST
@staff_required("casework.work_cases")
def case_note_view(request: StaffRequest, case_id) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        "casework.view_case",
        NoteForm,
        lambda case, d: services.timeline_add(
            case=case, user=request.user, kind=d["kind"], text=d["text"]
        ),
    )


@require_POST
@staff_required("casework.work_cases")
def case_task_view(request: StaffRequest, case_id) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        "casework.view_case",
        TaskForm,
        lambda case, d: services.task_create(
            case=case, title=d["title"], owner=d["owner"], due_on=d["due_on"], by=request.user
        ),
        form_kwargs=lambda case: {"case": case},
    )


@require_POST
@staff_required("casework.work_cases")
def case_member_view(request: StaffRequest, case_id) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        "casework.manage_case",
        MemberForm,
        lambda case, d: services.case_member_add(case=case, user=d["user"], by=request.user),
        form_kwargs=lambda case: {"case": case},
    )


@require_POST
@staff_required("casework.work_cases")
def case_close_view(request: StaffRequest, case_id) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        "casework.manage_case",
        CloseForm,
        lambda case, d: services.case_close(
            case=case,
            user=request.user,
            outcome=d["outcome"],
            note=d["note"],
            feedback=d["feedback"],
        ),
    )


@require_POST
@staff_required("casework.work_cases")
def task_done_view(request: StaffRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("case"), pk=task_id)
    if not rules.has_perm("casework.view_case", request.user, task.case):
        raise PermissionDenied
    if task.done_at is None:
        services.task_complete(task=task, user=request.user)
    return redirect("casework:case-detail", case_id=task.case_id)


# --- referrals --------------------------------------------------------------------------------


@staff_required("casework.refer")
def referral_create_view(request: StaffRequest, case_id) -> HttpResponse:
    case = _case_or_403(request, case_id, "casework.view_case")
    initial = {"service": request.GET.get("service")} if request.GET.get("service") else None
    form = ReferralForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                case=case,
                person=data["person"],
                service=data["service"],
                user=request.user,
                consent_given=data["consent"] == "yes",
                no_consent_reason=data["no_consent_reason"],
                message=data["message"],
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The referral is sent."))
            return redirect("casework:referral-detail", referral_id=referral.pk)
    # The page lists the case's persons by name: that is a read of each, for the trail.
    services.case_persons_for(case=case, purpose="referral form")
    return render(request, "casework/referral_form.html", {"case": case, "form": form})


@staff_required("casework.view_referrals")
def referral_list_view(request: StaffRequest) -> HttpResponse:
    can_receive = rules.has_perm("casework.handle_referrals", request.user)
    can_send = rules.has_perm("casework.refer", request.user)
    return render(
        request,
        "casework/referral_list.html",
        {
            "received": services.referrals_received(user=request.user)[:200]
            if can_receive
            else None,
            "sent": services.referrals_sent(user=request.user)[:200] if can_send else None,
            "overdue": services.referrals_overdue(user=request.user)
            if rules.has_perm("casework.triage", request.user)
            else None,
        },
    )


@never_cache
@staff_required("casework.view_referrals")
def referral_detail_view(request: StaffRequest, referral_id) -> HttpResponse:
    referral = _referral_or_403(request, referral_id, "casework.view_referral")
    audit_read(referral.person, purpose="referral")
    statuses = _statuses_for(request.user, referral)
    return render(
        request,
        "casework/referral_detail.html",
        {
            "referral": referral,
            "events": referral.events.select_related("by"),
            "status_form": ReferralStatusForm(statuses=statuses) if statuses else None,
            "can_open_case": rules.has_perm("casework.view_case", request.user, referral.case),
        },
    )


@require_POST
@staff_required("casework.view_referrals")
def referral_status_view(request: StaffRequest, referral_id) -> HttpResponse:
    referral = _referral_or_403(request, referral_id, "casework.view_referral")
    form = ReferralStatusForm(request.POST, statuses=_statuses_for(request.user, referral))
    if form.is_valid():
        try:
            services.referral_transition(
                referral=referral,
                user=request.user,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except services.ReferralError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The referral is updated."))
    else:
        messages.error(request, _("Choose a status that is possible now."))
    return redirect("casework:referral-detail", referral_id=referral.pk)


@staff_required("casework.view_referral_results")
def referral_results_view(request: StaffRequest) -> HttpResponse:
    return render(
        request, "casework/referral_results.html", {"rows": services.referral_results_per_service()}
    )


def _referral_or_403(request: HttpRequest, referral_id, permission: str) -> Referral:
    referral = get_object_or_404(
        Referral.objects.select_related(
            "service__organisation", "case", "person", "referred_by__organisation"
        ),
        pk=referral_id,
    )
    if not rules.has_perm(permission, request.user, referral):
        raise PermissionDenied
    return referral


def _statuses_for(user, referral: Referral) -> list[str]:
    allowed = []
    for status in referral.next_statuses():
        if status == "withdrawn":
            if rules.has_perm("casework.withdraw_referral", user, referral):
                allowed.append(status)
        elif rules.has_perm("casework.answer_referral", user, referral):
            allowed.append(status)
    return allowed


# --- casustafel -------------------------------------------------------------------------------


@staff_required("casustafel.escalate")
def escalate_view(request: StaffRequest, case_id) -> HttpResponse:
    case = _case_or_403(request, case_id, "casework.view_case")
    form = EscalationForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.escalation_request(
            case=case,
            user=request.user,
            table=data["table"],
            reason=data["reason"],
            goal=data["goal"],
            partners=list(data["partners"]),
        )
        messages.success(request, _("The case is put forward for the casustafel."))
        return redirect("casework:case-detail", case_id=case.pk)
    return render(request, "casework/escalation_form.html", {"case": case, "form": form})


@staff_required("casustafel.participate")
def case_table_view(request: StaffRequest) -> HttpResponse:
    meetings = services.meetings_for(user=request.user)
    now = timezone.now()
    chair = rules.has_perm("casustafel.chair", request.user)
    region = request.user.organisation.region if request.user.organisation else None
    return render(
        request,
        "casework/case_table.html",
        {
            "upcoming": meetings.filter(starts_at__gte=now - timedelta(hours=12)),
            "past": meetings.filter(starts_at__lt=now - timedelta(hours=12)).order_by("-starts_at")[
                :20
            ],
            "waiting": services.escalations_waiting(user=request.user) if chair else None,
            "meeting_form": MeetingForm(region=region) if chair else None,
        },
    )


@require_POST
@staff_required("casustafel.chair")
def meeting_plan_view(request: StaffRequest) -> HttpResponse:
    region = request.user.organisation.region if request.user.organisation else None
    form = MeetingForm(request.POST, region=region)
    if form.is_valid():
        meeting = services.meeting_plan(
            table=form.cleaned_data["table"], starts_at=form.cleaned_data["starts_at"]
        )
        return redirect("casework:meeting-detail", meeting_id=meeting.pk)
    messages.error(request, _("Choose a casustafel and a date and time."))
    return redirect("casework:case-table")


@never_cache
@staff_required("casustafel.participate")
def meeting_detail_view(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("table"), pk=meeting_id)
    if not rules.has_perm("casustafel.view_meeting", request.user, meeting):
        raise PermissionDenied
    chair = rules.has_perm("casustafel.chair_meeting", request.user, meeting)
    items = []
    for item in meeting.items.select_related("escalation__case", "escalation__requested_by"):
        visible = rules.has_perm("casustafel.view_item", request.user, item)
        items.append(
            {
                "item": item,
                "visible": visible,
                # A confidential case shows names and dates of birth only to its own team and the
                # chair; other participants see role, sex, age group and nationality.
                "show_identity": chair
                or item.case.confidentiality != "confidential"
                or item.case.members.filter(user=request.user).exists(),
                "persons": services.item_persons_for(item=item) if visible else [],
                "decisions": item.decisions.all() if visible else [],
                "actions": item.actions.select_related("owner") if visible else [],
                "decision_form": DecisionForm(meeting=meeting, prefix=f"item{item.pk}")
                if chair
                else None,
            }
        )
    if any(i["visible"] for i in items):
        audit_read(
            [i["item"].escalation for i in items if i["visible"]],
            purpose="casustafel",
            fields=["reason", "goal"],
        )
    return render(
        request,
        "casework/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "chair": chair,
            "agenda_form": AgendaAddForm(meeting=meeting) if chair else None,
        },
    )


@require_POST
@staff_required("casustafel.chair")
def agenda_add_view(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("table"), pk=meeting_id)
    if not rules.has_perm("casustafel.chair_meeting", request.user, meeting):
        raise PermissionDenied
    form = AgendaAddForm(request.POST, meeting=meeting)
    if form.is_valid():
        services.agenda_add(
            meeting=meeting, escalation=form.cleaned_data["escalation"], user=request.user
        )
        messages.success(request, _("The case is on the agenda."))
    else:
        messages.error(request, _("Choose a case that was put forward."))
    return redirect("casework:meeting-detail", meeting_id=meeting.pk)


@require_POST
@staff_required("casustafel.chair")
def decision_view(request: StaffRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__table", "escalation__case"), pk=item_id
    )
    if not rules.has_perm("casustafel.chair_meeting", request.user, item.meeting):
        raise PermissionDenied
    form = DecisionForm(request.POST, meeting=item.meeting, prefix=f"item{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        services.decision_record(
            item=item,
            user=request.user,
            text=data["text"],
            action_description=data["action_description"],
            action_owner=data["action_owner"],
            action_due=data["action_due"],
            de_escalate=data["de_escalate"],
            feedback=data["feedback"],
        )
        messages.success(request, _("The decision is recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect("casework:meeting-detail", meeting_id=item.meeting_id)


# --- exports ----------------------------------------------------------------------------------


@staff_required("casework.export")
def export_view(request: StaffRequest, kind: str, fmt: str) -> HttpResponse:
    """``/werk/export/meldingen.csv`` etc.; optional ``?van=YYYY-MM-DD&tot=YYYY-MM-DD``."""
    if kind not in ("meldingen", "landelijke-registratie") or fmt not in ("csv", "xlsx"):
        raise Http404
    organisation = request.user.organisation
    region_id = organisation.region_id if organisation else None
    in_region = Signal.objects.filter(region_id=region_id) if region_id else Signal.objects.none()
    signals = in_region.select_related("municipality", "case", "region")
    start, end = (
        parse_date(request.GET.get("van", "") or ""),
        parse_date(request.GET.get("tot", "") or ""),
    )
    if start:
        signals = signals.filter(received_at__date__gte=start)
    if end:
        signals = signals.filter(received_at__date__lte=end)
    if kind == "meldingen":
        rows = exports.signal_rows(signals.order_by("received_at").iterator(chunk_size=2000))
    else:
        rows = exports.national_rows(
            signals.prefetch_related("persons", "indicators").order_by("received_at")
        )
    audit_record(
        action=AuditAction.EXPORT,
        object_type="casework.Signal",
        purpose=f"export {kind}",
        fields=["(aggregated, no direct identifiers)"],
    )
    filename = f"baken-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(rows, kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_required("casework.work_cases")
def document_upload_view(request: StaffRequest, case_id) -> HttpResponse:
    case = _case_or_403(request, case_id, "casework.view_case")
    form = DocumentForm(request.POST, request.FILES)
    if case.status == "closed":
        messages.error(request, _("This case is closed."))
    elif form.is_valid():
        try:
            services.document_add(
                case=case,
                user=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except services.DocumentRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The document is added."))
    else:
        messages.error(request, _("Choose a file to add."))
    return redirect("casework:case-detail", case_id=case.pk)


@never_cache
@staff_required("casework.work_cases")
def document_download_view(request: StaffRequest, case_id, document_id: int) -> HttpResponse:
    case = _case_or_403(request, case_id, "casework.view_case")
    document = get_object_or_404(CaseDocument, pk=document_id, case=case)
    data = services.document_read(document=document, purpose="case file")
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
