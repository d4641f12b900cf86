"""``baken audit secure-database|check-database``: the PostgreSQL roles that keep the audit trail
append-only against the application's own role (docs/deploy.md, "Database roles")."""

from django.core.management.base import BaseCommand, CommandError

from baken.audit.roles import AuditDatabaseError, audit_database_problems, audit_database_secure


class Command(BaseCommand):
    help = "Secure the audit trail's table with a separate owner role, or check that it is."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("secure-database", "give the audit table to the owner role (run as a superuser)"),
            ("check-database", "say whether the application's role can change the audit trail"),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument(
                "--owner-role", default="baken_audit_owner", help="owner of the audit table"
            )
            action.add_argument(
                "--app-role", required=True, help="the role the running application logs in as"
            )
            if name == "secure-database":
                action.add_argument(
                    "--app-password-file",
                    help="make --app-role a login role with the password in this file"
                    " (created if missing)",
                )

    def handle(self, *args, action: str, owner_role: str, app_role: str, **options):
        try:
            if action == "secure-database":
                problems = audit_database_secure(
                    owner_role=owner_role,
                    app_role=app_role,
                    app_password=self._password(options.get("app_password_file")),
                )
            else:
                problems = audit_database_problems(owner_role=owner_role, app_role=app_role)
        except AuditDatabaseError as exc:
            raise CommandError(str(exc)) from None
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s): {app_role} could change or delete audit events."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit trail is append-only for {app_role}: {owner_role} owns it;"
                f" {app_role} may insert and read, and purge through baken_audit_purge only."
            )
        )

    def _password(self, path: str | None) -> str | None:
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                password = handle.read().strip()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        if not password:
            raise CommandError(f"{path} is empty; the application's role needs a password.")
        return password
