from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "baken.chat"
    label = "chat"
    verbose_name = _("Anonymous chat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        user_logged_out.connect(_end_consoles, dispatch_uid="baken-chat-logout")
        # Imported here: models load after the apps.
        from baken.audit.services import audit_track
        from baken.chat.models import Message, MessageSender

        # What counsellors write (answers and internal notes) is recorded; what an anonymous
        # visitor types is not: the trail records staff actions, not the visitor's words.
        audit_track(
            Message,
            fields=["text"],
            when=lambda message: getattr(message, "sender", None) == MessageSender.COUNSELLOR,
        )


def _end_consoles(sender, request, user, **kwargs) -> None:
    """Logging out closes the user's open chat consoles at once (``chat.consumers``)."""
    if user is None:
        return
    # Imported here: services use models, which load after the apps.
    from baken.chat.services import consoles_end_session

    session = getattr(request, "session", None)
    consoles_end_session(user_id=user.pk, session_key=getattr(session, "session_key", None))
