"""``/health/live`` and ``/health/ready`` for the proxy, the orchestrator and monitoring.

Live: the process answers. Ready: it can do its work: the database answers, Redis answers
(when configured), every migration is applied, and (where background roles are expected,
``BAKEN_EXPECT_BACKGROUND``, on in production) the worker and the scheduler were seen
recently and no scheduled job has failed or fallen behind. The checks are django-health-check's
(database, Redis) and Baken's own on its base class; the body names what is wrong.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from redis.asyncio import Redis as RedisClient

from baken.operations.models import JobStatus
from baken.operations.services import heartbeat_of, job_last_runs, mails_failed
from baken.web.jobs import JOBS, LATE_GRACE

__all__ = [
    "JobProblem",
    "Jobs",
    "Migrations",
    "Role",
    "background_problems",
    "job_problems",
    "readiness_checks",
]


class _DatabaseCheck(HealthCheck):
    """A check that reads the database from the executor thread it runs in, and gives the
    connection back afterwards: a thread of the pool would otherwise keep it for good, and a
    few probes would drain the connection pool of the web process."""

    def run(self) -> None:
        try:
            self.check()
        finally:
            connection.close()

    def check(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class Migrations(_DatabaseCheck):
    """Every migration Baken ships is applied (an upgrade that skipped ``migrate`` is not)."""

    def check(self) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied: {names}")


def _role_age(role: str) -> timedelta | None:
    """How long ago the role was last seen (``None``: never)."""
    beat = heartbeat_of(role)
    return None if beat is None else timezone.now() - beat.seen_at


def _stale(age: timedelta) -> bool:
    return age > timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS)


@dataclasses.dataclass
class Role(_DatabaseCheck):
    """A background role (``worker``, ``scheduler``) beat its heartbeat recently."""

    role: str = "worker"

    def check(self) -> None:
        age = _role_age(self.role)
        if age is None:
            raise ServiceUnavailable(f"no {self.role} has run yet")
        if _stale(age):
            raise ServiceUnavailable(f"{self.role} last seen {int(age.total_seconds())} s ago")


@dataclasses.dataclass(frozen=True)
class JobProblem:
    job: str
    #: When its last run failed, or None when it is late.
    failed_at: datetime | None = None
    #: Minutes since it last started (or since the scheduler started), when it is late.
    minutes: int = 0


def job_problems() -> list[JobProblem]:
    """Jobs whose last run failed, or that have not started for their interval plus grace."""
    scheduler = heartbeat_of("scheduler")
    last = job_last_runs([job.name for job in JOBS])
    now = timezone.now()
    problems = []
    for job in JOBS:
        run = last.get(job.name)
        if run is not None and run.status == JobStatus.FAILED:
            problems.append(JobProblem(job.name, failed_at=run.started_at))
            continue
        since = run.started_at if run is not None else None
        if since is None and scheduler is not None:
            since = scheduler.running_since
        if since is not None and now - since > timedelta(minutes=job.minutes) + LATE_GRACE:
            problems.append(JobProblem(job.name, minutes=int((now - since) / timedelta(minutes=1))))
    return problems


@dataclasses.dataclass
class Jobs(_DatabaseCheck):
    """No scheduled job failed on its last run or stayed away past its interval."""

    def check(self) -> None:
        problems = [
            f"{p.job} failed at {p.failed_at:%Y-%m-%d %H:%M}"
            if p.failed_at
            else f"{p.job} has not run for {p.minutes} min"
            for p in job_problems()
        ]
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
    """What an administrator should know on the start page, in their language: a role not
    running, a job failed or late, mails that could not be delivered this week."""
    problems = []
    if settings.EXPECT_BACKGROUND_ROLES:
        for role, name in (("worker", _("The worker")), ("scheduler", _("The scheduler"))):
            age = _role_age(role)
            if age is None:
                problems.append(_("%(role)s has not run yet.") % {"role": name})
            elif _stale(age):
                problems.append(
                    _("%(role)s was last seen %(minutes)s minutes ago.")
                    % {"role": name, "minutes": int(age / timedelta(minutes=1))}
                )
    for problem in job_problems():
        if problem.failed_at is not None:
            when = timezone.localtime(problem.failed_at).strftime("%d-%m-%Y %H:%M")
            problems.append(
                _("The job %(job)s failed at %(when)s.") % {"job": problem.job, "when": when}
            )
        else:
            problems.append(
                _("The job %(job)s has not run for %(minutes)s minutes.")
                % {"job": problem.job, "minutes": problem.minutes}
            )
    failed = mails_failed(since=timezone.now() - timedelta(days=7))
    if failed:
        problems.append(
            ngettext(
                "%(n)s e-mail could not be delivered this week.",
                "%(n)s e-mails could not be delivered this week.",
                len(failed),
            )
            % {"n": len(failed)}
        )
    return problems
