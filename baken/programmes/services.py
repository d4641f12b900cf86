"""The programmes context's public API: programmes and projects with their funding rules and
what the portal shows of them; prevention activities and their reach; scenario lessons (the
story checked by ``story.py``, a class kept in step over a websocket, only totals stored).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import rules
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baken.audit.services import AuditAction, audit_record
from baken.directory.models import ExploitationForm
from baken.lib import anonymity
from baken.programmes import story
from baken.programmes.models import (
    Activity,
    ActivityAudience,
    ActivityKind,
    Choice,
    ClassSession,
    Feedback,
    LessonState,
    Project,
    Result,
    RoundCount,
    Scenario,
    Scene,
    Trainer,
)
from baken.programmes.shipped_scenarios import SHIPPED, ShippedScenario

__all__ = [
    "activity_from_lesson",
    "activity_may_edit",
    "activity_save",
    "feedback_give",
    "feedback_summary",
    "FeedbackSummary",
    "lesson_admit",
    "lesson_close_vote",
    "lesson_code_guessing",
    "lesson_code_wrong",
    "lesson_counts",
    "lesson_end",
    "lesson_group",
    "lesson_has_voted",
    "lesson_is_admitted",
    "lesson_is_full",
    "lesson_next",
    "lesson_running_by_code",
    "lesson_open_vote",
    "lesson_path",
    "lesson_phones",
    "lesson_round",
    "lesson_scene",
    "lesson_start",
    "lesson_vote",
    "LessonError",
    "lessons_close_stale",
    "MAX_PHONES_PER_ADDRESS",
    "MAX_PHONES_PER_LESSON",
    "NEW_SCENE",
    "project_report",
    "project_save",
    "ProjectReport",
    "projects_public",
    "reach",
    "ReachRow",
    "ResultLine",
    "results_save",
    "ResultValues",
    "scenario_problems",
    "scenarios_install",
    "scene_delete",
    "scene_save",
    "STALE_LESSON_HOURS",
    "story_of",
    "trainers_with_reach",
    "WRONG_CODES_ALLOWED",
]


def project_save(*, project: Project, partners=None) -> Project:
    """Check the funding rules (a subsidy needs its ceiling and years; money from elsewhere needs
    its explanation) and the period, then store."""
    project.full_clean()
    project.updated_at = timezone.now()
    with transaction.atomic():
        project.save()
        if partners is not None:
            project.partners.set(partners)
    audit_record(
        action=AuditAction.UPDATE,
        object_type="programmes.Project",
        object_id=project.pk,
        fields=["funding", "budget", "funding_explanation"],
        purpose="programmes",
    )
    return project


def projects_public():
    return (
        Project.objects.filter(public=True)
        .select_related("programme", "owner")
        .prefetch_related("partners", "results")
    )


# --- Scenario lessons --------------------------------------------------------------------------


class LessonError(Exception):
    """A lesson step that cannot be taken now; the message is for the person who tried."""


def story_of(scenario: Scenario) -> story.Story:
    """The scenario as plain data, scene keys being the scenes' primary keys."""
    scenes = scenario.scenes.prefetch_related("choices")
    return story.Story(
        start=str(scenario.start_id) if scenario.start_id else None,
        scenes={
            str(scene.pk): story.Scene(
                key=str(scene.pk),
                title=scene.title,
                text=scene.text,
                ending=scene.ending,
                survivor_voice=scene.survivor_voice,
                choices=tuple(
                    story.Choice(
                        label=choice.label,
                        leads_to=str(choice.leads_to_id) if choice.leads_to_id else None,
                        consequence=choice.consequence,
                    )
                    for choice in scene.choices.all()
                ),
            )
            for scene in scenes
        },
    )


