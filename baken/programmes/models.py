"""Programmes, projects and their funding (seeds 000, 001, 004).

A funder (a province, a ministry) runs programmes such as "Weerbare samenleving"; projects of
municipalities, police, care and citizens run under them with a budget and a source of funding:
a subsidy with its ceiling and years, or money from elsewhere, in which case the explanation
(seed 004: "there must be room for a textual explanation") is shown on the public project page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.directory.models import ExploitationForm, Municipality, Organisation

if TYPE_CHECKING:
    # Type-only: django-stubs-ext is a development dependency (mypy), absent in production.
    from django_stubs_ext import StrOrPromise


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    funder = models.CharField(_("funder"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Funding(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy from the programme")
    OTHER = "other", _("Financed differently")


class Project(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("what the project does"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation in charge"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partners")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2)
    funding = models.CharField(_("funding"), max_length=10, choices=Funding.choices)
    subsidy_ceiling = models.DecimalField(
        _("subsidy ceiling per year (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    subsidy_years = models.PositiveSmallIntegerField(_("subsidy years"), null=True, blank=True)
    funding_explanation = models.TextField(
        _("how the project is financed"),
        blank=True,
        help_text=_("Shown on the public project page; required when financed differently."),
    )
    public = models.BooleanField(_("show on the portal"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A project cannot end before it starts.")
        if self.budget is not None and self.budget < 0:
            errors["budget"] = _("A budget cannot be negative.")
        if self.funding == Funding.SUBSIDY:
            if not self.subsidy_ceiling or self.subsidy_ceiling <= 0:
                errors["subsidy_ceiling"] = _("Give the subsidy's ceiling per year.")
            if not self.subsidy_years:
                errors["subsidy_years"] = _("Give for how many years the subsidy runs.")
        if self.funding == Funding.OTHER and not self.funding_explanation.strip():
            errors["funding_explanation"] = _(
                "Explain how the project is financed: it is shown on the public page."
            )
        if errors:
            raise ValidationError(errors)


class Result(models.Model):
    """A planned result and what was achieved ("at least five municipalities reached in 2023")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    description = models.CharField(_("result"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.PositiveIntegerField(_("planned"))
    achieved = models.PositiveIntegerField(_("achieved"), null=True, blank=True)

    class Meta:
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.year})"


# --- Scenario lessons ("quest") ----------------------------------------------------------------


