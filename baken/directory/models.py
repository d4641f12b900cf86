"""The social map ("sociale kaart"), shaped after Open Referral HSDS 3.0.

Names follow HSDS where it has one (organisation, service, location, service-at-location,
schedule, phone, language, service area, capacity, taxonomy term); Baken adds the Dutch
regions and municipalities with their population by year, which the insight context reads.
Verification ("who checked this entry, and when") is HSDS's ``assured_date``/``assurer``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExploitationForm(models.TextChoices):
    """The four forms of trafficking (seed 002); one code name per concept (GLOSSARY.md)."""

    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")


class Audience(models.TextChoices):
    MINORS = "minors", _("Minors (under 18)")
    YOUNG_ADULTS = "young_adults", _("Young adults (18–23)")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    LGBTIQ = "lgbtiq", _("LGBTIQ+ people")
    MIGRANTS = "migrants", _("Migrants and labour migrants")
    LIGHT_INTELLECTUAL_DISABILITY = "lvb", _("People with a mild intellectual disability")
    PROFESSIONALS = "professionals", _("Professionals")
    FAMILY = "family", _("Family and people around a victim")


class OrganisationType(models.TextChoices):
    KNOWLEDGE_CENTRE = "knowledge_centre", _("Knowledge centre on trafficking")
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    PUBLIC_PROSECUTOR = "public_prosecutor", _("Public prosecutor (OM)")
    RIEC = "riec", _("RIEC")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    CARE = "care", _("Care and shelter")
    YOUTH_CARE = "youth_care", _("Youth care")
    HEALTH = "health", _("Public health (GGD)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    NGO = "ngo", _("Non-governmental organisation")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    SCHOOL = "school", _("School")
    NATIONAL = "national", _("National organisation")
    OTHER = "other", _("Other")


#: Baken's own HSDS taxonomies; their terms are the choices above (see the data migration).
EXPLOITATION_FORM_TAXONOMY = "baken-exploitation-form"
AUDIENCE_TAXONOMY = "baken-audience"
ORGANISATION_TYPE_TAXONOMY = "baken-organisation-type"


class Region(models.Model):
    """A region in which municipalities work together (here: a veiligheidsregio)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def population(self, year: int) -> int | None:
        """Sum of the municipalities' populations in ``year``; None if any is missing."""
        rows = MunicipalityPopulation.objects.filter(municipality__region=self, year=year)
        counts = list(rows.values_list("population", flat=True))
        if not counts or len(counts) != self.municipalities.count():
            return None
        return sum(counts)


class Municipality(models.Model):
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, help_text=_("For example GM0153.")
    )
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class MunicipalityPopulation(models.Model):
    """Inhabitants on 1 January of ``year`` (CBS, "Bevolking op 1 januari")."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_population_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class TaxonomyTerm(models.Model):
    """An HSDS taxonomy term; Baken's own taxonomies are exploitation forms and audiences."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.CharField(_("taxonomy"), max_length=80)
    code = models.CharField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["taxonomy", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_in_taxonomy")
        ]

    def __str__(self) -> str:
        return self.name


class VerifiedQuerySet(models.QuerySet):
    def unverified_since(self, cutoff):
        """Entries never verified, or last verified before ``cutoff``."""
        return self.filter(
            models.Q(last_verified_at__isnull=True) | models.Q(last_verified_at__lt=cutoff)
        )

    def due_for_verification(self):
        days = settings.DIRECTORY_VERIFY_AFTER_DAYS
        return self.unverified_since(timezone.now() - timedelta(days=days))


class Verified(models.Model):
    """When and by whom an entry was last checked (HSDS ``assured_date`` / ``assurer``)."""

    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last verified by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = VerifiedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_due_for_verification(self) -> bool:
        if self.last_verified_at is None:
            return True
        age = timezone.now() - self.last_verified_at
        return age > timedelta(days=settings.DIRECTORY_VERIFY_AFTER_DAYS)


class Organisation(Verified):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True)
    organisation_type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("Only if this organisation is a municipality: which one."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organisation"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class ServiceQuerySet(VerifiedQuerySet):
    def active(self):
        return self.filter(status=ServiceStatus.ACTIVE)


#: A manager made from the queryset class (not ``as_manager()``), so that django-stubs can type
#: the subclass's manager as overriding ``Verified.objects``.
ServiceManager = models.Manager.from_queryset(ServiceQuerySet)


class Service(Verified):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True)
    description = models.TextField(_("what it offers"))
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    application_process = models.TextField(_("how to reach it"), blank=True)
    fees_description = models.CharField(_("costs"), max_length=300, blank=True)
    taxonomy_terms = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="services", verbose_name=_("taxonomy terms")
    )
    serves_nationally = models.BooleanField(
        _("serves the whole country"),
        default=False,
        help_text=_("A national service is found from every municipality."),
    )
    service_areas = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="services",
        verbose_name=_("municipalities served"),
    )

    objects: ClassVar[ServiceManager] = ServiceManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    def terms_of(self, taxonomy: str) -> list[TaxonomyTerm]:
        # Iterate the (usually prefetched) terms instead of querying once per taxonomy.
        return [term for term in self.taxonomy_terms.all() if term.taxonomy == taxonomy]

    @property
    def exploitation_forms(self) -> list[TaxonomyTerm]:
        return self.terms_of(EXPLOITATION_FORM_TAXONOMY)

    @property
    def audiences(self) -> list[TaxonomyTerm]:
        return self.terms_of(AUDIENCE_TAXONOMY)


class Language(models.Model):
    """A language in which a service can help (ISO 639-1 code, HSDS ``language``)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language code"), max_length=3)
    name = models.CharField(_("language"), max_length=60)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="one_language_a_service")
        ]

    def __str__(self) -> str:
        return self.name


class Capacity(models.Model):
    """How many places a service has, and how many are free (HSDS 3.0 ``capacity``)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.CharField(_("unit"), max_length=60, help_text=_("For example: beds."))
    available = models.PositiveIntegerField(_("available"), null=True, blank=True)
    maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["unit"]

    def __str__(self) -> str:
        return f"{self.available}/{self.maximum} {self.unit}"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    location_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    description = models.TextField(_("description"), blank=True)
    address_1 = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("municipality"),
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_is_confidential = models.BooleanField(
        _("address is confidential"),
        default=False,
        help_text=_(
            "Shelter addresses are never shown or exported; people are told how to get in touch."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="one_link_per_location")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Weekday(models.TextChoices):
    """iCalendar BYDAY codes, as HSDS schedules use them."""

    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Schedule(models.Model):
    """Opening hours: weekly on ``byday`` from ``opens_at`` to ``closes_at`` (HSDS schedule)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    byday = models.CharField(_("days"), max_length=30, help_text=_("For example MO,TU,WE."))
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.describe()

    def days(self) -> list[str]:
        return [day.strip() for day in self.byday.split(",") if day.strip()]

    def describe(self) -> str:
        labels = dict(Weekday.choices)
        days = ", ".join(str(labels.get(day, day)) for day in self.days())
        if self.opens_at and self.closes_at:
            return f"{days} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
        return f"{days} {self.description}".strip()


class PhoneType(models.TextChoices):
    VOICE = "voice", _("Phone")
    TEXT = "text", _("Text message")
    HOTLINE = "hotline", _("Hotline")
    FAX = "fax", _("Fax")


class Phone(models.Model):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(
        _("number"),
        max_length=30,
        help_text=_("International format, for example +31 53 480 12 34."),
    )
    type = models.CharField(
        _("type"), max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(service__isnull=False),
                name="phone_belongs_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.number
