"""The scheduler role: APScheduler runs every job of ``baken.web.jobs`` at its interval, each
run on record, and beats the scheduler's heartbeat every 30 seconds.

One scheduler per installation (``baken scheduler``; in development ``baken serve`` runs one in
a thread). Jobs run one at a time per job (``max_instances=1``); a run missed while the process
was down is made up once (``coalesce``), not once per missed interval.
"""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.db import close_old_connections
from django.utils import timezone

from baken.operations.models import JobRun
from baken.operations.services import heartbeat_beat, job_run_record
from baken.web.jobs import JOBS, job_by_name

__all__ = ["HEARTBEAT_SECONDS", "job_run_now", "scheduler_fill"]

HEARTBEAT_SECONDS = 30


def job_run_now(name: str) -> JobRun:
    """Run one job now, on record (the scheduler, and ``baken jobs run NAME``)."""
    job = job_by_name(name)
    return job_run_record(job.name, job.work)


def _scheduled(name: str) -> None:
    # Each run happens in a scheduler thread: give it a fresh database connection and close
    # it afterwards, as Django does around a request.
    close_old_connections()
    try:
        job_run_now(name)
    finally:
        close_old_connections()


def _beat() -> None:
    close_old_connections()
    try:
        heartbeat_beat("scheduler")
    finally:
        close_old_connections()


def scheduler_fill(scheduler: BaseScheduler) -> BaseScheduler:
    """Add the heartbeat and every job; each job first runs as soon as the scheduler starts."""
    now = timezone.now()
    scheduler.add_job(
        _beat,
        IntervalTrigger(seconds=HEARTBEAT_SECONDS),
        id="heartbeat",
        next_run_time=now,
        max_instances=1,
        coalesce=True,
    )
    for job in JOBS:
        scheduler.add_job(
            _scheduled,
            IntervalTrigger(minutes=job.minutes),
            args=[job.name],
            id=job.name,
            name=job.description,
            next_run_time=now,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=job.minutes * 60,
        )
    return scheduler
