from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "baken.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, which load after the apps.
        from baken.accounts import permissions  # noqa: F401  (registers the matrix with rules)
        from baken.accounts.models import RoleAssignment, User
        from baken.audit.services import audit_track

        audit_track(User, fields=["username", "first_name", "last_name", "email", "organisation"])
        audit_track(RoleAssignment, fields=["user", "role"])
