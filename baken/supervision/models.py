"""Licensing of sex businesses (the municipal supervisor's register).

Administrative supervision of prostitution moves from the police to the municipalities (seed
004). The register says which businesses may operate where, under which conditions and until
when; the public can check a business, and the ad monitor uses the register's phone numbers to
tell the licensed part of the market from the unlicensed part.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.directory.models import Municipality


class BusinessKind(models.TextChoices):
    CLUB = "club", _("Club or brothel")
    PRIVATE_HOUSE = "private_house", _("Private house (privéhuis)")
    WINDOW = "window", _("Window prostitution")
    ESCORT = "escort", _("Escort agency")
    MASSAGE = "massage", _("Massage parlour with sexual services")
    HOME_WORKER = "home_worker", _("Home-based sex worker")


class Business(models.Model):
    """A sex business: where it is and how the public reaches it."""

    name = models.CharField(_("trade name"), max_length=200)
    kind = models.CharField(_("kind of business"), max_length=20, choices=BusinessKind.choices)
    address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    #: The numbers the business advertises with, as E.164 (checked by phonenumbers).
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    #: The operator (exploitant): a company or a person; never shown to the public.
    operator_name = models.CharField(_("operator"), max_length=200)
    operator_kvk = models.CharField(_("Chamber of Commerce number"), max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self) -> str:
        return self.name


class LicenceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    REFUSED = "refused", _("Refused")


class Licence(models.Model):
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="licences", verbose_name=_("business")
    )
    number = models.CharField(_("licence number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.REQUESTED
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    conditions = models.TextField(_("conditions"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return f"{self.number} ({self.business})"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError(
                {"valid_until": _("A licence cannot end before (or on the day) it starts.")}
            )

    def in_force_on(self, day) -> bool:
        return self.status == LicenceStatus.GRANTED and self.valid_from <= day <= self.valid_until
