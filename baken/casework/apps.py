from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "baken.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, which load after the apps.
        from baken.audit.services import audit_track
        from baken.casework import permissions  # noqa: F401  (object-level rules)
        from baken.casework.models import Person, Signal, SignalAddition

        audit_track(Signal, fields=["description", "place"])
        audit_track(SignalAddition, fields=["text"])
        audit_track(
            Person,
            fields=["name", "date_of_birth", "phone", "address", "description", "nationality"],
        )