class Scenario(models.Model):
    """A branching story a class walks through by voting (seed 000: the "Doorsturen doe je niet!"
    quest for 12–14-year-olds). Scenes and choices are edited one scene at a time; a scenario can
    be given to a class only when ``story.problems`` finds nothing."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    audience = models.CharField(
        _("for whom"), max_length=120, help_text=_("For example: pupils aged 12 to 14.")
    )
    theme = models.CharField(
        _("form of exploitation"), max_length=20, choices=ExploitationForm.choices
    )
    summary = models.TextField(_("what the class learns"))
    debrief = models.TextField(
        _("debrief"),
        help_text=_("Questions and messages for the conversation after the last scene."),
    )
    help_text = models.TextField(
        _("where pupils find help"),
        help_text=_("Shown to every pupil at the end, on their own phone."),
    )
    start = models.ForeignKey(
        "Scene",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("first scene"),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.title


class Scene(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="scenes")
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("what happens"))
    ending = models.BooleanField(_("this scene ends the story"), default=False)
    survivor_voice = models.TextField(
        _("a survivor's voice"),
        blank=True,
        help_text=_(
            "What someone who went through this says about this moment. Shown on the class "
            "screen when the class gets here."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("scene")
        verbose_name_plural = _("scenes")

    def __str__(self) -> str:
        return self.title


class Choice(models.Model):
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("choice"), max_length=160)
    consequence = models.TextField(
        _("consequence"), blank=True, help_text=_("What this choice sets in motion.")
    )
    #: Where the choice leads. Empty only while a scene it pointed to was deleted: the
    #: scenario then cannot be given to a class until the choice leads somewhere again.
    leads_to = models.ForeignKey(
        Scene,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="arriving_choices",
        verbose_name=_("leads to"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class LessonState(models.TextChoices):
    READING = "reading", _("The class reads the scene")
    VOTING = "voting", _("Pupils vote")
    RESULT = "result", _("The class sees the votes")
    ENDED = "ended", _("Ended")


class ClassSession(models.Model):
    """One class playing one scenario. Pupils join with ``code`` and no account; what is kept
    are the anonymous totals per round (``rounds``), never who voted what."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("scenario")
    )
    #: The story as it was when the lesson started (``story.Story.as_dict``).
    story = models.JSONField()
    code = models.CharField(max_length=6, db_index=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    group_name = models.CharField(
        _("class or group"), max_length=80, help_text=_("For example: 2 havo B.")
    )
    school = models.CharField(_("school"), max_length=160, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    state = models.CharField(
        max_length=10, choices=LessonState.choices, default=LessonState.READING
    )
    scene_key = models.CharField(max_length=20)
    #: Finished rounds: [{"scene": key, "counts": [..], "chosen": index}], in the order played.
    rounds = models.JSONField(default=list)
    #: The votes of the round just closed, frozen when the teacher closed it (totals only).
    result_counts = models.JSONField(default=list)
    #: The most pupils that voted in any one round: the reach of the lesson.
    participants = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")

    def __str__(self) -> str:
        return f"{self.scenario} — {self.group_name}"


class RoundCount(models.Model):
    """The running total for one choice in the round now open: a number, never a voter. Rows
    are incremented in the database (``F("votes") + 1``) so that thirty phones voting at once
    lose no vote, and folded into ``ClassSession.rounds`` when the round is closed."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    choice = models.PositiveSmallIntegerField()
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "round", "choice"], name="one_count_per_choice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.round}/{self.choice}: {self.votes}"


# --- Prevention activities and their reach ---------------------------------------------------------


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    LESSON = "lesson", _("Lesson")
    CAMPAIGN = "campaign", _("Campaign")
    REGIONAL_ACTION = "regional_action", _("Half-yearly regional action")
    INFORMATION = "information", _("Information meeting")
    TRAIN_THE_TRAINER = "train_the_trainer", _("Train-the-trainer")


class ActivityAudience(models.TextChoices):
    YOUNG_PEOPLE = "young_people", _("Young people")
    PARENTS = "parents", _("Parents")
    SCHOOLS = "schools", _("Schools and teachers")
    PROFESSIONALS = "professionals", _("Professionals")
    LABOUR_MIGRANTS = "labour_migrants", _("Labour migrants")


#: More people than this at one training, lesson or meeting cannot be right; a campaign (posters,
#: social media) may reach up to MAX_CAMPAIGN_REACH.
MAX_PARTICIPANTS = 5_000
MAX_CAMPAIGN_REACH = 2_000_000


class Trainer(models.Model):
    """Someone who gives trainings or lessons after a train-the-trainer (seed 002)."""

    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    trained_at = models.ForeignKey(
        "Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainers_trained",
        verbose_name=_("trained at"),
        limit_choices_to={"kind": ActivityKind.TRAIN_THE_TRAINER},
    )
    active = models.BooleanField(_("still gives sessions"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """A training, lesson, campaign or regional action, and whom it reached."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=ActivityAudience.choices)
    #: The forms of exploitation the activity is about (``ExploitationForm`` values).
    themes = models.JSONField(_("themes"), default=list)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for an activity for the whole region."),
    )
    held_on = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants reached"), default=0)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    trainer = models.ForeignKey(
        Trainer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("trainer"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("under project"),
    )
    lesson = models.OneToOneField(
        ClassSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity"
    )
    #: The code in the public feedback link handed to participants.
    feedback_code = models.CharField(max_length=16, unique=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        limit = MAX_CAMPAIGN_REACH if self.kind == ActivityKind.CAMPAIGN else MAX_PARTICIPANTS
        if self.participants is not None and self.participants > limit:
            errors["participants"] = _("%(n)s participants at one activity cannot be right.") % {
                "n": f"{self.participants:,}".replace(",", ".")
            }
        if self.held_on and self.held_on > timezone.localdate() and self.participants:
            errors["participants"] = _(
                "The activity has not taken place yet: record whom it reached afterwards."
            )
        valid = set(ExploitationForm.values)
        if not self.themes or any(theme not in valid for theme in self.themes):
            errors["themes"] = _("Choose at least one form of exploitation.")
        if errors:
            raise ValidationError(errors)


class Feedback(models.Model):
    """A participant's answers on the public feedback form: no name, no address, no time of day."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("how useful was it?"))
    learned = models.TextField(_("what did you learn?"), max_length=1000, blank=True)
    improve = models.TextField(_("what could be better?"), max_length=1000, blank=True)
    given_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.rating}"
