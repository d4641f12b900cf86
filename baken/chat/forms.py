from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from baken.casework.forms import MunicipalityChoiceField
from baken.directory.models import ExploitationForm


def language_choices():
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ChatStartForm(forms.Form):
    language = forms.ChoiceField(label=_("Language for the chat"), choices=language_choices)
    nickname = forms.CharField(
        label=_("What may we call you?"),
        required=False,
        max_length=40,
        help_text=_("Any name. You do not have to give your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    selfcheck = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
    share_selfcheck = forms.BooleanField(
        label=_("Share my self-check answers with the counsellor"), required=False
    )


class LeaveMessageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    nickname = forms.CharField(
        label=_("What may we call you?"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    text = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Do not write your full name or address unless you want to."),
    )


class PickupForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ChatToSignalForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for triage"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, in a few sentences. Only what the visitor agreed to share."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Possible form of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = MunicipalityChoiceField(label=_("Municipality"), required=False)
    involves_minor = forms.BooleanField(label=_("The visitor is under 18"), required=False)
    include_transcript = forms.BooleanField(
        label=_("Attach the chat transcript"), required=False, initial=True
    )
