"""What keeps a Baken installation running: the mail outbox, the record of scheduled job runs,
and the heartbeats of the worker and the scheduler (read by ``/health/ready``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be delivered")


class OutboundMail(models.Model):
    """One e-mail on its way. Baken's mails carry no personal data, only a link into Baken;
    the row is kept so that a mail that does not arrive says why."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"


class JobStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    OK = "ok", _("Done")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One run of a scheduled job (``baken/web/jobs.py``): when, how it ended, what it did."""

    job = models.CharField(_("job"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING
    )
    summary = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Heartbeat(models.Model):
    """The last sign of life of a background role ("worker", "scheduler")."""

    role = models.CharField(_("role"), max_length=20, unique=True)
    seen_at = models.DateTimeField(_("last seen"))
    #: When the process that beats now started (a job "not run in time" counts from here).
    running_since = models.DateTimeField(_("running since"))
    host = models.CharField(_("host"), max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.role} {self.seen_at:%Y-%m-%d %H:%M:%S}"
