"""``baken api_token create --organisation NAME --name SYSTEM`` / ``revoke ID`` / ``list``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from baken.accounts.models import ApiToken
from baken.accounts.services import api_token_create
from baken.directory.models import Organisation


class Command(BaseCommand):
    help = "Manage partner API tokens (the secret is shown once, at creation)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--organisation", required=True, help="organisation name")
        create.add_argument("--name", required=True, help="the partner system")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("id", type=int)
        sub.add_parser("list")

    def handle(self, *args, **options):
        if options["action"] == "create":
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation named {options['organisation']!r}.")
            token, secret = api_token_create(organisation=organisation, name=options["name"])
            self.stdout.write(f"Token {token.pk} for {organisation}: {secret}")
            self.stdout.write("Store it now: Baken keeps only its digest.")
        elif options["action"] == "revoke":
            updated = ApiToken.objects.filter(pk=options["id"], revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            if not updated:
                raise CommandError("No active token with that id.")
            self.stdout.write("Revoked.")
        else:
            for token in ApiToken.objects.select_related("organisation"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.pk:>4} {state:<8} {token.organisation} · {token.name}")
