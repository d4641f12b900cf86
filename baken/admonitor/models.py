"""The online-ad monitor's tables.

Ads are personal data of the people who advertise (mostly sex workers, most of whom are not
exploited): their texts, names and contact details are encrypted at rest, identifiers are
matched through keyed digests (HMAC) only, every look-up is audited, and raw ads are deleted
``ADMONITOR_RETENTION_DAYS`` after they were last seen. What stays longer are clusters that a
reviewer turned into a signal (the signal carries the evidence) and anonymous weekly counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from baken.directory.models import Municipality


class IngestRun(models.Model):
    """One file taken in: who, what, how far, and which lines were refused and why."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    parser = models.CharField(max_length=40)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lines_done = models.PositiveIntegerField(default=0)
    lines_total = models.PositiveIntegerField(default=0)
    ads_new = models.PositiveIntegerField(default=0)
    ads_seen_again = models.PositiveIntegerField(default=0)
    ads_unchanged = models.PositiveIntegerField(default=0)
    #: [{"line": n, "message": "..."}], the first 500.
    bad_lines = models.JSONField(default=list)
    bad_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def percent(self) -> int:
        return int(100 * self.lines_done / self.lines_total) if self.lines_total else 0


class ReviewStatus(models.TextChoices):
    NEW = "new", _("Not reviewed")
    NO_CONCERN = "no_concern", _("No concern")
    WATCH = "watch", _("Watch")
    SIGNAL = "signal", _("Signal")


class Cluster(models.Model):
    """Ads linked into one advertiser or operator; what the reviewer looks at."""

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True, db_index=True)
    ads_count = models.PositiveIntegerField(default=0)
    personas_count = models.PositiveIntegerField(default=0)
    cities = models.JSONField(default=list)
    score = models.FloatField(default=0.0, db_index=True)
    #: [{"code", "weight", "detail", "ads": [ad pk, ...]}]
    indicators = models.JSONField(default=list)
    template = models.JSONField(default=dict, blank=True)
    #: Some number or address matched the register of licensed businesses.
    licensed = models.BooleanField(null=True, blank=True)
    review_status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    signal = models.ForeignKey(
        "casework.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "-last_seen"]

    def __str__(self) -> str:
        return f"{_('Cluster')} {self.pk}"


class Ad(models.Model):
    site = models.CharField(max_length=100)
    ad_id = models.CharField(max_length=200)
    url = EncryptedCharField(max_length=1000, blank=True, null=True)
    first_seen = models.DateTimeField(db_index=True)
    last_seen = models.DateTimeField(db_index=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    title = EncryptedCharField(max_length=500, blank=True, null=True)
    text = EncryptedTextField()
    name = EncryptedCharField(max_length=100, blank=True, null=True)
    city = models.CharField(max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    price = models.FloatField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    #: The normalised identifiers as shown to investigators: {"phones": [...], "emails": [...],
    #: "handles": [...], "images": [...]} (encrypted; matching goes through AdIdentifier).
    contacts = EncryptedTextField(default="{}")
    #: MinHash signature of the text (num_perm × uint32), for near-duplicate search.
    signature = models.BinaryField()
    #: Digest of the record's content: the same ad taken in again unchanged changes nothing.
    content_digest = models.CharField(max_length=64)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="ads"
    )
    ingest = models.ForeignKey(
        IngestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "ad_id"], name="one_ad_per_site_id")]
        ordering = ["posted_at", "id"]

    def __str__(self) -> str:
        return f"{self.site}:{self.ad_id}"


class AdIdentifier(models.Model):
    """A keyed digest of one normalised identifier of an ad: how ads find each other."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        EMAIL = "email", _("E-mail address")
        HANDLE = "handle", _("Handle")
        IMAGE = "image", _("Photo")

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ad", "digest"], name="one_identifier_per_ad")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.digest[:12]}…"


class IdentifierStat(models.Model):
    """Per identifier digest: the phone digests seen beside it, to find widely shared ones."""

    digest = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10)
    #: Up to ``shared_limit + 1`` phone digests seen beside it.
    beside = models.JSONField(default=list)
    shared = models.BooleanField(default=False, db_index=True)
    shared_reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.digest[:12]}…{' (shared)' if self.shared else ''}"


class AdBand(models.Model):
    """One LSH band of an ad's signature: ads with an equal band are text candidates."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "key"])]

    def __str__(self) -> str:
        return f"band {self.band} of {self.ad_id}"


class AdLink(models.Model):
    """Why an ad joined its cluster: an identifier it shares with an earlier ad, or the earlier
    ad its text is a near-duplicate of."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # phone, email, handle, image, text
    digest = models.CharField(max_length=64, blank=True)
    score = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.ad_id} → {self.other_id} ({self.kind})"


class ClusterReview(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=12, choices=ReviewStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.cluster_id}: {self.status}"


class AdvertiserWeek(models.Model):
    """Anonymous weekly counts per municipality: what the municipal view shows. Kept after the
    ads themselves are deleted."""

    week = models.DateField()  # the Monday
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    advertisers = models.PositiveIntegerField(default=0)
    ads = models.PositiveIntegerField(default=0)
    licensed = models.PositiveIntegerField(default=0)
    arrived_from_elsewhere = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "municipality"], name="one_count_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.municipality_id}: {self.advertisers}"


class AdvertiserMove(models.Model):
    """Anonymous: how many linked advertisers advertised in one municipality in a week after
    advertising in another the week before."""

    week = models.DateField()
    origin = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    destination = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    advertisers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "origin", "destination"], name="one_move_count_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.week}: {self.origin_id} → {self.destination_id} ({self.advertisers})"
