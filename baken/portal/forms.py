from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.directory.forms import ServiceSearchForm
from baken.portal import selfcheck


class PageVersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"), max_length=300, help_text=_("One or two sentences for lists.")
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Plain language (B1). Markdown: ## heading, - list item, **bold**, "
            "[link text](/chat/). HTML is shown as text."
        ),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SelfCheckForm(forms.Form):
    """One radio group per question; every question may be left open."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in selfcheck.QUESTIONS:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                choices=list(selfcheck.ANSWERS.items()),
                required=False,
                widget=forms.RadioSelect,
            )


class HelpFinderForm(ServiceSearchForm):
    """The social map's search, for the public: same filters, plainer labels."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("What are you looking for? (optional)")
        self.fields["exploitation_form"].label = _("What is it about?")
        self.fields["audience"].label = _("Help for whom?")
        self.fields["language"].label = _("In which language?")
        self.fields["municipality"].label = _("Where do you live?")
