"""``baken insight_refresh``: rebuild the dashboards' monthly figures (run it hourly)."""

from django.core.management.base import BaseCommand

from baken.insight.services import figures_refresh


class Command(BaseCommand):
    help = "Rebuild the pre-aggregated monthly figures behind the insight dashboards."

    def handle(self, *args, **options):
        refresh = figures_refresh()
        self.stdout.write(f"{refresh.rows} figures in {refresh.seconds:.2f} s")
