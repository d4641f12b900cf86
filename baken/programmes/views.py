"""Programme managers keep projects; the portal shows them, with how each is financed."""

from __future__ import annotations

import secrets
from datetime import timedelta

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.http import StaffRequest
from baken.directory.models import Organisation
from baken.lib import anonymity
from baken.lib.access import staff_required
from baken.lib.forms import model_choice_field
from baken.lib.http import no_store
from baken.programmes import services, story
from baken.programmes.forms import (
    ActivityForm,
    FeedbackForm,
    JoinForm,
    LessonStartForm,
    ProjectForm,
    ReachFilterForm,
    ResultFormSet,
    ScenarioForm,
    SceneForm,
    TrainerForm,
    choice_formset,
)
from baken.programmes.models import (
    Activity,
    ClassSession,
    LessonState,
    Programme,
    Project,
    Scenario,
    Scene,
)
from baken.programmes.services import NEW_SCENE


@staff_required("programmes.manage")
def project_list_view(request: StaffRequest) -> HttpResponse:
    programmes = Programme.objects.prefetch_related("projects__owner")
    return render(request, "programmes/project_list.html", {"programmes": programmes})


@staff_required("programmes.manage")
def project_form_view(request: StaffRequest, project_id: int | None = None) -> HttpResponse:
    project = get_object_or_404(Project, pk=project_id) if project_id else Project()
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        try:
            services.project_save(project=project, partners=form.cleaned_data["partners"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("programmes:projects")
    return render(
        request,
        "programmes/project_form.html",
        {"form": form, "project": project},
        status=400 if request.method == "POST" else 200,
    )


def public_project_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/public_list.html", {"projects": services.projects_public()})


def public_project_view(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(services.projects_public(), slug=slug)
    reach = project.activities.aggregate(n=models.Count("id"), reached=models.Sum("participants"))
    return render(request, "programmes/public_project.html", {"project": project, "reach": reach})


# --- Scenario lessons: the editor ---------------------------------------------------------------


@staff_required("programmes.teach")
def lesson_home_view(request: StaffRequest) -> HttpResponse:
    """Scenarios ready to give (or what still keeps them from it) and the lessons given."""
    scenarios = [
        {"scenario": scenario, "problems": services.scenario_problems(scenario)}
        for scenario in Scenario.objects.all()
    ]
    sessions = ClassSession.objects.select_related("scenario", "municipality", "teacher")[:50]
    return render(
        request,
        "programmes/lesson_home.html",
        {"scenarios": scenarios, "sessions": sessions},
    )


@staff_required("programmes.scenarios")
def scenario_form_view(request: StaffRequest, scenario_id: int | None = None) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=scenario_id) if scenario_id else Scenario()
    form = ScenarioForm(request.POST or None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        scenario = form.save()
        messages.success(request, _("The scenario is saved."))
        return redirect("programmes:scenario", scenario_id=scenario.pk)
    context: dict[str, object] = {"form": form, "scenario": scenario}
    if scenario.pk:
        context["scenes"] = scenario.scenes.prefetch_related("choices__leads_to")
        context["problems"] = services.scenario_problems(scenario)
    return render(
        request,
        "programmes/scenario_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@staff_required("programmes.scenarios")
def scene_form_view(
    request: StaffRequest, scenario_id: int, scene_id: int | None = None
) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    scene = (
        get_object_or_404(scenario.scenes, pk=scene_id) if scene_id else Scene(scenario=scenario)
    )
    scenes = [s for s in scenario.scenes.all() if s.pk != scene.pk]
    scenes_by_key = {str(s.pk): s for s in scenes}
    form = SceneForm(request.POST or None, instance=scene)
    choices = choice_formset(request.POST or None, scene=scene, scenes=scenes)
    if request.method == "POST" and form.is_valid() and choices.is_valid():
        rows = [
            {
                "label": row["label"],
                "consequence": row["consequence"],
                "leads_to": NEW_SCENE
                if row["leads_to"] == NEW_SCENE
                else scenes_by_key.get(row["leads_to"]),
            }
            for row in choices.cleaned_data
            if row.get("label")
        ]
        try:
            services.scene_save(scene=form.save(commit=False), choices=rows)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Scene “%(title)s” is saved.") % {"title": scene.title})
            return redirect("programmes:scenario", scenario_id=scenario.pk)
    return render(
        request,
        "programmes/scene_form.html",
        {"form": form, "choices": choices, "scenario": scenario, "scene": scene},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@staff_required("programmes.scenarios")
def scene_delete_view(request: StaffRequest, scenario_id: int, scene_id: int) -> HttpResponse:
    scene = get_object_or_404(Scene, pk=scene_id, scenario_id=scenario_id)
    try:
        services.scene_delete(scene)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scene is deleted."))
    return redirect("programmes:scenario", scenario_id=scenario_id)


# --- Scenario lessons: the class screen -------------------------------------------------------


@staff_required("programmes.teach")
def lesson_start_view(request: StaffRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    form = LessonStartForm(request.POST or None)
    problems = services.scenario_problems(scenario)
    if request.method == "POST" and form.is_valid() and not problems:
        session = services.lesson_start(
            scenario=scenario, teacher=request.user, **form.cleaned_data
        )
        return redirect("programmes:board", session_id=session.pk)
    return render(
        request,
        "programmes/lesson_start.html",
        {"form": form, "scenario": scenario, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def _own_session(request: HttpRequest, session_id: int) -> ClassSession:
    """The class screen is the teacher's own: others who may teach see the totals in the list."""
    return get_object_or_404(ClassSession, pk=session_id, teacher=request.user)


def _board_context(request: HttpRequest, session: ClassSession) -> dict:
    scene = services.lesson_scene(session)
    counts = services.lesson_counts(session) if session.state != LessonState.READING else []
    shares = story.largest_remainder_percentages(counts) if counts else []
    leading = story.leaders(counts) if session.state == LessonState.RESULT else []
    return {
        "session": session,
        "scene": scene,
        "votes": sum(counts),
        "tally": [
            {"index": i, "choice": choice, "votes": n, "share": share, "leads": i in leading}
            for i, (choice, n, share) in enumerate(zip(scene.choices, counts, shares, strict=False))
        ],
        "tie": len(leading) > 1,
        "path": services.lesson_path(session),
        "join_url": request.build_absolute_uri(reverse("programmes:join")),
        "phones": services.lesson_phones(session),
        "scenario": session.scenario,
    }


@staff_required("programmes.teach")
def board_view(request: StaffRequest, session_id: int) -> HttpResponse:
    session = _own_session(request, session_id)
    return render(request, "programmes/board.html", _board_context(request, session))


@staff_required("programmes.teach")
def board_part_view(request: StaffRequest, session_id: int) -> HttpResponse:
    session = _own_session(request, session_id)
    return no_store(
        render(request, "programmes/_board_part.html", _board_context(request, session))
    )


@require_POST
@staff_required("programmes.teach")
def board_step_view(request: StaffRequest, session_id: int, step: str) -> HttpResponse:
    session = _own_session(request, session_id)
    steps = {
        "stemmen": services.lesson_open_vote,
        "sluiten": services.lesson_close_vote,
        "einde": services.lesson_end,
    }
    try:
        if step == "verder":
            services.lesson_next(session, _small_number(request.POST.get("choice", ""), digits=2))
        elif step in steps:
            steps[step](session)
        else:
            raise Http404
    except services.LessonError as error:
        messages.error(request, str(error))
    if request.headers.get("HX-Request"):
        return board_part_view(request, session_id)
    return redirect("programmes:board", session_id=session.pk)


# --- Scenario lessons: the pupils' phones (no account, nothing about them kept) -----------------

VOTER_COOKIE = "baken_klas"


def _visitor_key(request: HttpRequest) -> str:
    return anonymity.visitor_key(anonymity.client_address(request))


def _guessing(request: HttpRequest) -> bool:
    return services.lesson_code_guessing(_visitor_key(request))


def _wrong_code(request: HttpRequest) -> None:
    services.lesson_code_wrong(_visitor_key(request))


def join_view(request: HttpRequest) -> HttpResponse:
    """A pupil types the code on the board; the phone is admitted to the lesson."""
    form = JoinForm(request.POST or None)
    voter = _voter(request)
    if request.method == "POST" and form.is_valid():
        if _guessing(request):
            form.add_error("code", _("Too many wrong codes. Wait ten minutes and try again."))
        elif (session := services.lesson_running_by_code(form.cleaned_data["code"])) is not None:
            if services.lesson_admit(session, voter, address_key=_visitor_key(request)):
                return _with_voter(redirect("programmes:pupil", code=session.code), voter)
            form.add_error(
                "code",
                _("This lesson is full")
                + ". "
                + _("Too many phones have joined. Watch the board with the class."),
            )
        else:
            _wrong_code(request)
            form.add_error("code", _("There is no lesson with this code now. Look at the board."))
    return _with_voter(
        render(
            request,
            "programmes/join.html",
            {"form": form},
            status=400 if request.method == "POST" else 200,
        ),
        voter,
    )


def _voter(request: HttpRequest) -> str:
    token = request.COOKIES.get(VOTER_COOKIE, "")
    if len(token) == 32 and all(ch in "0123456789abcdef" for ch in token):
        return token
    return secrets.token_hex(16)


def _with_voter(response: HttpResponse, voter: str) -> HttpResponse:
    """A random token in a cookie for this browser session only: it lets a phone vote once per
    round. It is never stored with a vote (only a count is) and names nobody."""
    response.set_cookie(
        VOTER_COOKIE,
        voter,
        httponly=True,
        samesite="Strict",
        path="/klas/",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return no_store(response)


def _pupil_context(session: ClassSession, voter: str) -> dict:
    return {
        "admitted": services.lesson_is_admitted(session, voter),
        "full": services.lesson_is_full(session),
        "session": session,
        "scene": services.lesson_scene(session),
        "round": services.lesson_round(session),
        "voted": services.lesson_has_voted(session, voter),
        "scenario": session.scenario,
    }


def _lesson_for_pupil(request: HttpRequest, code: str) -> ClassSession | None:
    """The lesson with this code: running, or ended within the last hour (its pupils still see
    where to find help). An unknown code counts as a wrong guess."""
    if _guessing(request):
        return None
    session = services.lesson_running_by_code(code)
    if session is None and code.isascii() and code.isdigit() and len(code) == 6:
        session = (
            ClassSession.objects.filter(
                code=code,
                state=LessonState.ENDED,
                ended_at__gte=timezone.now() - timedelta(hours=1),
            )
            .order_by("-ended_at")
            .first()
        )
    if session is None:
        _wrong_code(request)
    return session


def pupil_view(request: HttpRequest, code: str) -> HttpResponse:
    session = _lesson_for_pupil(request, code)
    if session is None:
        return redirect("programmes:join")
    voter = _voter(request)
    return _with_voter(
        render(request, "programmes/pupil.html", _pupil_context(session, voter)), voter
    )


def pupil_part_view(request: HttpRequest, code: str) -> HttpResponse:
    session = _lesson_for_pupil(request, code)
    if session is None:
        return no_store(HttpResponse(status=404))
    voter = _voter(request)
    return _with_voter(
        render(request, "programmes/_pupil_part.html", _pupil_context(session, voter)), voter
    )


def _small_number(raw: str, *, digits: int = 4) -> int | None:
    """A whole number typed in ASCII digits (never "²" or a thousand digits), or None."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= digits else None


@require_POST
def pupil_vote_view(request: HttpRequest, code: str) -> HttpResponse:
    session = _lesson_for_pupil(request, code)
    if session is None or session.state == LessonState.ENDED:
        return redirect("programmes:join")
    voter = _voter(request)
    round_number = _small_number(request.POST.get("round", ""))
    choice = _small_number(request.POST.get("choice", ""), digits=2)
    counted = (
        round_number is not None
        and choice is not None
        and services.lesson_vote(
            session=session, round_number=round_number, choice=choice, voter=voter
        )
    )
    session.refresh_from_db()
    context = _pupil_context(session, voter)
    if not counted and not context["voted"] and context["admitted"]:
        context["refused"] = _("That vote did not count: voting is closed. Look at the board.")
    template = (
        "programmes/_pupil_part.html"
        if request.headers.get("HX-Request")
        else "programmes/pupil.html"
    )
    return _with_voter(render(request, template, context), voter)


# --- Prevention activities, trainers and reach --------------------------------------------------


def _filtered_activities(form: ReachFilterForm):
    activities = Activity.objects.all()
    if not form.is_valid():
        return activities
    data = form.cleaned_data
    if data.get("year"):
        activities = activities.filter(held_on__year=data["year"])
    if data.get("municipality"):
        activities = activities.filter(municipality=data["municipality"])
    if data.get("audience"):
        activities = activities.filter(audience=data["audience"])
    if data.get("theme"):
        # JSON lists are searched in Python: SQLite and PostgreSQL answer `contains` differently.
        ids = [a.pk for a in activities.only("pk", "themes") if data["theme"] in a.themes]
        activities = activities.filter(pk__in=ids)
    return activities


@staff_required("programmes.teach")
def activity_list_view(request: StaffRequest) -> HttpResponse:
    """Prevention activities and whom they reached, per municipality, theme and audience."""
    form = ReachFilterForm(request.GET or None)
    activities = _filtered_activities(form)
    totals = activities.aggregate(n=models.Count("id"), reached=models.Sum("participants"))
    return render(
        request,
        "programmes/activity_list.html",
        {
            "form": form,
            "activities": activities.select_related("municipality", "organisation", "trainer")[
                :200
            ],
            "reach": services.reach(activities),
            "totals": totals,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@staff_required("programmes.teach")
def activity_form_view(request: StaffRequest, activity_id: int | None = None) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=activity_id) if activity_id else Activity()
    if not services.activity_may_edit(request.user, activity):
        raise PermissionDenied  # another organisation's activity, and its participants' words
    form = ActivityForm(request.POST or None, instance=activity)
    if not rules.has_perm("programmes.manage", request.user):
        # An educator records for their own organisation.
        own = request.user.organisation_id
        model_choice_field(form, "organisation").queryset = (
            Organisation.objects.filter(pk=own) if own else Organisation.objects.none()
        )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_save(activity=form.save(commit=False), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("programmes:activity", activity_id=activity.pk)
    context: dict[str, object] = {"form": form, "activity": activity}
    if activity.pk:
        context["feedback"] = services.feedback_summary(activity)
        context["feedback_url"] = request.build_absolute_uri(
            reverse("programmes:feedback", args=[activity.feedback_code])
        )
    return render(
        request,
        "programmes/activity_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@staff_required("programmes.teach")
def trainer_list_view(request: StaffRequest) -> HttpResponse:
    """Train-the-trainer: who was trained, and the sessions they gave since."""
    form = TrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The trainer is added."))
        return redirect("programmes:trainers")
    return render(
        request,
        "programmes/trainer_list.html",
        {"form": form, "trainers": services.trainers_with_reach()},
        status=400 if request.method == "POST" else 200,
    )


def feedback_view(request: HttpRequest, code: str) -> HttpResponse:
    """Public: a participant says how useful an activity was. No account, nothing about them."""
    activity = get_object_or_404(Activity, feedback_code=code)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        key = anonymity.visitor_key(anonymity.client_address(request))
        if anonymity.hit("feedback", key, limit=60, window_seconds=3600):
            form.add_error(None, _("Many answers came from here. Try again in an hour."))
        elif form.is_valid():
            services.feedback_give(activity=activity, **form.cleaned_data)
            return no_store(
                render(request, "programmes/feedback_thanks.html", {"activity": activity})
            )
    return no_store(
        render(
            request,
            "programmes/feedback.html",
            {"form": form, "activity": activity},
            status=400 if request.method == "POST" else 200,
        )
    )


def _result_lines(formset) -> list[services.ResultValues]:
    """The valid result formset as values: lines left empty are skipped, ticked ones removed."""
    lines = []
    for form in formset.forms:
        existing = form.instance.pk
        if not existing and not form.has_changed():
            continue
        data = form.cleaned_data
        lines.append(
            services.ResultValues(
                description=data.get("description", ""),
                year=data.get("year"),
                planned=data.get("planned"),
                achieved=data.get("achieved"),
                result_id=existing,
                delete=bool(data.get("DELETE")) or form in formset.deleted_forms,
            )
        )
    return lines


@staff_required("programmes.manage")
def project_results_view(request: StaffRequest, project_id: int) -> HttpResponse:
    """Planned and achieved results of a project ("at least five municipalities reached")."""
    project = get_object_or_404(Project, pk=project_id)
    formset = ResultFormSet(request.POST or None, instance=project, prefix="result")
    if request.method == "POST" and formset.is_valid():
        services.results_save(project=project, lines=_result_lines(formset))
        messages.success(request, _("The results are saved."))
        return redirect("programmes:project-results", project_id=project.pk)
    return render(
        request,
        "programmes/project_results.html",
        {"project": project, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@staff_required("programmes.manage")
def project_report_view(request: StaffRequest, project_id: int) -> HttpResponse:
    """The progress report of one year for the funder: print it or save it as PDF."""
    project = get_object_or_404(Project.objects.select_related("programme", "owner"), pk=project_id)
    years = list(range(project.starts_on.year, project.ends_on.year + 1))
    this_year = timezone.localdate().year
    year = _small_number(request.GET.get("year", ""))
    if year is None:
        year = min(max(this_year, years[0]), years[-1])
    if year not in years:
        return render(
            request,
            "programmes/project_report.html",
            {
                "project": project,
                "years": years,
                "error": _("The project runs from %(start)d to %(end)d.")
                % {"start": years[0], "end": years[-1]},
            },
            status=400,
        )
    return render(
        request,
        "programmes/project_report.html",
        {"project": project, "years": years, "report": services.project_report(project, year)},
    )
