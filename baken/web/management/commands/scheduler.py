"""``baken scheduler``: the scheduler role. Runs the periodic jobs until stopped (SIGTERM)."""

from __future__ import annotations

import signal
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand

from baken.web.jobs import JOBS
from baken.web.scheduling import scheduler_fill


class Command(BaseCommand):
    help = "Run the scheduled jobs (purge, reminders, insight, ad inbox, mail, clean-up)."

    def handle(self, *args, **options):
        scheduler = scheduler_fill(BlockingScheduler(timezone=settings.TIME_ZONE))

        def stop(signum: int, frame: FrameType | None) -> None:
            if scheduler.running:
                scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        for job in JOBS:
            self.stdout.write(f"{job.name:<20} every {job.minutes} min")
        self.stdout.flush()
        try:
            scheduler.start()
        except KeyboardInterrupt:
            pass
