"""Programmes, projects and their funding (seeds 000, 001, 004).

A funder (a province, a ministry) runs programmes such as "Weerbare samenleving"; projects of
municipalities, police, care and citizens run under them with a budget and a source of funding:
a subsidy with its ceiling and years, or money from elsewhere, in which case the explanation
(seed 004: "there must be room for a textual explanation") is shown on the public project page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.directory.models import Organisation


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
