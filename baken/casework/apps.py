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
        from baken.casework.models import (
            Action,
            CaseDocument,
            Decision,
            Escalation,
            Person,
            Referral,
            Signal,
            SignalAddition,
            TimelineEntry,
        )

        audit_track(Signal, fields=["description", "place"])
        audit_track(SignalAddition, fields=["text"])
        audit_track(
            Person,
            fields=["name", "date_of_birth", "phone", "address", "description", "nationality"],
        )
        # Staff changes to what a case holds (security issue 13, finding 5): the trail names the
        # fields that changed, never their contents.
        audit_track(TimelineEntry, fields=["text"])
        audit_track(CaseDocument, fields=["title", "file", "original_name"])
        audit_track(
            Referral,
            fields=[
                "person",
                "service",
                "status",
                "no_consent_reason",
                "message",
                "decline_reason",
            ],
        )
        audit_track(Escalation, fields=["reason", "goal", "status"])
        audit_track(Decision, fields=["text"])
        audit_track(Action, fields=["description", "owner", "due_on", "done_at"])
