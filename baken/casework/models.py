"""Casework: signals (meldingen), their triage, the persons involved, advice and cases.

Sensitive free text and identity fields are encrypted at rest with django-fernet-encrypted-fields
(Fernet; keys in docs/security.md). Encrypted fields cannot be searched, so the fields that the
search-before-create check needs (name with date of birth, phone, address) also get a keyed
pseudonym: an HMAC under ``PSEUDONYM_KEY`` of the normalised value (``baken/casework/pseudonyms.py``).
The same person reported by the police and by a care organisation gets the same pseudonym.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from baken.directory.models import ExploitationForm, Municipality, Organisation, Region
from baken.lib.storage import private_storage


def exploitation_form_labels(codes: str) -> list[str]:
    """Labels of a comma-separated list of forms of exploitation, in the page's language."""
    labels = dict(ExploitationForm.choices)
    return [str(labels[code]) for code in codes.split(",") if code in labels]


class SignalSource(models.TextChoices):
    POLICE = "police", _("Police")
    CARE = "care", _("Care organisation")
    MUNICIPALITY = "municipality", _("Municipality")
    SCHOOL = "school", _("School")
    CHAT = "chat", _("Chat")
    CITIZEN = "citizen", _("Citizen (anonymous)")
    INSPECTION = "inspection", _("Inspection")
    AD_MONITOR = "ad_monitor", _("Ad monitor")
    COMENSHA = "comensha", _("CoMensha")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal: within two weeks")
    HIGH = "high", _("High: within two working days")
    CRISIS = "crisis", _("Crisis: action within hours")


#: How long each urgency may wait for triage before it is overdue.
URGENCY_DEADLINES = {
    Urgency.NORMAL: timedelta(days=14),
    Urgency.HIGH: timedelta(days=2),
    Urgency.CRISIS: timedelta(hours=4),
}


class SignalStatus(models.TextChoices):
    NEW = "new", _("New, waiting for triage")
    ADVICE = "advice", _("Handled with advice")
    CASE = "case", _("Became a case")
    NO_ACTION = "no_action", _("No further action")


