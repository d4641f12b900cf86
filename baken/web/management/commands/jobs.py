"""``baken jobs list`` and ``baken jobs run NAME``: the scheduled jobs by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baken.operations.models import JobStatus
from baken.operations.services import job_last_runs
from baken.web.jobs import JOBS
from baken.web.scheduling import job_run_now


class Command(BaseCommand):
    help = "List the scheduled jobs with their last run, or run one now (on record)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every job, its interval and its last run")
        run = sub.add_parser("run", help="run one job now")
        run.add_argument("name", choices=[job.name for job in JOBS])

    def handle(self, *args, **options):
        if options["action"] == "list":
            last = job_last_runs([job.name for job in JOBS])
            for job in JOBS:
                run = last.get(job.name)
                when = f"{run.started_at:%Y-%m-%d %H:%M} {run.status}" if run else "never run"
                self.stdout.write(f"{job.name:<20} every {job.minutes:>5} min   {when}")
            return
        run = job_run_now(options["name"])
        self.stdout.write(f"{run.job}: {run.summary}")
        if run.status == JobStatus.FAILED:
            raise CommandError(f"{run.job} failed", returncode=1)
