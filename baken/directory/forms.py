from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from baken.directory.languages import LANGUAGE_NAMES
from baken.directory.models import (
    Audience,
    Capacity,
    ExploitationForm,
    Municipality,
    Organisation,
    Phone,
    Schedule,
    Service,
    Weekday,
)
from baken.directory.services import ORGANISATION_FIELDS, SERVICE_FIELDS, ServiceFilters
from baken.lib.forms import choice_field
from baken.lib.phones import normalise_phone


class HttpsURLField(forms.URLField):
    """A web address; one typed without a scheme is taken as https://."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


LANGUAGE_CHOICES = sorted(LANGUAGE_NAMES.items(), key=lambda item: item[1].casefold())


class ServiceSearchForm(forms.Form):
    """The filters staff use to find a service; every field optional."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=[("", _("Any form"))] + list(ExploitationForm.choices),
    )
    audience = forms.ChoiceField(
        label=_("For whom"), required=False, choices=[("", _("Anyone"))] + list(Audience.choices)
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def filters(self):
        """The search as ``services.ServiceFilters`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        return ServiceFilters(
            exploitation_form=data["exploitation_form"],
            audience=data["audience"],
            language=data["language"],
            municipality=data["municipality"],
            text=data["q"],
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "municipality").choices = [("", _("Any municipality"))] + [
            (m.cbs_code, m.name) for m in Municipality.objects.order_by("name")
        ]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"website": HttpsURLField}


class ServiceForm(forms.ModelForm):
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [*SERVICE_FIELDS, "service_areas"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
            "service_areas": forms.CheckboxSelectMultiple,
        }
        field_classes = {"url": HttpsURLField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["exploitation_forms"] = [t.code for t in self.instance.exploitation_forms]
            self.initial["audiences"] = [t.code for t in self.instance.audiences]
            self.initial["languages"] = list(self.instance.languages.values_list("code", flat=True))

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age cannot be below the minimum age."))
        return cleaned


class PhoneForm(forms.ModelForm):
    class Meta:
        model = Phone
        fields = ["number", "type", "description"]

    def clean_number(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["number"])
        except ValueError:
            raise forms.ValidationError(
                _("This is not a phone number we can call. Write it like 053 480 12 34.")
            ) from None


class ScheduleForm(forms.ModelForm):
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=Weekday.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Schedule
        fields = ["opens_at", "closes_at", "description"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["days"] = self.instance.days()

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if bool(opens) != bool(closes):
            self.add_error("closes_at", _("Give both an opening and a closing time, or neither."))
        elif opens and closes and opens >= closes:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return cleaned

    def save(self, commit: bool = True):
        self.instance.byday = ",".join(self.cleaned_data["days"])
        return super().save(commit=commit)


class CapacityForm(forms.ModelForm):
    class Meta:
        model = Capacity
        fields = ["unit", "available", "maximum", "description"]

    def clean(self):
        cleaned = super().clean()
        available, maximum = cleaned.get("available"), cleaned.get("maximum")
        if available is not None and maximum is not None and available > maximum:
            self.add_error(
                "available", _("There cannot be more places free than there are in total.")
            )
        return cleaned


PhoneFormSet = inlineformset_factory(
    Service, Phone, form=PhoneForm, fk_name="service", extra=1, can_delete=True
)
ScheduleFormSet = inlineformset_factory(
    Service, Schedule, form=ScheduleForm, extra=1, can_delete=True
)
CapacityFormSet = inlineformset_factory(
    Service, Capacity, form=CapacityForm, extra=1, can_delete=True
)
