"""The periodic jobs, run by the scheduler role (``baken scheduler``) at the intervals of
``settings.JOB_INTERVAL_MINUTES``, each run on record (``operations.JobRun``).

The jobs live in ``web``, the composition root, because they span the contexts. Each returns a
one-line summary of what it did; an exception marks the run failed (``/health/ready`` and the
administrator's start page show it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from baken.admonitor.services import admonitor_purge, ads_inbox_ingest
from baken.audit.services import Actor, acting_as
from baken.casework.services import referral_send_reminders, retention_purge
from baken.chat.services import chat_purge
from baken.insight.services import figures_refresh
from baken.operations.services import mail_deliver_due, worker_heartbeat_task
from baken.programmes.services import lessons_close_stale

__all__ = ["JOBS", "Job", "job_by_name"]


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    work: Callable[[], str]

    @property
    def minutes(self) -> int:
        return settings.JOB_INTERVAL_MINUTES[self.name]


def purge() -> str:
    """Retention (docs/privacy.md): every context's periods, as ``baken purge`` does."""
    with acting_as(Actor(actor_name="purge", origin="task")):
        report = retention_purge(dry_run=False)
        chats = chat_purge(dry_run=False)
        ads = admonitor_purge(dry_run=False)
        lessons = lessons_close_stale(dry_run=False)
    return (
        f"{len(report.signals_deleted)} signals deleted, "
        f"{len(report.cases_pseudonymised)} cases pseudonymised, "
        f"{report.audit_events_deleted} audit events deleted, "
        f"{chats.conversations_deleted} chats deleted, {ads.ads} ads deleted, "
        f"{lessons} lessons ended"
    )


def referral_reminders() -> str:
    with acting_as(Actor(actor_name="referral_reminders", origin="task")):
        return f"{referral_send_reminders()} referrals reminded"


def insight_refresh() -> str:
    refresh = figures_refresh()
    return f"{refresh.rows} figures in {refresh.seconds:.2f} s"


def ad_inbox() -> str:
    if not settings.ADMONITOR_INBOX_DIR:
        return "no inbox folder set (ADMONITOR_INBOX_DIR)"
    with acting_as(Actor(actor_name="ad_inbox", origin="task")):
        lines = ads_inbox_ingest(folder=Path(settings.ADMONITOR_INBOX_DIR))
    return "; ".join(lines) or "no new files"


def sessions_cleanup() -> str:
    """Expired sessions out of the database (Django's ``clearsessions``)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return "expired sessions removed"


def lockouts_cleanup() -> str:
    """Login attempts past their cool-off, and login logs older than 90 days (django-axes)."""
    expired = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=expired).delete()
    logs = AxesProxyHandler.reset_logs(age_days=90)
    failures = AxesProxyHandler.reset_failure_logs(age_days=90)
    return f"{attempts} expired lockouts, {logs + failures} old login logs removed"


def worker_ping() -> str:
    """Leave a task for the worker; when it runs, the worker's heartbeat is fresh."""
    worker_heartbeat_task.enqueue()
    return "task left for the worker"


JOBS: tuple[Job, ...] = (
    Job("mail_outbox", "Try again the e-mails that could not be sent yet.", mail_deliver_due),
    Job("worker_ping", "Check that the worker runs background tasks.", worker_ping),
    Job("referral_reminders", "Remind organisations of unanswered referrals.", referral_reminders),
    Job("insight_refresh", "Rebuild the dashboards' monthly figures.", insight_refresh),
    Job("ad_inbox", "Take in the files of ads dropped in the inbox folder.", ad_inbox),
    Job("purge", "Delete or pseudonymise what is past its retention period.", purge),
    Job("sessions_cleanup", "Remove expired sessions.", sessions_cleanup),
    Job("lockouts_cleanup", "Remove expired lockouts and old login logs.", lockouts_cleanup),
)


def job_by_name(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


#: A job that has not started for this long beyond its interval counts as late.
LATE_GRACE = timedelta(minutes=5)
