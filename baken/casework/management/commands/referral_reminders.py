"""``baken referral_reminders``: run periodically (e.g. hourly from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from baken.audit.services import Actor, acting_as
from baken.casework.services import referral_send_reminders


class Command(BaseCommand):
    help = "Remind receiving organisations of referrals that wait too long for an answer."

    def handle(self, *args, **options):
        with acting_as(Actor(actor_name="referral_reminders", origin="task")):
            count = referral_send_reminders()
        self.stdout.write(f"{count} referral(s) reminded.")
