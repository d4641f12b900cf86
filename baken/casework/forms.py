from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import Role, User
from baken.casework.indicators import CATALOGUE
from baken.casework.models import (
    CaseOutcome,
    CaseTable,
    Escalation,
    IndicatorCategory,
    Person,
    PersonRole,
    ReferralStatus,
    Sector,
    Sex,
    SignalSource,
    SignalStatus,
    TimelineKind,
    Urgency,
)
from baken.casework.services import PersonData
from baken.directory.models import ExploitationForm, Municipality, Organisation, Service
from baken.lib.forms import choice_field, model_choice_field
from baken.lib.phones import normalise_phone

if TYPE_CHECKING:
    # Type-only: django-stubs-ext is a development dependency (mypy), absent in production.
    from django_stubs_ext import StrOrPromise

MAX_TEXT = 10_000


def indicator_choices() -> list[tuple[StrOrPromise, list[tuple[str, StrOrPromise]]]]:
    """The checklist grouped by category, for a grouped checkbox list."""
    groups: dict[str, list[tuple[str, StrOrPromise]]] = {}
    for code, category, _forms, label in CATALOGUE:
        groups.setdefault(category, []).append((code, label))
    names = dict(IndicatorCategory.choices)
    return [(names[category], items) for category, items in groups.items()]


class MunicipalityChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Municipality.objects.order_by("name"), to_field_name="cbs_code", **kwargs
        )


class SignalForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Where does the signal come from?"),
        choices=[c for c in SignalSource.choices if c[0] != SignalSource.CITIZEN],
    )
    municipality = MunicipalityChoiceField(label=_("Municipality"), required=False)
    place = forms.CharField(
        label=_("Where exactly"),
        required=False,
        max_length=300,
        help_text=_("An address or a description of the place, if it matters."),
    )
    observed_on = forms.DateField(
        label=_("When was it seen?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("What was seen or heard?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Facts first: who, what, where, when. Only what the next step needs."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Which form of exploitation may it be?"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=lambda: SECTOR_CHOICES,
        help_text=_("Where the work or the exploitation takes place, if known."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Signs you noticed"),
        choices=indicator_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    involves_minor = forms.BooleanField(label=_("Someone under 18 may be involved"), required=False)

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return day


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age_estimate = forms.IntegerField(
        label=_("Age (estimate)"), required=False, min_value=0, max_value=120
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=2,
        help_text=_("Two-letter country code, for example PL or RO."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone:
            try:
                return normalise_phone(phone)
            except ValueError:
                raise forms.ValidationError(
                    _("This is not a phone number we can call. Write it like 06 12 34 56 78.")
                ) from None
        return phone

    def clean_nationality(self) -> str:
        code = self.cleaned_data["nationality"].strip().upper()
        if code and not (len(code) == 2 and code.isalpha()):
            raise forms.ValidationError(_("Use a two-letter country code, for example PL."))
        return code

    def to_person(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            role=data["role"],
            name=data["name"],
            date_of_birth=data["date_of_birth"].isoformat() if data["date_of_birth"] else "",
            phone=data["phone"],
            address=data["address"],
            description=data["description"],
            sex=data["sex"],
            age_estimate=data["age_estimate"],
            nationality=data["nationality"],
        )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(f)
            for f in (
                "name",
                "date_of_birth",
                "phone",
                "address",
                "description",
                "age_estimate",
                "nationality",
            )
        )


PersonFormSet = formset_factory(PersonForm, extra=1, max_num=10, validate_max=True)


class AnonymousReportForm(forms.Form):
    """What a citizen can tell, in plain language. No name, no contact details."""

    description = forms.CharField(
        label=_("What did you see or hear?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Write what you know. Do not write your own name."),
    )
    municipality = MunicipalityChoiceField(
        label=_("In which town or village?"), required=False, empty_label=_("I don't know")
    )
    place = forms.CharField(
        label=_("Where exactly? (street, shop, website)"), required=False, max_length=300
    )
    observed_on = forms.DateField(
        label=_("When?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    about_minor = forms.ChoiceField(
        label=_("Is it about someone under 18?"),
        choices=[("unknown", _("I don't know")), ("yes", _("Yes")), ("no", _("No"))],
        initial="unknown",
        widget=forms.RadioSelect,
    )

    def clean_observed_on(self):
        return _not_in_the_future(self.cleaned_data["observed_on"])


def _not_in_the_future(day):
    """What someone saw happened today at the latest."""
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(
            _("This date is in the future. Give the day it happened, or leave it empty.")
        )
    return day


class ReceiptCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The code you got after your report, for example K7QM-4T2X-9PLA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AdditionForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class TriageForm(forms.Form):
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=lambda: SECTOR_CHOICES)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    involves_minor = forms.BooleanField(
        label=_("A minor is involved: children's-rights route"), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SignalStatus.ADVICE, _("Advice and consultation, no case")),
            (SignalStatus.CASE, _("Open a case")),
            (SignalStatus.NO_ACTION, _("No further action")),
        ],
        widget=forms.RadioSelect,
    )
    case_title = forms.CharField(
        label=_("Working title of the case"),
        required=False,
        max_length=120,
        help_text=_("Without names, for example: labour exploitation car wash Enschede."),
    )
    case_lead = forms.ModelChoiceField(
        label=_("Case lead"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("Leave empty to lead the case yourself."),
    )
    advice = forms.CharField(
        label=_("Advice given"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome_note = forms.CharField(
        label=_("Feedback to the reporter"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this. No personal data."),
    )

    def __init__(self, *args, region=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "case_lead").queryset = case_workers(region)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == SignalStatus.ADVICE and not cleaned.get("advice", "").strip():
            self.add_error("advice", _("Write down the advice you gave."))
        if (
            cleaned.get("outcome") == SignalStatus.CASE
            and not cleaned.get("case_title", "").strip()
        ):
            self.add_error("case_title", _("Give the case a working title."))
        return cleaned


def case_workers(region):
    """Staff of the region whose role works on cases (for case lead and team choices)."""
    users = User.objects.filter(
        is_active=True,
        role_assignments__role__in=[
            Role.COORDINATOR,
            Role.CASEWORKER,
            Role.COUNSELLOR,
            Role.AANDACHTSFUNCTIONARIS,
            Role.SUPERVISOR,
        ],
    )
    if region is not None:
        users = users.filter(organisation__region=region)
    return users.distinct().order_by("last_name", "first_name")


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=TimelineKind.choices[:3], initial=TimelineKind.NOTE
    )
    text = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        model_choice_field(self, "owner").queryset = User.objects.filter(
            case_memberships__case=case
        ).order_by("last_name")

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The deadline is in the past."))
        return day


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Add to the team"), queryset=User.objects.none())

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = case_workers(
            case.region if case else None
        ).exclude(case_memberships__case=case)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    note = forms.CharField(
        label=_("Closing note"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    feedback = forms.CharField(
        label=_("Feedback to the reporters"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The reporters of the signals see this. No personal data."),
    )


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        role = obj.get_role_display()
        return f"{role}: {obj.name}" if obj.name else role


class ServiceChoiceField(forms.ModelChoiceField[Service]):
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.name} — {obj.organisation.name}"


class EscalationChoiceField(forms.ModelChoiceField[Escalation]):
    def label_from_instance(self, obj: Escalation) -> str:
        return f"{obj.case.reference} · {obj.case.title}"


class ReferralForm(forms.Form):
    person = PersonChoiceField(label=_("Who is referred"), queryset=Person.objects.none())
    service = ServiceChoiceField(
        label=_("To which service"),
        queryset=Service.objects.none(),
        help_text=_("Find the right service on the social map first."),
    )
    consent = forms.ChoiceField(
        label=_("Does the person agree to the referral?"),
        choices=[("yes", _("Yes, the person agrees")), ("no", _("No, refer without consent"))],
        widget=forms.RadioSelect,
    )
    no_consent_reason = forms.CharField(
        label=_("Why without consent?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only with the coordinator's permission, for example acute danger or a minor."),
    )
    message = forms.CharField(
        label=_("Message to the receiving organisation"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        model_choice_field(self, "person").queryset = Person.objects.filter(signal__case=case)
        model_choice_field(self, "service").queryset = Service.objects.active().select_related(
            "organisation"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent") == "no" and not cleaned.get("no_consent_reason", "").strip():
            self.add_error("no_consent_reason", _("Write down why you refer without consent."))
        return cleaned


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Needed when you decline: say why."),
    )

    def __init__(self, *args, statuses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)

        labels = dict(ReferralStatus.choices)
        choice_field(self, "status").choices = [(s, labels[s]) for s in statuses]


class EscalationForm(forms.Form):
    table = forms.ModelChoiceField(
        label=_("Casustafel"), queryset=CaseTable.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Why the casustafel?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: crisis, several partners needed, local care is stuck."),
    )
    goal = forms.CharField(
        label=_("What should the casustafel achieve?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners needed"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        model_choice_field(self, "table").queryset = CaseTable.objects.filter(region=case.region)
        model_choice_field(self, "partners").queryset = Organisation.objects.filter(
            case_tables__region=case.region
        ).distinct()


class MeetingForm(forms.Form):
    table = forms.ModelChoiceField(
        label=_("Casustafel"), queryset=CaseTable.objects.none(), empty_label=None
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, region=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        model_choice_field(self, "table").queryset = CaseTable.objects.filter(region=region)


class AgendaAddForm(forms.Form):
    escalation = EscalationChoiceField(
        label=_("Case put forward"), queryset=Escalation.objects.none()
    )

    def __init__(self, *args, meeting=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        model_choice_field(self, "escalation").queryset = Escalation.objects.filter(
            table=meeting.table, status="requested"
        ).select_related("case")


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    action_description = forms.CharField(label=_("Action"), required=False, max_length=300)
    action_owner = forms.ModelChoiceField(
        label=_("Action owner"), queryset=User.objects.none(), required=False
    )
    action_due = forms.DateField(
        label=_("Action deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    de_escalate = forms.BooleanField(label=_("Back to local care (afschalen)"), required=False)
    feedback = forms.CharField(
        label=_("Feedback to whoever raised the case"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meeting=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        model_choice_field(self, "action_owner").queryset = User.objects.filter(
            is_active=True, organisation__case_tables=meeting.table
        ).order_by("last_name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action_description") and not (
            cleaned.get("action_owner") and cleaned.get("action_due")
        ):
            self.add_error("action_owner", _("An action needs an owner and a deadline."))
        return cleaned


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference"), required=False, max_length=20)
    municipality = MunicipalityChoiceField(label=_("Municipality"), required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("Any source"))] + list(SignalSource.choices),
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=[("", _("Any form"))] + list(ExploitationForm.choices),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    upload = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, DOCX, ODT or XLSX; at most 10 MB. Stored encrypted."),
    )


SECTOR_CHOICES: list[tuple[str, StrOrPromise]] = [("", _("Unknown")), *Sector.choices]