class IndicatorCategory(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    CONTROL = "control", _("Means of control")
    WORK = "work", _("Work and money")
    LIVING = "living", _("Living conditions")
    HEALTH = "health", _("Health and behaviour")
    MINOR = "minor", _("Signs of a minor")
    ONLINE = "online", _("Online")


class Indicator(models.Model):
    """One item of the indicator checklist (in the spirit of the Dutch "signalenlijsten")."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("indicator"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=IndicatorCategory.choices)
    #: Comma-separated forms of exploitation this sign points at; empty means every form.
    forms = models.CharField(_("forms of exploitation"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.label

    def form_codes(self) -> list[str]:
        return [code for code in self.forms.split(",") if code]


class SignalQuerySet(models.QuerySet):
    def awaiting_triage(self):
        return self.filter(status=SignalStatus.NEW)

    def triage_queue(self):
        """Crises first, then by how soon triage is due."""
        return self.awaiting_triage().order_by("-is_crisis", "triage_due_at", "received_at")


class Signal(models.Model):
    """A report that something may be wrong: the start of the work process."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=SignalSource.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="signals", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("municipality"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals_reported",
        verbose_name=_("reported by"),
    )
    reporter_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals_reported",
        verbose_name=_("reporting organisation"),
    )
    observed_on = models.DateField(_("seen on"), null=True, blank=True)
    description = EncryptedTextField(_("what was seen"))
    place = EncryptedCharField(_("where exactly"), max_length=300, blank=True, null=True)
    exploitation_forms = models.CharField(
        _("forms of exploitation"), max_length=80, blank=True, help_text=_("Comma-separated codes.")
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="signals", verbose_name=_("indicators")
    )
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    is_crisis = models.BooleanField(_("crisis"), default=False, db_index=True)
    involves_minor = models.BooleanField(_("a minor may be involved"), default=False)
    triage_due_at = models.DateTimeField(_("triage due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SignalStatus.choices, default=SignalStatus.NEW
    )
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals_triaged",
    )
    outcome_note = models.TextField(
        _("what happened, for the reporter"),
        blank=True,
        help_text=_("Shown to whoever reported the signal; no personal data."),
    )
    case = models.ForeignKey(
        "Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
        verbose_name=_("case"),
    )
    #: HMAC of the anonymous reporter's receipt code; the code itself is never stored.
    receipt_digest = models.CharField(max_length=64, blank=True, db_index=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [models.Index(fields=["region", "status", "-is_crisis", "triage_due_at"])]

    def __str__(self) -> str:
        return self.reference

    def form_codes(self) -> list[str]:
        return [code for code in self.exploitation_forms.split(",") if code]

    def get_sector_display(self) -> str:
        return str(dict(Sector.choices).get(self.sector, self.sector))

    def get_exploitation_forms_display(self) -> list[str]:
        return exploitation_form_labels(self.exploitation_forms)

    @property
    def is_overdue(self) -> bool:
        return self.status == SignalStatus.NEW and timezone.now() > self.triage_due_at


class SignalAddition(models.Model):
    """Information added to a signal later, for example by an anonymous reporter with a code."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="additions")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(_("added information"))

    class Meta:
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"{self.signal} +{self.added_at:%Y-%m-%d}"


class PersonRole(models.TextChoices):
    POSSIBLE_VICTIM = "possible_victim", _("Possible victim")
    SUSPECT = "suspect", _("Suspect")
    FACILITATOR = "facilitator", _("Facilitator")
    OTHER = "other", _("Other person involved")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Person(models.Model):
    """Someone involved in a signal: as little data as the purpose needs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    name = EncryptedCharField(_("name"), max_length=200, blank=True, null=True)
    date_of_birth = EncryptedCharField(_("date of birth"), max_length=10, blank=True, null=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, null=True)
    address = EncryptedCharField(_("address"), max_length=300, blank=True, null=True)
    description = EncryptedTextField(_("description"), blank=True, null=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_estimate = models.PositiveSmallIntegerField(_("age (estimate)"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    #: Keyed pseudonyms (HMAC) for matching across signals and sources; see pseudonyms.py.
    identity_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    phone_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    address_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("person involved")
        verbose_name_plural = _("persons involved")

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.signal})"

    @property
    def is_minor(self) -> bool:
        return self.age_estimate is not None and self.age_estimate < 18


class Consultation(models.Model):
    """Advice and consultation: the outcome of triage when no case is opened."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="consultation")
    advice = EncryptedTextField(_("advice given"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("advice and consultation")

    def __str__(self) -> str:
        return f"{_('Advice')} {self.signal}"


class Notification(models.Model):
    """A message in Baken for one staff member (also sent by e-mail)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    subject = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    #: The e-mail that carries it, so that its recipient sees when it could not be delivered.
    mail = models.ForeignKey(
        "operations.OutboundMail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year ("M-2026-000042")."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Confidentiality(models.TextChoices):
    """Who beyond the case team may see the case (after the ZGW confidentiality levels)."""

    INTERNAL = "internal", _("Internal: case team and the region's coordinators")
    CONFIDENTIAL = "confidential", _("Confidential: case team only")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AT_CASE_TABLE = "case_table", _("At the casustafel")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    IN_CARE = "in_care", _("Person is in care")
    SAFE = "safe", _("Situation is safe")
    RETURNED = "returned", _("Person returned to country of origin")
    PROSECUTION = "prosecution", _("Handed over for prosecution")
    NO_CONTACT = "no_contact", _("No contact possible")
    OTHER = "other", _("Other")


class Case(models.Model):
    """The file on a situation: persons (through its signals), team, timeline and tasks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(
        _("working title"),
        max_length=120,
        help_text=_("Without names, for example: labour exploitation car wash Enschede."),
    )
    exploitation_forms = models.CharField(_("forms of exploitation"), max_length=80, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=15,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    is_crisis = models.BooleanField(_("crisis"), default=False)
    involves_minor = models.BooleanField(_("a minor is involved"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=CaseOutcome.choices, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    pseudonymised_at = models.DateTimeField(_("pseudonymised"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    def get_exploitation_forms_display(self) -> list[str]:
        return exploitation_form_labels(self.exploitation_forms)


class CaseMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Case lead")
        MEMBER = "member", _("Team member")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.case}"


class TimelineKind(models.TextChoices):
    NOTE = "note", _("Note")
    CONTACT = "contact", _("Contact")
    DECISION = "decision", _("Decision")
    EVENT = "event", _("Event")


class TimelineEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=TimelineKind.choices, default=TimelineKind.NOTE)
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(_("text"))

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.at:%Y-%m-%d}"


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="casework_tasks",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("deadline"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_CARE = "in_care", _("In care")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Which status may follow which; anything else is refused (see ``referral_transition``).
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.SENT: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.IN_CARE, ReferralStatus.WITHDRAWN},
    ReferralStatus.IN_CARE: {ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.COMPLETED: set(),
    ReferralStatus.WITHDRAWN: set(),
}
#: Transitions made by the receiving organisation; withdrawing is the referrer's.
RECEIVER_STATUSES = {
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.IN_CARE,
    ReferralStatus.COMPLETED,
}


class ReferralQuerySet(models.QuerySet):
    def awaiting_answer_since(self, cutoff):
        return self.filter(status=ReferralStatus.SENT, sent_at__lt=cutoff)


class Referral(models.Model):
    """Handing a person to a service from the social map, followed until it is closed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    consent_given = models.BooleanField(_("the person consents"))
    no_consent_reason = EncryptedTextField(
        _("reason to refer without consent"), blank=True, null=True
    )
    message = EncryptedTextField(_("message to the receiving organisation"), blank=True, null=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case} → {self.service}"

    @property
    def is_open(self) -> bool:
        return bool(REFERRAL_TRANSITIONS[self.status])

    def next_statuses(self) -> list[str]:
        order = list(ReferralStatus.values)
        return sorted(REFERRAL_TRANSITIONS[self.status], key=order.index)


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


# --- casustafel (multi-agency case table) -----------------------------------------------------


class CaseTable(models.Model):
    """The region's casustafel: who takes part (by organisation), how often it meets, and how
    long participants may see a case after the meeting that discussed it."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="case_tables")
    name = models.CharField(_("name"), max_length=120)
    rhythm = models.CharField(
        _("rhythm"), max_length=120, help_text=_("For example: every other Tuesday.")
    )
    participant_organisations = models.ManyToManyField(
        Organisation, related_name="case_tables", verbose_name=_("participating organisations")
    )
    access_days = models.PositiveSmallIntegerField(
        _("days participants keep access after the meeting"), default=14
    )

    class Meta:
        verbose_name = _("casustafel")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    table = models.ForeignKey(CaseTable, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    held = models.BooleanField(_("held"), default=False)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.table} {self.starts_at:%Y-%m-%d}"


class EscalationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("On the agenda")
    DISCUSSED = "discussed", _("Discussed")


class Escalation(models.Model):
    """Opschalen: the structured intake with which a case goes to the casustafel."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    table = models.ForeignKey(CaseTable, on_delete=models.PROTECT, related_name="escalations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("why the casustafel"))
    goal = EncryptedTextField(_("what the casustafel should achieve"))
    partners_needed = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partners needed")
    )
    status = models.CharField(
        max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.REQUESTED
    )

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.case} → {self.table}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    escalation = models.OneToOneField(
        Escalation, on_delete=models.CASCADE, related_name="agenda_item"
    )
    position = models.PositiveSmallIntegerField(default=0)
    #: Participants see the case's identity data only until then.
    access_until = models.DateTimeField()
    de_escalated = models.BooleanField(_("back to local care"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.escalation.case}"

    @property
    def case(self) -> Case:
        return self.escalation.case


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = EncryptedTextField(_("decision"))
    decided_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{_('Decision')} {self.item}"


class Action(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_table_actions"
    )
    due_on = models.DateField(_("deadline"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class IdempotencyKey(models.Model):
    """A partner's ``Idempotency-Key``: a retried request returns the first answer instead of
    making a second signal. The body's hash tells a true retry from a reused key."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return self.key


class Sector(models.TextChoices):
    """Sector of work or exploitation (HTCDS/CoMensha-style), set at intake or triage."""

    AGRICULTURE = "agriculture", _("Agriculture and horticulture")
    CONSTRUCTION = "construction", _("Construction")
    HOSPITALITY = "hospitality", _("Hospitality")
    CLEANING = "cleaning", _("Cleaning")
    LOGISTICS = "logistics", _("Logistics and distribution")
    MANUFACTURING = "manufacturing", _("Manufacturing and food processing")
    DOMESTIC = "domestic", _("Domestic work")
    BEAUTY = "beauty", _("Beauty and nail salons")
    CAR_WASH = "car_wash", _("Car wash")
    SEX_INDUSTRY = "sex_industry", _("Sex industry")
    DRUG_TRADE = "drug_trade", _("Drug trade")
    PROPERTY_CRIME = "property_crime", _("Theft and shoplifting")
    FRAUD = "fraud", _("Fraud and money mules")
    BEGGING = "begging", _("Begging")
    OTHER = "other", _("Other")


def _private_storage() -> Storage:
    # Kept under this name: migration 0009 refers to it. The storage is settings.STORAGES
    # ["private"] (local disk or object storage, no URL; baken.lib.storage).
    return private_storage()


class CaseDocument(models.Model):
    """A document on a case's timeline. Stored encrypted (Fernet) outside every public URL and
    served only through a permission-checked, audited view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(storage=_private_storage, upload_to="case-documents/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
