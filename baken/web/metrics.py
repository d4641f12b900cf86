"""``/metrics`` for Prometheus: the process's own counters (``baken.lib.metrics``) and, read
from the database at scrape time, the queues and the scheduled jobs.

No figure names a person or a visitor. The endpoint answers only with the bearer token of
``METRICS_TOKEN`` (or ``METRICS_TOKEN_FILE``); without one set it is open in development and
absent (404) in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from baken.chat.models import Conversation, ConversationStatus
from baken.operations.models import JobStatus, MailStatus, OutboundMail
from baken.operations.services import job_last_runs
from baken.web.jobs import JOBS

__all__ = ["metrics_text"]


class DatabaseFigures(Collector):
    """Queue lengths and the last run of every scheduled job, read when Prometheus asks."""

    def collect(self) -> Iterator[Metric]:
        queues = GaugeMetricFamily(
            "baken_queue_length", "Work waiting, by queue.", labels=["queue"]
        )
        queues.add_metric(
            ["tasks"], DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
        )
        queues.add_metric(["mail"], OutboundMail.objects.filter(status=MailStatus.PENDING).count())
        queues.add_metric(
            ["chat"], Conversation.objects.filter(status=ConversationStatus.WAITING).count()
        )
        yield queues
        failed_mail = GaugeMetricFamily(
            "baken_mail_failed", "E-mails that could not be delivered, in the outbox."
        )
        failed_mail.add_metric([], OutboundMail.objects.filter(status=MailStatus.FAILED).count())
        yield failed_mail
        last = job_last_runs([job.name for job in JOBS])
        started = GaugeMetricFamily(
            "baken_job_last_run_timestamp_seconds",
            "When each scheduled job last started (Unix time).",
            labels=["job"],
        )
        succeeded = GaugeMetricFamily(
            "baken_job_last_run_ok", "1 if the job's last run ended well, else 0.", labels=["job"]
        )
        age = GaugeMetricFamily(
            "baken_job_last_run_age_seconds", "Seconds since each job last started.", labels=["job"]
        )
        now = timezone.now()
        for name, run in last.items():
            started.add_metric([name], run.started_at.timestamp())
            succeeded.add_metric([name], 1.0 if run.status == JobStatus.OK else 0.0)
            age.add_metric([name], (now - run.started_at).total_seconds())
        yield started
        yield succeeded
        yield age


def metrics_text() -> bytes:
    """The exposition text: this process (or all processes, in multiprocess mode) and the
    database figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
        own = generate_latest(processes)
    else:
        own = generate_latest(REGISTRY)
    figures = CollectorRegistry()
    figures.register(DatabaseFigures())
    return own + generate_latest(figures)
