"""``baken purge [--dry-run]``: enforce the retention periods of every context (schedule it
daily). Lives in ``web``, the composition root, because it spans casework, chat, the ad
monitor and the scenario lessons."""

from django.core.management.base import BaseCommand

from baken.admonitor.services import admonitor_purge
from baken.audit.services import Actor, acting_as
from baken.casework.services import retention_purge
from baken.chat.services import chat_purge
from baken.programmes.services import lessons_close_stale


class Command(BaseCommand):
    help = "Delete or pseudonymise what is past its retention period (docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only print what would go")

    def handle(self, *args, dry_run: bool = False, **options):
        with acting_as(Actor(actor_name="purge", origin="cli")):
            report = retention_purge(dry_run=dry_run)
            chats = chat_purge(dry_run=dry_run)
            ads = admonitor_purge(dry_run=dry_run)
            lessons = lessons_close_stale(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(report.signals_deleted)} signal(s) {verb} deleted:")
        for reference in report.signals_deleted:
            self.stdout.write(f"  {reference}")
        self.stdout.write(f"{len(report.cases_pseudonymised)} closed case(s) {verb} pseudonymised:")
        for reference in report.cases_pseudonymised:
            self.stdout.write(f"  {reference}")
        self.stdout.write(f"{report.audit_events_deleted} audit event(s) {verb} deleted.")
        self.stdout.write(
            f"{chats.conversations_deleted} chat transcript(s) {verb} deleted"
            f" ({chats.kept_for_signals} kept because a signal was made of them)."
        )
        self.stdout.write(
            f"{ads.ads} ad(s) {verb} deleted (their weekly counts are kept);"
            f" {ads.clusters} empty cluster(s) {verb} removed."
        )
        self.stdout.write(
            f"{lessons} scenario lesson(s) left open {verb} ended (their totals are kept)."
        )
