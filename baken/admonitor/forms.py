from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.admonitor.models import ReviewStatus
from baken.admonitor.parsers import PARSERS

#: Uploads larger than this go through the command line (``baken ads ingest``).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class IngestForm(forms.Form):
    file = forms.FileField(label=_("File with ads"))
    parser = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("From the file name (.jsonl, .csv, .html)"))]
        + [(name, name) for name in sorted(PARSERS)],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 50 MB: take it in with baken ads ingest.")
            )
        return upload


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your judgement"),
        choices=[(v, label) for v, label in ReviewStatus.choices if v != ReviewStatus.NEW],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why (goes with a signal to casework)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == ReviewStatus.SIGNAL and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why this cluster should become a signal."))
        return data
