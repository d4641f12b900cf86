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
from encrypted_fields.fields import EncryptedTextField

from baken.directory.models import Municipality
from baken.lib.storage import private_storage


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


class HousingAddress(models.Model):
    """An address where labour migrants live: what the municipality allows, how many are
    registered there (BRP/RNI), and who is behind it."""

    address = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postcode"), max_length=10)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), help_text=_("How many people may live here (permit or municipal norm).")
    )
    registered = models.PositiveSmallIntegerField(
        _("registered (BRP/RNI)"), default=0, help_text=_("People registered at this address.")
    )
    registered_on = models.DateField(_("registration count of"), null=True, blank=True)
    employer = models.CharField(_("employer or agency"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["municipality__name", "address"]
        verbose_name = _("labour-migrant housing")
        verbose_name_plural = _("labour-migrant housing")

    def __str__(self) -> str:
        return f"{self.address}, {self.postal_code}"

    def clean(self) -> None:
        if self.capacity is not None and not 1 <= self.capacity <= MAX_CAPACITY:
            raise ValidationError(
                {
                    "capacity": _("A capacity between 1 and %(max)d people, please.")
                    % {"max": MAX_CAPACITY}
                }
            )
        if self.registered is not None and self.registered > MAX_CAPACITY * 2:
            raise ValidationError(
                {"registered": _("That many registrations at one address cannot be right.")}
            )


#: One address housing more people than this is a hotel or a campus, not an address to inspect.
MAX_CAPACITY = 500


class InspectionKind(models.TextChoices):
    HOUSING = "housing", _("Labour-migrant housing")
    BUSINESS = "business", _("Licensed sex business")


class Inspection(models.Model):
    """A visit: planned or not, what was checked and found, and what became of it."""

    kind = models.CharField(_("kind of visit"), max_length=10, choices=InspectionKind.choices)
    housing = models.ForeignKey(
        HousingAddress, null=True, blank=True, on_delete=models.CASCADE, related_name="inspections"
    )
    business = models.ForeignKey(
        Business, null=True, blank=True, on_delete=models.CASCADE, related_name="inspections"
    )
    planned = models.BooleanField(_("planned visit"), default=True)
    visited_on = models.DateField(_("date of the visit"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    people_observed = models.PositiveSmallIntegerField(
        _("people found living there"), null=True, blank=True
    )
    #: Indicator codes (casework's catalogue) that were seen.
    indicators = models.JSONField(default=list, blank=True)
    findings = EncryptedTextField(_("findings"), blank=True, null=True)
    signal = models.ForeignKey(
        "casework.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


class InspectionPhoto(models.Model):
    """A photo taken at a visit. Stored encrypted in the private storage, re-encoded without its
    metadata (a phone's photo carries the GPS position and the device), and shown only to
    supervisors, each view written to the audit trail."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("what the photo shows"), max_length=200)
    #: The JPEG, encrypted with ``baken.lib.crypto`` (Fernet), in settings.STORAGES["private"].
    file = models.FileField(storage=private_storage, upload_to="inspection-photos/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption


class FollowUp(models.Model):
    """What has to happen after a visit (a re-inspection, a warning, a report to the landlord),
    by whom and when, until it is done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=200)
    owner = models.CharField(_("who does it"), max_length=120)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["done_on", "due_on", "id"]

    def __str__(self) -> str:
        return self.action

    def clean(self) -> None:
        if self.due_on and self.inspection_id and self.due_on < self.inspection.visited_on:
            raise ValidationError({"due_on": _("A follow-up cannot be due before the visit.")})

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
