from django.core.management.base import BaseCommand, CommandError

from baken.demo import data as demo_data
from baken.demo.services import demo_load


class Command(BaseCommand):
    help = "Load the demo region Twente and one demo user per role (safe to run twice)."

    def handle(self, *args, **options):
        try:
            logins = demo_load(with_casework=True)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS("Demo region Twente loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo_data.DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<24} {', '.join(login.roles):<24} {login.organisation}"
            )
