"""Insight's tables: pre-aggregated monthly figures and the national estimates the zicht figure
divides by. Nothing here identifies anyone: figures are sums of anonymous facts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.directory.models import Region


class MonthlyFigure(models.Model):
    """The sum of the facts of one measure, month, region and dimension value.

    Rebuilt by ``figures_refresh`` (``baken insight_refresh``, run it hourly); the dashboards
    read only these rows, never the contexts' own tables.
    """

    measure = models.CharField(max_length=40)
    month = models.DateField()
    #: None for figures that belong to no region (chat, portal).
    region = models.ForeignKey(Region, null=True, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=40, blank=True)
    #: The form of exploitation the figure is counted under; "" for all forms.
    form = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField(default=0)
    #: Sum of days, hours or seconds over the counted things, for an average.
    total = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "month", "region", "form", "dimension", "value"],
                name="insight_monthly_figure_unique",
            )
        ]
        indexes = [models.Index(fields=["measure", "form", "dimension", "month"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} {self.dimension}={self.value}: {self.count}"


class FigureRefresh(models.Model):
    """One run of the periodic job: when, how long, how many rows."""

    started_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0.0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.rows} rows in {self.seconds:.2f} s"


class NationalEstimate(models.Model):
    """A national estimate of the number of victims in a year, with the population it is for."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    victims = models.PositiveIntegerField(_("estimated victims"))
    population = models.PositiveIntegerField(_("population of the Netherlands"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("national estimate")
        verbose_name_plural = _("national estimates")

    def __str__(self) -> str:
        return f"{self.year}: {self.victims}"
