"""Read models for consoles: the queue as counsellors and coordinators see it (no text)."""

from __future__ import annotations

from django.utils import timezone

from baken.accounts.models import User
from baken.accounts.permissions import roles_with
from baken.chat import services
from baken.chat.models import Conversation, ConversationKind, ConversationStatus

#: A console shows at most this many waiting chats (the count is always complete).
QUEUE_SHOWN = 50


def queue_snapshot() -> dict:
    now = timezone.now()
    waiting = list(services.chat_queue().select_related("counsellor", "signal")[:QUEUE_SHOWN])
    active = Conversation.objects.filter(
        kind=ConversationKind.LIVE, status=ConversationStatus.ACTIVE
    ).select_related("counsellor", "signal")
    return {
        "waiting": [services.conversation_summary(c, now=now) for c in waiting],
        "waiting_count": services.chat_queue().count(),
        "messages_waiting": services.messages_waiting().count(),
        "active": [
            {
                "conversation": str(c.pk),
                "short_id": c.short_id,
                "language": c.language,
                "counsellor": services.counsellor_label(c.counsellor),
                "counsellor_id": c.counsellor_id,
                "crisis": c.is_crisis,
                "minutes": int((now - (c.accepted_at or c.created_at)).total_seconds() // 60),
            }
            for c in active[:200]
        ],
    }


def colleagues_for_transfer(*, exclude: User) -> list[dict]:
    """Everyone else who may answer chats (the roles of ``chat.answer``), by first name."""
    people = (
        User.objects.filter(is_active=True, role_assignments__role__in=roles_with("chat.answer"))
        .exclude(pk=exclude.pk)
        .distinct()
        .order_by("first_name", "username")
    )
    return [
        {"id": u.pk, "name": services.counsellor_label(u) + f" ({u.get_username()})"}
        for u in people
    ]
