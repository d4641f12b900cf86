"""``/health/live`` and ``/health/ready`` for the proxy, the orchestrator and monitoring.

Live: the process answers. Ready: it can do its work: the database answers, Redis answers
(when configured), every migration is applied, and (where background roles are expected,
``BAKEN_EXPECT_BACKGROUND``, on in production) the worker and the scheduler were seen
recently and no scheduled job has failed or fallen behind. The checks are django-health-check's
(database, Redis) and Baken's own on its base class; the body names what is wrong.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from redis.asyncio import Redis as RedisClient

from baken.operations.models import JobStatus
from baken.operations.services import heartbeat_of, job_last_runs, mails_failed
from baken.web.jobs import JOBS, LATE_GRACE

__all__ = ["Jobs", "Migrations", "Role", "background_problems", "readiness_checks"]


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration Baken ships is applied (an upgrade that skipped ``migrate`` is not)."""

    def run(self) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied: {names}")


@dataclasses.dataclass
class Role(HealthCheck):
    """A background role (``worker``, ``scheduler``) beat its heartbeat recently."""

    role: str = "worker"

    def run(self) -> None:
        beat = heartbeat_of(self.role)
        if beat is None:
            raise ServiceUnavailable(f"no {self.role} has run yet")
        age = timezone.now() - beat.seen_at
        if age > timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS):
            raise ServiceUnavailable(
                f"{self.role} last seen {int(age.total_seconds())} s ago ({beat.host})"
            )


@dataclasses.dataclass
class Jobs(HealthCheck):
    """No scheduled job failed on its last run or stayed away past its interval."""

    def run(self) -> None:
        scheduler = heartbeat_of("scheduler")
        last = job_last_runs([job.name for job in JOBS])
        now = timezone.now()
        problems = []
        for job in JOBS:
            run = last.get(job.name)
            if run is not None and run.status == JobStatus.FAILED:
                problems.append(f"{job.name} failed at {run.started_at:%Y-%m-%d %H:%M}")
                continue
            due = timedelta(minutes=job.minutes) + LATE_GRACE
            since = run.started_at if run is not None else None
            if since is None and scheduler is not None:
                since = scheduler.running_since
            if since is not None and now - since > due:
                problems.append(
                    f"{job.name} has not run for {int((now - since) / timedelta(minutes=1))} min"
                )
        if problems:
            raise ServiceUnavailable("; ".join(problems))


#: Names in the JSON body, per check class.
CHECK_NAMES = {Database: "database", Redis: "redis", Migrations: "migrations", Jobs: "jobs"}


def check_name(check: HealthCheck) -> str:
    if isinstance(check, Role):
        return check.role
    return CHECK_NAMES.get(type(check), type(check).__name__.lower())


def readiness_checks() -> list[HealthCheck]:
    checks: list[HealthCheck] = [Database(), Migrations()]
    if settings.REDIS_URL:
        url = settings.REDIS_URL
        checks.append(Redis(client_factory=lambda: RedisClient.from_url(url)))
    if settings.EXPECT_BACKGROUND_ROLES:
        checks += [Role(role="worker"), Role(role="scheduler"), Jobs()]
    return checks


def background_problems() -> list[str]:
    """What an administrator should know on the start page: a role not running, a job failed
    or late, mails that could not be delivered this week. Empty when all is well."""
    checks: list[Role | Jobs] = [Jobs()]
    if settings.EXPECT_BACKGROUND_ROLES:
        checks = [Role(role="worker"), Role(role="scheduler"), *checks]
    problems = []
    for check in checks:
        try:
            check.run()
        except HealthCheckException as problem:
            problems.append(str(problem.message))
    failed = mails_failed(since=timezone.now() - timedelta(days=7))
    if failed:
        problems.append(f"{len(failed)} e-mail(s) could not be delivered this week")
    return problems