def scenario_problems(scenario: Scenario) -> list[str]:
    """What keeps the scenario from being given to a class, in words for its editor."""
    plot = story_of(scenario)

    def title(key):
        return plot.scenes[key].title if key in plot.scenes else key

    messages = {
        "empty": lambda p: _("The scenario has no scenes yet."),
        "no_start": lambda p: _("Choose the scene the story starts with."),
        "ending_with_choices": lambda p: (
            _("Scene “%(scene)s” ends the story but still offers choices.")
            % {"scene": title(p.scene)}
        ),
        "dead_end": lambda p: (
            _(
                "Scene “%(scene)s” offers no choice and does not end the story: add a choice or "
                "mark it as an ending."
            )
            % {"scene": title(p.scene)}
        ),
        "leads_nowhere": lambda p: (
            _(
                "Choice “%(choice)s” in scene “%(scene)s” leads nowhere: choose the scene it leads to."
            )
            % {"choice": p.choice, "scene": title(p.scene)}
        ),
        "no_ending": lambda p: _("No scene ends the story: mark at least one scene as an ending."),
        "unreachable": lambda p: (
            _("No choice leads to scene “%(scene)s”.") % {"scene": title(p.scene)}
        ),
        "no_way_out": lambda p: (
            _(
                "From scene “%(scene)s” the class can never reach an ending: the choices go round "
                "in a circle."
            )
            % {"scene": title(p.scene)}
        ),
    }
    return [str(messages[p.code](p)) for p in story.problems(plot)]


NEW_SCENE = "new"


def scene_save(*, scene: Scene, choices: list[dict]) -> Scene:
    """Store a scene with its choices (``label``, ``consequence``, ``leads_to``: a scene of the
    same scenario, or ``NEW_SCENE`` for an empty scene made for it, to be written next). A
    choice that leads nowhere is refused; the caller keeps what was typed in the form."""
    errors = []
    for position, choice in enumerate(choices, start=1):
        target = choice.get("leads_to")
        if target is None:
            errors.append(
                _("Choice %(n)d, “%(label)s”, leads nowhere: choose the scene it leads to.")
                % {"n": position, "label": choice["label"]}
            )
        elif target != NEW_SCENE and target.scenario_id != scene.scenario_id:
            errors.append(_("Choice %(n)d leads to a scene of another scenario.") % {"n": position})
    if scene.ending and choices:
        errors.append(_("A scene that ends the story offers no choices: remove them."))
    if errors:
        raise ValidationError(errors)
    scenario = scene.scenario
    with transaction.atomic():
        last = scenario.scenes.aggregate(models.Max("position"))["position__max"] or 0
        if scene.pk is None:
            last += 1
            scene.position = last
        scene.save()
        scene.choices.all().delete()
        rows = []
        for position, choice in enumerate(choices):
            target = choice["leads_to"]
            if target == NEW_SCENE:
                last += 1
                target = Scene.objects.create(
                    scenario=scenario, title=choice["label"][:120], text="", position=last
                )
            rows.append(
                Choice(
                    scene=scene,
                    label=choice["label"],
                    consequence=choice.get("consequence", ""),
                    leads_to=target,
                    position=position,
                )
            )
        Choice.objects.bulk_create(rows)
        if scenario.start_id is None:
            scenario.start = scene
        scenario.updated_at = timezone.now()
        scenario.save(update_fields=["start", "updated_at"])
    return scene


def scene_delete(scene: Scene) -> None:
    """Delete a scene no choice leads to, and not the first one; otherwise say why not, so that
    nothing ends up leading nowhere."""
    arriving = scene.arriving_choices.exclude(scene=scene).count()
    if arriving:
        raise ValidationError(
            ngettext(
                "%(n)d choice leads to this scene: let it lead elsewhere first.",
                "%(n)d choices lead to this scene: let them lead elsewhere first.",
                arriving,
            )
            % {"n": arriving}
        )
    if scene.scenario.start_id == scene.pk:
        raise ValidationError(_("This is the first scene: choose another first scene before."))
    scene.delete()


def lesson_group(session: ClassSession) -> str:
    return f"lesson.{session.pk}"


def _announce(session: ClassSession, change: str) -> None:
    """Tell every screen and phone of the lesson that it changed (``state``: everybody looks
    again; ``vote``: only the class screen, for its count). Sent after the commit."""
    group, message = lesson_group(session), {"type": "lesson.changed", "change": change}

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, message)

    transaction.on_commit(send)


