"""Operations: mail that arrives or says why not, job runs on record, heartbeats.

- ``mail_queue`` puts a mail in the outbox; after the transaction commits a background task
  (django-tasks, the worker role) makes the first attempt. A failed attempt waits 1, 2, 4, …
  minutes (at most an hour) and the scheduler's ``mail_outbox`` job tries again, up to
  ``MAIL_MAX_ATTEMPTS``; a refused address fails at once. A mail that failed for good keeps its
  reason, shown to its recipient in Baken and to administrators.
- ``job_run_record`` runs one scheduled job and keeps its start, end and result.
- ``heartbeat_beat`` is the worker's and the scheduler's sign of life for ``/health/ready``.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from baken.operations.models import (
    Heartbeat,
    JobRun,
    JobStatus,
    MailStatus,
    OutboundMail,
)

__all__ = [
    "heartbeat_beat",
    "heartbeat_of",
    "job_last_runs",
    "job_run_record",
    "mail_deliver",
    "mail_deliver_due",
    "mail_queue",
    "mails_failed",
    "mail_retry_delay",
]

logger = logging.getLogger(__name__)

#: Errors after which another attempt cannot help: the server refused the address itself.
_PERMANENT = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def mail_retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 1, 2, 4, … minutes, ≤ 1 h."""
    return timedelta(minutes=min(60, 2 ** max(attempts - 1, 0)))


def mail_queue(*, to: str, subject: str, body: str) -> OutboundMail:
    """Put a mail in the outbox; the worker sends it once the caller's transaction commits."""
    mail = OutboundMail.objects.create(to=to, subject=subject[:200], body=body)
    transaction.on_commit(lambda: mail_deliver_task.enqueue(mail.pk))
    return mail


def mail_deliver(*, mail_id: int) -> str:
    """One attempt at one mail, if it is waiting and due; returns what happened."""
    with transaction.atomic():
        mail = (
            OutboundMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=MailStatus.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if mail is None:
            return "not due"
        mail.attempts += 1
        try:
            connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
            EmailMessage(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mail.to],
                connection=connection,
            ).send()
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:300]
            if isinstance(error, _PERMANENT) or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                mail.status = MailStatus.FAILED
                logger.error("mail %s failed for good: %s", mail.pk, mail.last_error)
            else:
                mail.next_attempt_at = timezone.now() + mail_retry_delay(mail.attempts)
                logger.warning("mail %s attempt %s failed: %s", mail.pk, mail.attempts, error)
        else:
            mail.status = MailStatus.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save()
        return mail.status


@task()
def mail_deliver_task(mail_id: int) -> str:
    """The worker's first attempt at a mail (``mail_queue`` enqueues it)."""
    return mail_deliver(mail_id=mail_id)


def mail_deliver_due() -> str:
    """Try every waiting mail whose next attempt is due (the scheduler's ``mail_outbox``)."""
    due = OutboundMail.objects.filter(
        status=MailStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    outcomes = [mail_deliver(mail_id=mail_id) for mail_id in list(due[:200])]
    sent = outcomes.count(MailStatus.SENT)
    failed = outcomes.count(MailStatus.FAILED)
    waiting = outcomes.count(MailStatus.PENDING)
    return f"{sent} sent, {waiting} to try again, {failed} failed for good"


def mails_failed(*, since: datetime, to: str | None = None) -> list[OutboundMail]:
    """Mails that failed for good since ``since`` (for one address, or all)."""
    failed = OutboundMail.objects.filter(status=MailStatus.FAILED, created_at__gte=since)
    if to is not None:
        failed = failed.filter(to__iexact=to)
    return list(failed[:50])


def job_run_record(job: str, work: Callable[[], str]) -> JobRun:
    """Run ``work`` as one run of ``job``, on record; a failure is kept, logged and not raised
    (the scheduler goes on with the next job)."""
    run = JobRun.objects.create(job=job)
    try:
        summary = work()
    except Exception as error:  # noqa: BLE001 - any failure of a job is recorded as such
        logger.exception("job %s failed", job)
        run.status = JobStatus.FAILED
        run.summary = f"{type(error).__name__}: {error}"[:2000]
    else:
        run.status = JobStatus.OK
        run.summary = summary[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "finished_at"])
    return run


def job_last_runs(jobs: list[str]) -> dict[str, JobRun]:
    """The latest run of each job that has run."""
    latest: dict[str, JobRun] = {}
    for job in jobs:
        run = JobRun.objects.filter(job=job).order_by("-started_at").first()
        if run is not None:
            latest[job] = run
    return latest


#: When this process started (imported this module): a late job counts from here.
_STARTED_AT = timezone.now()


def heartbeat_beat(role: str) -> Heartbeat:
    """Record that this process, in ``role``, is alive now."""
    beat, _created = Heartbeat.objects.update_or_create(
        role=role,
        defaults={
            "seen_at": timezone.now(),
            "running_since": _STARTED_AT,
            "host": socket.gethostname()[:100],
        },
    )
    return beat


def heartbeat_of(role: str) -> Heartbeat | None:
    return Heartbeat.objects.filter(role=role).first()


@task()
def worker_heartbeat_task() -> str:
    """Enqueued by the scheduler every minute; when the worker runs it, the worker is alive."""
    heartbeat_beat("worker")
    return "alive"
