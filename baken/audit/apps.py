from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "baken.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Imported here, not at the top: the modules use models, which load after the apps.
        from baken.audit.maintenance import register_sqlite_function
        from baken.audit.services import audit_record_denial
        from baken.lib.access import access_denied

        connection_created.connect(register_sqlite_function, dispatch_uid="baken-audit-sqlite")
        access_denied.connect(audit_record_denial, dispatch_uid="baken-audit-denied")
