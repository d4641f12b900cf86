"""Filters of the dashboards and the zicht page (GET forms: a filtered view is a link to share)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.directory.models import ExploitationForm, Region
from baken.insight.services import Period

#: The longest period a dashboard shows at once (ten years of months).
MAX_MONTHS = 120


def _parse_month(value: str) -> date | None:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


class MonthField(forms.CharField):
    """``YYYY-MM`` (what ``<input type="month">`` sends), cleaned to the first of the month."""

    widget = forms.TextInput(attrs={"type": "month", "class": "utrecht-textbox"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = _parse_month(value)
        if month is None or not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("Give a month as year and month, like 2026-03."))
        return month


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)
    form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=[("", _("All forms")), *ExploitationForm.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label=_("All regions"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        default = Period.last_months(12, today=today)
        start = data.get("start") or default.start
        end = data.get("end") or (default.end if not data.get("start") else today.replace(day=1))
        if start > end:
            raise forms.ValidationError(_("The first month comes after the last."))
        if len(Period(start, end).months) > MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose at most %(count)d months at once.") % {"count": MAX_MONTHS}
            )
        data["period"] = Period(start, end)
        return data


class ZichtFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox utrecht-textbox--sm"}),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )


class EstimateForm(forms.Form):
    """Multiple systems estimation on the region's own signals (the overlap of their sources)."""

    METHODS = [
        ("stepwise", _("Stepwise (Chan, Silverman & Vincent)")),
        ("bic", _("BIC over all hierarchical two-way models")),
        ("aic", _("AIC over all hierarchical two-way models")),
        ("downhill", _("Downhill search by AIC")),
        ("main", _("Main effects only (lists independent)")),
    ]
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox utrecht-textbox--sm"}),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=METHODS, widget=forms.Select(attrs={"class": "utrecht-select"})
    )
    bootstrap = forms.TypedChoiceField(
        label=_("Interval"),
        coerce=int,
        choices=[
            (0, _("None (or the profile interval for main effects)")),
            (100, _("Bootstrap, 100 replicates (a few seconds)")),
            (200, _("Bootstrap, 200 replicates (up to ten seconds)")),
        ],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