def lesson_start(
    *, scenario: Scenario, teacher, group_name: str, school: str = "", municipality=None
) -> ClassSession:
    """Start a class on a scenario that can be played, with a join code no open lesson uses."""
    found = scenario_problems(scenario)
    if found:
        raise LessonError(_("This scenario cannot be given yet: ") + " ".join(found))
    plot = story_of(scenario)
    if plot.start is None:  # scenario_problems reports a missing start; this keeps it so
        raise LessonError(_("This scenario cannot be given yet: it has no first scene."))
    open_codes = set(
        ClassSession.objects.exclude(state=LessonState.ENDED).values_list("code", flat=True)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    while code in open_codes:
        code = f"{secrets.randbelow(10**6):06d}"
    session = ClassSession.objects.create(
        scenario=scenario,
        story=plot.as_dict(),
        code=code,
        teacher=teacher,
        group_name=group_name,
        school=school,
        municipality=municipality,
        scene_key=plot.start,
    )
    return session


def lesson_running_by_code(code: str) -> ClassSession | None:
    """The running lesson with this join code, or None."""
    if not (code.isdigit() and len(code) == 6):
        return None
    return ClassSession.objects.exclude(state=LessonState.ENDED).filter(code=code).first()


def lesson_scene(session: ClassSession) -> story.Scene:
    return story.Story.from_dict(session.story).scene(session.scene_key)


def lesson_round(session: ClassSession) -> int:
    return len(session.rounds)


@contextmanager
def _lesson_step(session: ClassSession, *allowed: str, refusal: str):
    """One step of the teacher, under a lock on the lesson's row, from one of the ``allowed``
    states: a double click or two open class screens cannot take the same step twice."""
    with transaction.atomic():
        locked = ClassSession.objects.select_for_update().get(pk=session.pk)
        if locked.state not in allowed:
            raise LessonError(refusal)
        yield locked
        locked.save()
        _announce(locked, "state")
    session.refresh_from_db()


def lesson_open_vote(session: ClassSession) -> None:
    with _lesson_step(
        session, LessonState.READING, refusal=_("There is nothing to vote on now.")
    ) as locked:
        scene = lesson_scene(locked)
        if scene.ending:
            raise LessonError(_("There is nothing to vote on now."))
        RoundCount.objects.bulk_create(
            RoundCount(session=locked, round=lesson_round(locked), choice=i)
            for i in range(len(scene.choices))
        )
        locked.state = LessonState.VOTING


#: Phones one lesson admits: a class, or a few classes in a hall. It bounds what a script that
#: throws its cookie away after every vote can add to a round.
MAX_PHONES_PER_LESSON = 120
_LESSON_CACHE_SECONDS = 6 * 3600


#: Phones one address (a school's network, hashed) may bring into one lesson.
MAX_PHONES_PER_ADDRESS = 60


#: Wrong lesson codes one address may try in ten minutes (the join form, a pupil's page or the
#: lesson's websocket): enough for typing errors, far too few to find a lesson by trying.
WRONG_CODES_ALLOWED = 30


def lesson_code_guessing(visitor_key: str) -> bool:
    """Whether this (hashed) address already tried too many wrong codes."""
    return anonymity.is_limited("lesson-join", visitor_key, limit=WRONG_CODES_ALLOWED)


def lesson_code_wrong(visitor_key: str) -> None:
    anonymity.hit("lesson-join", visitor_key, limit=WRONG_CODES_ALLOWED, window_seconds=600)


def lesson_admit(session: ClassSession, voter: str, *, address_key: str) -> bool:
    """Let a phone (its random token) take part, once it typed the lesson's code; False when the
    lesson is full, or when one address brought in more phones than a class has. Only the cache
    knows the token (for six hours) and the hashed address; neither reaches the database."""
    key = f"lesson-phone:{session.pk}:{voter}"
    if cache.get(key) is not None:
        return True
    if lesson_phones(session) >= MAX_PHONES_PER_LESSON:
        return False
    seen_from_address = anonymity.count(
        f"lesson-address:{session.pk}:{address_key}", window_seconds=_LESSON_CACHE_SECONDS
    )
    if seen_from_address > MAX_PHONES_PER_ADDRESS:
        return False
    anonymity.count(f"lesson-phones:{session.pk}", window_seconds=_LESSON_CACHE_SECONDS)
    cache.set(key, 1, timeout=_LESSON_CACHE_SECONDS)
    _announce(session, "phones")
    return True


def lesson_phones(session: ClassSession) -> int:
    """How many phones joined the lesson (the class screen shows it)."""
    return cache.get(f"lesson-phones:{session.pk}") or 0


def lesson_is_full(session: ClassSession) -> bool:
    return lesson_phones(session) >= MAX_PHONES_PER_LESSON


def lesson_is_admitted(session: ClassSession, voter: str) -> bool:
    return cache.get(f"lesson-phone:{session.pk}:{voter}") is not None


def lesson_vote(*, session: ClassSession, round_number: int, choice: int, voter: str) -> bool:
    """Count one pupil's vote. ``voter`` is the random token of a phone admitted to the lesson;
    it is only used, in the cache, to refuse a second vote in the same round, and never stored.
    Returns False for a vote that does not count (voting closed, another round, already voted,
    a phone that never opened the lesson)."""
    if session.state != LessonState.VOTING or round_number != lesson_round(session):
        return False
    if not lesson_is_admitted(session, voter):
        return False
    key = f"lesson-vote:{session.pk}:{round_number}:{voter}"
    if not cache.add(key, 1, timeout=_LESSON_CACHE_SECONDS):
        return False
    counted = RoundCount.objects.filter(
        session=session, session__state=LessonState.VOTING, round=round_number, choice=choice
    ).update(votes=models.F("votes") + 1)
    if counted:
        _announce(session, "vote")
    else:
        cache.delete(key)
    return bool(counted)


def lesson_has_voted(session: ClassSession, voter: str) -> bool:
    return cache.get(f"lesson-vote:{session.pk}:{lesson_round(session)}:{voter}") is not None


def lesson_counts(session: ClassSession) -> list[int]:
    """Votes per choice: running while the vote is open, frozen once it is closed."""
    if session.state == LessonState.RESULT:
        return list(session.result_counts)
    scene = lesson_scene(session)
    counts = [0] * len(scene.choices)
    for row in RoundCount.objects.filter(session=session, round=lesson_round(session)):
        if row.choice < len(counts):
            counts[row.choice] = row.votes
    return counts


def lesson_close_vote(session: ClassSession) -> None:
    """Close the vote: the counts are frozen here, so a vote still on its way changes neither
    what the class sees nor which way the story goes."""
    with _lesson_step(session, LessonState.VOTING, refusal=_("Voting is not open.")) as locked:
        counts = lesson_counts(locked)
        locked.result_counts = counts
        locked.participants = max(locked.participants, sum(counts))
        locked.state = LessonState.RESULT
        RoundCount.objects.filter(session=locked).delete()


def lesson_next(session: ClassSession, choice: int | None = None) -> None:
    """Follow the choice with the most votes; on a tie the teacher names one of the leaders."""
    with _lesson_step(session, LessonState.RESULT, refusal=_("Close the vote first.")) as locked:
        counts = list(locked.result_counts)
        leading = story.leaders(counts)
        if choice is None and len(leading) == 1:
            choice = leading[0]
        if choice not in leading:
            raise LessonError(_("It is a tie: choose with the class which way the story goes."))
        scene = lesson_scene(locked)
        locked.rounds = [*locked.rounds, {"scene": scene.key, "counts": counts, "chosen": choice}]
        locked.scene_key = scene.choices[choice].leads_to
        locked.result_counts = []
        locked.state = LessonState.READING


def lesson_end(session: ClassSession) -> None:
    """Close the lesson: the phones show where to find help, and what stays are the totals per
    round and the number of pupils reached (a vote still open counts for the reach)."""
    open_states = [LessonState.READING, LessonState.VOTING, LessonState.RESULT]
    try:
        with _lesson_step(session, *open_states, refusal="") as locked:
            if locked.state == LessonState.VOTING:
                locked.participants = max(locked.participants, sum(lesson_counts(locked)))
            RoundCount.objects.filter(session=locked).delete()
            locked.state = LessonState.ENDED
            locked.ended_at = timezone.now()
            activity_from_lesson(locked)
    except LessonError:
        return  # already ended


def lesson_path(session: ClassSession) -> list[dict]:
    """The rounds played, for the class screen and the debrief: scene, the choices with their
    votes and percentages, and which one the class took."""
    plot = story.Story.from_dict(session.story)
    path = []
    for played in session.rounds:
        scene = plot.scene(played["scene"])
        shares = story.largest_remainder_percentages(played["counts"])
        path.append(
            {
                "scene": scene,
                "choices": [
                    {"choice": c, "votes": n, "share": s, "chosen": i == played["chosen"]}
                    for i, (c, n, s) in enumerate(
                        zip(scene.choices, played["counts"], shares, strict=True)
                    )
                ],
                "chosen": scene.choices[played["chosen"]],
            }
        )
    return path


def scenarios_install(scenarios: list[ShippedScenario] | None = None) -> list[Scenario]:
    """Store the shipped scenario lessons (``shipped_scenarios``) that are not there yet, through
    the editor's own checks; a scenario already present (by web address) is left as it is."""
    installed = []
    for data in scenarios if scenarios is not None else SHIPPED:
        if Scenario.objects.filter(slug=data["slug"]).exists():
            continue
        with transaction.atomic():
            scenario = Scenario.objects.create(
                slug=data["slug"],
                title=data["title"],
                audience=data["audience"],
                theme=data["theme"],
                summary=data["summary"],
                debrief=data["debrief"],
                help_text=data["help_text"],
            )
            scenes = {
                raw["key"]: Scene.objects.create(
                    scenario=scenario,
                    title=raw["title"],
                    text=raw["text"],
                    ending=raw.get("ending", False),
                    survivor_voice=raw.get("voice", ""),
                    position=position,
                )
                for position, raw in enumerate(data["scenes"])
            }
            scenario.start = scenes[data["scenes"][0]["key"]]
            scenario.save(update_fields=["start"])
            for raw in data["scenes"]:
                scene_save(
                    scene=scenes[raw["key"]],
                    choices=[
                        {"label": label, "leads_to": scenes[target], "consequence": consequence}
                        for label, target, consequence in raw.get("choices", [])
                    ],
                )
            found = scenario_problems(scenario)
            if found:
                raise ValidationError(found)
        installed.append(scenario)
    return installed


# --- Prevention activities, trainers, reach and feedback ----------------------------------------


def activity_save(*, activity: Activity, user=None) -> Activity:
    """Check the reach (plausible, and only once the activity took place) and store; every
    activity gets a code for its public feedback form."""
    activity.full_clean(exclude=["feedback_code"])
    if not activity.feedback_code:
        activity.feedback_code = secrets.token_urlsafe(9)
    if activity.pk is None and user is not None:
        activity.created_by = user
    activity.save()
    return activity


def activity_may_edit(user, activity: Activity) -> bool:
    """Coordinators and programme managers keep every activity; an educator keeps those of their
    own organisation (and reads their feedback), not another organisation's."""
    if rules.has_perm("programmes.manage", user):
        return True
    return activity.pk is None or activity.organisation_id == user.organisation_id


def activity_from_lesson(session: ClassSession) -> Activity | None:
    """A scenario lesson that reached pupils counts as a prevention activity of its teacher's
    organisation, with the scenario's theme and the number of pupils that voted."""
    if session.participants == 0 or session.teacher is None or session.teacher.organisation is None:
        return None
    activity, _created = Activity.objects.get_or_create(
        lesson=session,
        defaults={
            "kind": ActivityKind.LESSON,
            "title": f"{session.scenario.title}: {session.group_name}",
            "audience": ActivityAudience.YOUNG_PEOPLE,
            "themes": [session.scenario.theme],
            "municipality": session.municipality,
            "held_on": timezone.localdate(session.started_at),
            "participants": session.participants,
            "organisation": session.teacher.organisation,
            "feedback_code": secrets.token_urlsafe(9),
            "notes": session.school,
            "created_by": session.teacher,
        },
    )
    return activity


@dataclass(frozen=True)
class ReachRow:
    label: str
    activities: int
    participants: int


def reach(activities) -> dict[str, list[ReachRow]]:
    """Participants reached per municipality, theme, audience and kind. An activity about two
    forms of exploitation counts under both themes (so the theme rows may add up to more than
    the total), never twice under one."""
    tables: dict[str, dict[str, list[int]]] = {
        "municipality": defaultdict(lambda: [0, 0]),
        "theme": defaultdict(lambda: [0, 0]),
        "audience": defaultdict(lambda: [0, 0]),
        "kind": defaultdict(lambda: [0, 0]),
    }
    themes = dict(ExploitationForm.choices)
    audiences, kinds = dict(ActivityAudience.choices), dict(ActivityKind.choices)
    for a in activities.select_related("municipality"):
        keys = {
            "municipality": [a.municipality.name if a.municipality else _("Whole region")],
            "theme": [str(themes.get(t, t)) for t in dict.fromkeys(a.themes)],
            "audience": [str(audiences.get(a.audience, a.audience))],
            "kind": [str(kinds.get(a.kind, a.kind))],
        }
        for table, labels in keys.items():
            for label in labels:
                tables[table][label][0] += 1
                tables[table][label][1] += a.participants
    return {
        name: sorted(
            (ReachRow(label, n, p) for label, (n, p) in rows.items()),
            key=lambda row: (-row.participants, row.label),
        )
        for name, rows in tables.items()
    }


def trainers_with_reach():
    return Trainer.objects.select_related("organisation", "trained_at").annotate(
        sessions=models.Count("activities"),
        reached=models.Sum("activities__participants"),
    )


def feedback_give(*, activity: Activity, rating: int, learned: str, improve: str) -> Feedback:
    """Store a participant's answers; nothing about who gave them, not even the time of day."""
    feedback = Feedback(activity=activity, rating=rating, learned=learned, improve=improve)
    feedback.full_clean()
    feedback.save()
    return feedback


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    per_rating: list[tuple[int, int]]
    learned: list[str]
    improve: list[str]


def feedback_summary(activity: Activity) -> FeedbackSummary:
    rows = list(activity.feedback.all())
    ratings = [row.rating for row in rows]
    return FeedbackSummary(
        count=len(rows),
        average=round(sum(ratings) / len(ratings), 1) if ratings else None,
        per_rating=[(n, ratings.count(n)) for n in range(5, 0, -1)],
        learned=[row.learned for row in rows if row.learned.strip()],
        improve=[row.improve for row in rows if row.improve.strip()],
    )


@dataclass(frozen=True)
class ResultValues:
    """One line of a project's results, as validated input: new (``result_id=None``), changed,
    or to be removed (``delete=True``)."""

    description: str = ""
    year: int | None = None
    planned: int | None = None
    achieved: int | None = None
    result_id: int | None = None
    delete: bool = False


def results_save(*, project: Project, lines: list[ResultValues]) -> None:
    """Store the planned and achieved results of a project in one go.

    A line naming a result of another project, or a kept line without year or planned number, is
    refused (``ValueError``) and nothing is stored.
    """
    with transaction.atomic():
        own = {result.pk: result for result in project.results.select_for_update()}
        for line in lines:
            if line.result_id is not None and line.result_id not in own:
                raise ValueError(f"Result {line.result_id} is not one of this project's.")
            if line.delete:
                if line.result_id is not None:
                    own[line.result_id].delete()
                continue
            if line.year is None or line.planned is None:
                raise ValueError("A result to keep needs its year and its planned number.")
            result = own[line.result_id] if line.result_id is not None else Result(project=project)
            result.description = line.description
            result.year = line.year
            result.planned = line.planned
            result.achieved = line.achieved
            result.save()
        project.updated_at = timezone.now()
        project.save(update_fields=["updated_at"])


@dataclass(frozen=True)
class ResultLine:
    result: Result
    state: str  # "achieved", "not_achieved", "open"


@dataclass(frozen=True)
class ProjectReport:
    """A year of a project, as the funder asks for it: results against plan, the reach of the
    activities under it, and what participants said."""

    project: Project
    year: int
    results: list[ResultLine]
    activities: int
    reached: int
    reach: dict[str, list[ReachRow]]
    feedback_answers: int
    feedback_average: float | None


def project_report(project: Project, year: int, *, today: date | None = None) -> ProjectReport:
    today = today or timezone.localdate()
    lines = []
    for result in project.results.filter(year=year):
        if result.achieved is not None and result.achieved >= result.planned:
            state = "achieved"
        elif year < today.year:
            state = "not_achieved"
        else:
            state = "open"
        lines.append(ResultLine(result, state))
    activities = project.activities.filter(held_on__year=year)
    totals = activities.aggregate(n=models.Count("id"), reached=models.Sum("participants"))
    answers = Feedback.objects.filter(activity__in=activities).aggregate(
        n=models.Count("id"), average=models.Avg("rating")
    )
    return ProjectReport(
        project=project,
        year=year,
        results=lines,
        activities=totals["n"],
        reached=totals["reached"] or 0,
        reach=reach(activities),
        feedback_answers=answers["n"],
        feedback_average=round(answers["average"], 1) if answers["average"] else None,
    )


#: A lesson still open after this long was left running (a closed laptop): ``baken purge`` ends it.
STALE_LESSON_HOURS = 12


def lessons_close_stale(*, dry_run: bool = False, now=None) -> int:
    """End lessons left open for more than STALE_LESSON_HOURS: their running counts go, their
    totals and reach stay, and their join code is free again."""
    cutoff = (now or timezone.now()) - timedelta(hours=STALE_LESSON_HOURS)
    stale = list(
        ClassSession.objects.exclude(state=LessonState.ENDED).filter(started_at__lt=cutoff)
    )
    if not dry_run:
        for session in stale:
            lesson_end(session)
    return len(stale)
