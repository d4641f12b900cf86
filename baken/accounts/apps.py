import time

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "baken.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, which load after the apps.
        from baken.accounts import permissions  # noqa: F401  (registers the matrix with rules)
        from baken.accounts.models import RoleAssignment, User
        from baken.accounts.services import audit_scope
        from baken.audit.services import audit_scope_register, audit_track

        audit_track(User, fields=["username", "first_name", "last_name", "email", "organisation"])
        audit_track(RoleAssignment, fields=["user", "role"])
        audit_scope_register(audit_scope)
        user_logged_in.connect(_note_login, dispatch_uid="baken-session-login-time")


def _note_login(sender, request, user, **kwargs) -> None:
    """The absolute session limit counts from here (``accounts.sessions``)."""
    # Imported here, not at the top: apps.py loads before the app's modules may be imported.
    from baken.accounts.sessions import note_login

    note_login(request.session, int(time.time()))
