from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.casework.indicators import label_for
from baken.directory.models import Municipality
from baken.lib.phones import normalise_phone
from baken.supervision.models import (
    MAX_CAPACITY,
    Business,
    FollowUp,
    HousingAddress,
    Inspection,
    Licence,
)
from baken.supervision.services import CHECKLISTS

_TEXT = {"class": "utrecht-textbox"}


def _only_municipalities(form: forms.BaseForm, municipalities: QuerySet[Municipality]) -> None:
    """Offer only ``municipalities`` (the supervisor's region) in the form's municipality list."""
    field = form.fields["municipality"]
    assert isinstance(field, forms.ModelChoiceField)  # nosec B101 # for mypy: a ForeignKey's
    field.queryset = municipalities


class BusinessForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs=_TEXT),
    )
    phones_text = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        help_text=_("The numbers the business advertises with, one per line."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
    )

    class Meta:
        model = Business
        fields = [
            "name",
            "kind",
            "address",
            "postal_code",
            "municipality",
            "website",
            "operator_name",
            "operator_kvk",
        ]
        widgets = {
            "name": forms.TextInput(attrs=_TEXT),
            "kind": forms.Select(attrs={"class": "utrecht-select"}),
            "address": forms.TextInput(attrs=_TEXT),
            "postal_code": forms.TextInput(attrs=_TEXT),
            "municipality": forms.Select(attrs={"class": "utrecht-select"}),
            "operator_name": forms.TextInput(attrs=_TEXT),
            "operator_kvk": forms.TextInput(attrs=_TEXT),
        }

    def __init__(self, *args, municipalities: QuerySet[Municipality], **kwargs):
        super().__init__(*args, **kwargs)
        _only_municipalities(self, municipalities)
        if self.instance.pk:
            self.fields["phones_text"].initial = "\n".join(self.instance.phones)

    def clean_operator_kvk(self):
        kvk = self.cleaned_data["operator_kvk"].strip()
        if kvk and not (kvk.isdigit() and len(kvk) == 8):
            raise forms.ValidationError(_("A Chamber of Commerce number has 8 digits."))
        return kvk

    def clean_phones_text(self):
        numbers = []
        for line in self.cleaned_data["phones_text"].splitlines():
            if not line.strip():
                continue
            try:
                numbers.append(normalise_phone(line))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a phone number.") % {"value": line.strip()}
                ) from None
        return list(dict.fromkeys(numbers))

    def save(self, commit=True):
        self.instance.phones = self.cleaned_data["phones_text"]
        return super().save(commit=commit)


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["number", "status", "valid_from", "valid_until", "conditions"]
        widgets = {
            "number": forms.TextInput(attrs=_TEXT),
            "status": forms.Select(attrs={"class": "utrecht-select"}),
            "valid_from": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "conditions": forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
        }


class PublicCheckForm(forms.Form):
    q = forms.CharField(
        label=_("Full name, licence number or phone number of the business"),
        min_length=3,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "type": "search"}),
    )


class HousingForm(forms.ModelForm):
    class Meta:
        model = HousingAddress
        fields = [
            "address",
            "postal_code",
            "municipality",
            "capacity",
            "registered",
            "registered_on",
            "employer",
        ]
        widgets = {
            "address": forms.TextInput(attrs=_TEXT),
            "postal_code": forms.TextInput(attrs=_TEXT),
            "municipality": forms.Select(attrs={"class": "utrecht-select"}),
            "capacity": forms.NumberInput(attrs=_TEXT),
            "registered": forms.NumberInput(attrs=_TEXT),
            "registered_on": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "employer": forms.TextInput(attrs=_TEXT),
        }

    def __init__(self, *args, municipalities: QuerySet[Municipality], **kwargs):
        super().__init__(*args, **kwargs)
        _only_municipalities(self, municipalities)


class InspectionForm(forms.ModelForm):
    """A visit; ``kind`` decides the checklist shown."""

    indicators = forms.MultipleChoiceField(
        label=_("What did you see?"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Inspection
        fields = ["visited_on", "planned", "people_observed", "indicators", "findings"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "people_observed": forms.NumberInput(attrs=_TEXT),
            "findings": forms.Textarea(attrs={"rows": 5, "class": "utrecht-textarea"}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)

        indicators = self.fields["indicators"]
        assert isinstance(indicators, forms.MultipleChoiceField)  # nosec B101 # narrows for mypy
        indicators.choices = [(c, label_for(c)) for c in CHECKLISTS[kind]]
        self.fields["visited_on"].initial = timezone.localdate()
        if kind != "housing":
            del self.fields["people_observed"]

    def clean_people_observed(self):
        value = self.cleaned_data.get("people_observed")
        if value is not None and value > MAX_CAPACITY * 2:
            raise forms.ValidationError(_("That many people at one address cannot be right."))
        return value


class PhotoForm(forms.Form):
    caption = forms.CharField(
        label=_("What the photo shows"), max_length=200, widget=forms.TextInput(attrs=_TEXT)
    )
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 15 MB. Location and camera data are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["action", "owner", "due_on"]
        widgets = {
            "action": forms.TextInput(attrs=_TEXT),
            "owner": forms.TextInput(attrs=_TEXT),
            "due_on": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
        }


class RegistrationFileForm(forms.Form):
    file = forms.FileField(
        label=_("BRP/RNI extract (CSV)"),
        help_text=_(
            "Columns postcode; huisnummer; huisletter; toevoeging; aantal_ingeschreven; "
            "peildatum (YYYY-MM-DD). At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
