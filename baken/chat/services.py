"""The chat's business rules. Views and consumers only parse input and call these functions.

Every change is stored first and broadcast after the transaction commits
(``transaction.on_commit``), so a client never sees a message that is not in the database; see
``events.py`` and ``docs/chat.md`` for the protocol.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import statistics
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from baken.accounts.models import Role, User
from baken.audit.services import AuditAction, audit_read, audit_record
from baken.casework import services as casework
from baken.casework.models import Signal, SignalSource
from baken.chat import hours
from baken.chat.models import (
    ChatHourStat,
    ChatTopicStat,
    ClosedDay,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Message,
    MessageKind,
    MessageSender,
    OpeningHours,
    Topic,
    conversation_group,
)
from baken.chat.permissions import can_answer_chats
from baken.lib.counters import counter_add, counters_add_many

__all__ = [
    "consoles_end_session",
    "chat_accept",
    "chat_block",
    "chat_consent_answer",
    "chat_consent_request",
    "chat_delete_by_visitor",
    "chat_end",
    "chat_end_by_counsellor",
    "chat_is_open",
    "chat_is_handled_by",
    "chat_leave_message",
    "chat_stats_import",
    "HourCounts",
    "TopicCount",
    "chat_mark_crisis",
    "chat_message_post",
    "chat_next_opening",
    "chat_note_add",
    "chat_purge",
    "chat_queue",
    "chat_start",
    "chat_tag",
    "chat_to_signal",
    "chat_transfer",
    "ChatError",
    "ChatPurgeReport",
    "collecting_broadcasts",
    "conversation_for_pickup",
    "conversation_for_token",
    "conversation_summary",
    "conversations_of",
    "counsellor_label",
    "counsellor_reply_to_message",
    "DEFAULT_MINUTES_PER_PLACE",
    "expected_wait_minutes",
    "message_event",
    "message_reply_by_visitor",
    "messages_since",
    "messages_waiting",
    "opening_slots",
    "QUEUE_GROUP",
    "queue_position",
    "status_event",
    "transcript_for_staff",
    "user_group",
    "WAITING_GROUP",
]

QUEUE_GROUP = "chat.queue"  # consoles: the live queue
WAITING_GROUP = "chat.waiting"  # visitors in the queue: "your position may have changed"


def user_group(user_id: int) -> str:
    return f"chat.u.{user_id}"


class ChatError(ValueError):
    """A request the chat refuses; ``code`` is machine-readable, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- tokens and codes -------------------------------------------------------------------------


def _digest(purpose: str, secret: str, key: str | None = None) -> str:
    """Under the first PSEUDONYM_KEY unless ``key`` is given (``_digests``)."""
    secret_key = (key or settings.PSEUDONYM_KEY).encode()
    return hmac.new(secret_key, f"chat-{purpose}:{secret}".encode(), hashlib.sha256).hexdigest()


def _digests(purpose: str, secret: str) -> list[str]:
    # Under every key of PSEUDONYM_KEY: a chat opened before a rotation is still found.
    return [_digest(purpose, secret, key) for key in settings.PSEUDONYM_KEYS]


def conversation_for_token(token: str) -> Conversation | None:
    return Conversation.objects.filter(token_digest__in=_digests("token", token)).first()


def conversation_for_pickup(code: str) -> Conversation | None:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    if not normalised:
        return None
    return Conversation.objects.filter(pickup_digest__in=_digests("pickup", normalised)).first()


# --- broadcasting -----------------------------------------------------------------------------


#: While a consumer calls a service, broadcasts are collected here and sent by the consumer
#: itself (asynchronously) after the call returns, instead of from the database thread.
_collected: ContextVar[list[tuple[str, dict]] | None] = ContextVar("chat_broadcasts", default=None)


def collecting_broadcasts(function, /, **kwargs):
    """Call ``function``; return its result and the channel-layer messages it committed."""
    collected: list[tuple[str, dict]] = []
    token = _collected.set(collected)
    try:
        return function(**kwargs), collected
    finally:
        _collected.reset(token)


def _deliver(group: str, message: dict) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((group, message))
        return
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def consoles_end_session(*, user_id: int, session_key: str | None) -> None:
    """Close this user's chat consoles that run on ``session_key`` (all of them for None):
    called when the user logs out, so an open console does not outlive its session."""
    _deliver(user_group(user_id), {"type": "session.ended", "session_key": session_key})


def _send(group: str, event: dict, *, staff_only: bool = False) -> None:
    _deliver(group, {"type": "chat.event", "event": event, "staff_only": staff_only})


def _send_on_commit(group: str, event: dict, *, staff_only: bool = False) -> None:
    transaction.on_commit(lambda: _send(group, event, staff_only=staff_only))


def _signal_on_commit(group: str, kind: str, **payload) -> None:
    """A control message to consumers (not forwarded as such to any client)."""
    transaction.on_commit(lambda: _deliver(group, {"type": kind, **payload}))


def _queue_changed() -> None:
    _signal_on_commit(QUEUE_GROUP, "chat.queue_changed")
    _signal_on_commit(WAITING_GROUP, "chat.position_changed")


# --- events -----------------------------------------------------------------------------------


def counsellor_label(user: User | None) -> str:
    if user is None:
        return ""
    return user.first_name or _("Counsellor")


def message_event(message: Message) -> dict:
    return {
        "type": "message",
        "conversation": str(message.conversation_id),
        "seq": message.seq,
        "prev_seq": message.prev_seq if message.kind != MessageKind.NOTE else None,
        "client_id": str(message.client_id) if message.client_id else None,
        "sender": message.sender,
        "kind": message.kind,
        "text": message.text,
        "sent_at": message.sent_at.isoformat(),
        "author": counsellor_label(message.author) if message.author_id else None,
    }


def status_event(conversation: Conversation) -> dict:
    return {
        "type": "status",
        "conversation": str(conversation.pk),
        "status": conversation.status,
        "counsellor": counsellor_label(conversation.counsellor),
        "crisis": conversation.is_crisis,
        "consent_given": conversation.consent_given_at is not None,
        "signal": conversation.signal.reference if conversation.signal else None,
    }


def conversation_summary(conversation: Conversation, *, now=None) -> dict:
    now = now or timezone.now()
    return {
        "conversation": str(conversation.pk),
        "short_id": conversation.short_id,
        "kind": conversation.kind,
        "status": conversation.status,
        "nickname": conversation.nickname or "",
        "language": conversation.language,
        "waiting_seconds": int((now - conversation.created_at).total_seconds()),
        "counsellor": counsellor_label(conversation.counsellor),
        "counsellor_id": conversation.counsellor_id,
        "crisis": conversation.is_crisis,
        "consent_given": conversation.consent_given_at is not None,
        "topics": conversation.topic_list,
        "signal": conversation.signal.reference if conversation.signal else None,
        "signal_url": reverse("chat:to-signal", kwargs={"conversation_id": conversation.pk}),
    }


# --- opening hours and the queue --------------------------------------------------------------


def opening_slots() -> list[hours.Slot]:
    return [
        hours.Slot(row.weekday, row.opens_at, row.closes_at) for row in OpeningHours.objects.all()
    ]


def chat_is_open(*, now=None) -> bool:
    now = timezone.localtime(now or timezone.now())
    return hours.is_open(
        now,
        opening_slots(),
        ClosedDay.objects.values_list("date", flat=True),
        with_holidays=settings.CHAT_CLOSED_ON_PUBLIC_HOLIDAYS,
    )


def chat_next_opening(*, now=None):
    now = timezone.localtime(now or timezone.now())
    return hours.next_opening(
        now,
        opening_slots(),
        ClosedDay.objects.values_list("date", flat=True),
        with_holidays=settings.CHAT_CLOSED_ON_PUBLIC_HOLIDAYS,
    )


def chat_queue() -> QuerySet[Conversation]:
    """Live conversations waiting for a counsellor, longest waiting first."""
    return Conversation.objects.filter(
        kind=ConversationKind.LIVE, status=ConversationStatus.WAITING
    ).order_by("created_at")


def messages_waiting() -> QuerySet[Conversation]:
    """Messages left outside opening hours that wait for an answer."""
    return Conversation.objects.filter(
        kind=ConversationKind.MESSAGE, status=ConversationStatus.WAITING
    ).order_by("created_at")


def queue_position(conversation: Conversation) -> int:
    if conversation.status != ConversationStatus.WAITING:
        return 0
    ahead = chat_queue().filter(created_at__lt=conversation.created_at).count()
    return ahead + 1


#: Without recent history a place in the queue is guessed at this many minutes.
DEFAULT_MINUTES_PER_PLACE = 4


def expected_wait_minutes(position: int, *, now=None) -> int:
    """Position × the median time between recent acceptances (last 3 hours), at least 1."""
    if position <= 0:
        return 0
    now = now or timezone.now()
    accepted = [
        moment
        for moment in Conversation.objects.filter(
            kind=ConversationKind.LIVE, accepted_at__gte=now - timedelta(hours=3)
        )
        .order_by("-accepted_at")
        .values_list("accepted_at", flat=True)[:11]
        if moment is not None
    ]
    gaps = [(a - b).total_seconds() / 60 for a, b in zip(accepted, accepted[1:], strict=False)]
    per_place = statistics.median(gaps) if len(gaps) >= 3 else DEFAULT_MINUTES_PER_PLACE
    return max(1, math.ceil(position * max(per_place, 0.5)))


# --- statistics (anonymous counts only) -------------------------------------------------------


def _stat_add(language: str, **increments: int) -> None:
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    counter_add(ChatHourStat, {"hour": hour, "language": language}, **increments)


@dataclass(frozen=True)
class HourCounts:
    """The anonymous counts of one hour and language, as another system (or the demo) has them."""

    hour: datetime
    language: str
    chats_started: int = 0
    chats_accepted: int = 0
    wait_seconds_total: int = 0
    messages_sent: int = 0
    messages_left: int = 0


@dataclass(frozen=True)
class TopicCount:
    day: date
    topic: str
    count: int


def _hour_problems(row: HourCounts) -> list[str]:
    problems = []
    if timezone.is_naive(row.hour) or row.hour.minute or row.hour.second or row.hour.microsecond:
        problems.append(_("%(hour)s is not a whole hour with a time zone.") % {"hour": row.hour})
    if row.language not in dict(settings.LANGUAGES):
        problems.append(_("Unknown language %(code)r.") % {"code": row.language})
    counts = (
        row.chats_started,
        row.chats_accepted,
        row.wait_seconds_total,
        row.messages_sent,
        row.messages_left,
    )
    if any(count < 0 for count in counts):
        problems.append(_("Counts cannot be negative (%(hour)s).") % {"hour": row.hour})
    if row.chats_accepted > row.chats_started:
        problems.append(_("More chats accepted than started in %(hour)s.") % {"hour": row.hour})
    return problems


def chat_stats_import(
    *, hour_counts: Iterable[HourCounts], topic_counts: Iterable[TopicCount]
) -> int:
    """Add counts carried over from earlier work (a previous chat system, or the demo's
    history) to the anonymous trend figures; returns the number of rows written.

    Everything is checked first: one bad row refuses the whole import (``ChatError`` listing
    the first problems) and nothing is stored. Counts for an hour or day Baken already has are
    added to it. The import itself is written to the audit trail.
    """
    hour_rows, topic_rows = list(hour_counts), list(topic_counts)
    problems = [problem for row in hour_rows for problem in _hour_problems(row)]
    for topic in topic_rows:
        if topic.topic not in Topic.values:
            problems.append(_("Unknown topic %(topic)r.") % {"topic": topic.topic})
        if topic.count < 0:
            problems.append(_("Counts cannot be negative (%(day)s).") % {"day": topic.day})
    if problems:
        raise ChatError("bad_import", " ".join(problems[:5]))
    with transaction.atomic():
        written = counters_add_many(
            ChatHourStat,
            ("hour", "language"),
            (
                (
                    (row.hour, row.language),
                    {
                        "chats_started": row.chats_started,
                        "chats_accepted": row.chats_accepted,
                        "wait_seconds_total": row.wait_seconds_total,
                        "messages_sent": row.messages_sent,
                        "messages_left": row.messages_left,
                    },
                )
                for row in hour_rows
            ),
        )
        written += counters_add_many(
            ChatTopicStat,
            ("day", "topic"),
            (((topic.day, topic.topic), {"count": topic.count}) for topic in topic_rows),
        )
        audit_record(
            action=AuditAction.CREATE,
            object_type="chat.ChatHourStat",
            purpose=f"import of earlier counts: {len(hour_rows)} hours, {len(topic_rows)} topic days",
        )
    return written


# --- the visitor's side -----------------------------------------------------------------------


def _conversation_new(kind: str, language: str, nickname: str, **digests: str) -> Conversation:
    now = timezone.now()
    return Conversation.objects.create(
        kind=kind,
        language=language,
        nickname=nickname.strip()[:40],
        created_at=now,
        last_activity_at=now,
        **digests,
    )


def chat_start(
    *, language: str, nickname: str = "", shared_selfcheck: str = ""
) -> tuple[Conversation, str]:
    """Open a live conversation; returns it and the token that the visitor's tab keeps."""
    if language not in dict(settings.LANGUAGES):
        raise ChatError("language", _("Choose one of the languages in the list."))
    if not chat_is_open():
        raise ChatError("closed", _("The chat is closed now. You can leave a message."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        conversation = _conversation_new(
            ConversationKind.LIVE, language, nickname, token_digest=_digest("token", token)
        )
        if shared_selfcheck:
            _post(
                conversation,
                sender=MessageSender.SYSTEM,
                kind=MessageKind.EVENT,
                text=shared_selfcheck,
            )
        _stat_add(language, chats_started=1)
        _queue_changed()
    return conversation, token


def chat_leave_message(*, language: str, text: str, nickname: str = "") -> tuple[Conversation, str]:
    """Outside opening hours: store a message; the visitor picks up the answer with the code."""
    text = _checked_text(text)
    code = casework.receipt_code_new()
    with transaction.atomic():
        conversation = _conversation_new(
            ConversationKind.MESSAGE,
            language,
            nickname,
            pickup_digest=_digest("pickup", code.replace("-", "")),
        )
        _post(conversation, sender=MessageSender.VISITOR, kind=MessageKind.TEXT, text=text)
        _stat_add(language, messages_left=1)
        _queue_changed()
    return conversation, code


def message_reply_by_visitor(*, conversation: Conversation, text: str) -> Message:
    """A visitor adds to a left message (picked up with the code); it waits for an answer again."""
    if conversation.status == ConversationStatus.BLOCKED:
        raise ChatError("blocked", _("This conversation has been closed."))
    with transaction.atomic():
        message, _created = _post(
            conversation,
            sender=MessageSender.VISITOR,
            kind=MessageKind.TEXT,
            text=_checked_text(text),
        )
        Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.WAITING)
        _queue_changed()
    return message


def _checked_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ChatError("empty", _("Type a message first."))
    if len(text) > settings.CHAT_MESSAGE_MAX_CHARS:
        raise ChatError(
            "too_long",
            _("A message can be at most %(max)d characters. Split it into parts.")
            % {"max": settings.CHAT_MESSAGE_MAX_CHARS},
        )
    return text


def _number_next_message(conversation_id, *, visible: bool, now):
    """One ``UPDATE … RETURNING`` (PostgreSQL, and SQLite ≥ 3.35): the next ``seq``, the
    previous visible one, and the state, under the row lock the UPDATE takes (on SQLite the
    write lock, taken first, so no lock upgrade can deadlock). The visitor's chain skips notes:
    ``prev_visible_seq`` keeps the old ``last_visible_seq``, as every SET expression of one
    UPDATE reads the old row. Django's ``update()`` cannot return values, hence the SQL."""
    table = Conversation._meta.db_table
    pk = Conversation._meta.pk.get_db_prep_value(conversation_id, connection)
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1, last_activity_at = %s, "  # nosec B608 # table: model meta
            "prev_visible_seq = CASE WHEN %s THEN last_visible_seq ELSE prev_visible_seq END, "
            "last_visible_seq = CASE WHEN %s THEN last_seq + 1 ELSE last_visible_seq END "
            "WHERE id = %s RETURNING last_seq, prev_visible_seq, status, kind, counsellor_id",
            [stamp, visible, visible, pk],
        )
        return cursor.fetchone()


def _post(
    conversation: Conversation,
    *,
    sender: str,
    kind: str,
    text: str,
    client_id: uuid.UUID | None = None,
    author: User | None = None,
    check=None,
) -> tuple[Message, bool]:
    """Store a message with the next ``seq`` and broadcast it after commit.

    Two statements: ``_number_next_message`` numbers it (and locks the conversation's row,
    which orders concurrent messages), one INSERT stores it. ``check`` sees the conversation's
    state as locked and may refuse (the transaction then rolls back).
    """
    visible = kind != MessageKind.NOTE
    now = timezone.now()
    with transaction.atomic():
        numbered = _number_next_message(conversation.pk, visible=visible, now=now)
        if numbered is None:
            raise Conversation.DoesNotExist
        seq, prev_visible, status, kind_of_chat, counsellor_id = numbered
        if check is not None:
            check(status=status, kind=kind_of_chat, counsellor_id=counsellor_id)
        message = Message.objects.create(
            conversation_id=conversation.pk,
            seq=seq,
            prev_seq=prev_visible if visible else 0,
            client_id=client_id,
            sender=sender,
            kind=kind,
            author=author,
            text=text,
            sent_at=now,
        )
        conversation.last_seq = seq
        _send_on_commit(
            conversation_group(conversation.pk),
            message_event(message),
            staff_only=not visible,
        )
    return message, True


def chat_message_post(
    *,
    conversation: Conversation,
    sender: str,
    text: str,
    client_id: uuid.UUID | None = None,
    author: User | None = None,
) -> tuple[Message, bool]:
    """A chat message from the visitor or the counsellor: stored, then sent on. Only ``pk`` of
    ``conversation`` is used, so a consumer may pass ``Conversation(pk=...)``."""
    text = _checked_text(text)

    def check(*, status: str, kind: str, counsellor_id) -> None:
        if status not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE) and (
            kind == ConversationKind.LIVE
        ):
            raise ChatError(
                "ended", _("This chat has ended. Start a new chat if you want to talk.")
            )
        if sender == MessageSender.COUNSELLOR and counsellor_id != getattr(author, "pk", None):
            raise ChatError("not_yours", _("Accept this chat before you write in it."))

    try:
        return _post(
            conversation,
            sender=sender,
            kind=MessageKind.TEXT,
            text=text,
            client_id=client_id,
            author=author,
            check=check,
        )
    except IntegrityError:
        # A retry of a stored message (same client_id): the first attempt's broadcast may have
        # died with the server process that stored it. Send the stored one again; clients drop
        # what they already have.
        existing = (
            Message.objects.filter(conversation_id=conversation.pk, client_id=client_id)
            .select_related("author")
            .first()
        )
        if existing is None:
            raise
        _send(conversation_group(conversation.pk), message_event(existing))
        return existing, False


def chat_note_add(
    *, conversation: Conversation, author: User, text: str, client_id: uuid.UUID | None = None
) -> tuple[Message, bool]:
    """An internal note: only counsellors see it, never the visitor. Only the counsellor who
    has the chat writes in it, notes included (a colleague watching the queue does not)."""

    def check(*, status: str, kind: str, counsellor_id) -> None:
        if counsellor_id != author.pk:
            raise ChatError("not_yours", _("Accept this chat before you write in it."))

    return _post(
        conversation,
        sender=MessageSender.COUNSELLOR,
        kind=MessageKind.NOTE,
        text=_checked_text(text),
        client_id=client_id,
        author=author,
        check=check,
    )


def chat_is_handled_by(*, conversation_id: uuid.UUID, user: User) -> bool:
    """Whether ``user`` is the counsellor who has this chat now (typing is theirs alone)."""
    return Conversation.objects.filter(pk=conversation_id, counsellor=user).exists()


def messages_since(conversation: Conversation, last_seq: int, *, for_staff: bool) -> list[Message]:
    messages = Message.objects.filter(conversation=conversation, seq__gt=last_seq).select_related(
        "author"
    )
    if not for_staff:
        messages = messages.exclude(kind=MessageKind.NOTE)
    return list(messages.order_by("seq"))


def chat_consent_answer(*, conversation: Conversation, granted: bool) -> Conversation:
    """The visitor's answer to "may we pass this on?", given in the chat itself."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.consent_requested_at is None:
            raise ChatError("no_question", _("Nobody asked for your consent."))
        conversation.consent_given_at = timezone.now() if granted else None
        conversation.save(update_fields=["consent_given_at"])
        with override(conversation.language):
            text = (
                _("The visitor agrees that this conversation is passed on as a signal.")
                if granted
                else _("The visitor does not want this conversation passed on.")
            )
        _post(conversation, sender=MessageSender.SYSTEM, kind=MessageKind.EVENT, text=text)
        _send_on_commit(conversation.group_name, status_event(conversation))
    return conversation


def chat_end(*, conversation: Conversation, by: User | None = None) -> Conversation:
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not conversation.is_open:
            return conversation
        was_waiting = conversation.status == ConversationStatus.WAITING
        conversation.status = ConversationStatus.ENDED
        conversation.ended_at = timezone.now()
        conversation.save(update_fields=["status", "ended_at"])
        with override(conversation.language):
            text = _("The chat has ended.") if by else _("The visitor ended the chat.")
        _post(conversation, sender=MessageSender.SYSTEM, kind=MessageKind.EVENT, text=text)
        sent = (
            Message.objects.filter(conversation=conversation, kind=MessageKind.TEXT)
            .exclude(sender=MessageSender.SYSTEM)
            .count()
        )
        _stat_add(conversation.language, messages_sent=sent)
        _send_on_commit(conversation.group_name, status_event(conversation))
        if was_waiting:
            _queue_changed()
    return conversation


def chat_delete_by_visitor(*, conversation: Conversation) -> bool:
    """ "Delete my chat": the transcript goes at once. A signal already made of it stays with
    the knowledge centre (the visitor agreed to that); only the copy in the chat goes."""
    if conversation.is_open:
        chat_end(conversation=conversation)
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).delete()
    return True


# --- the counsellor's side --------------------------------------------------------------------


def chat_accept(*, conversation: Conversation, counsellor: User) -> Conversation:
    """Take a waiting chat. Two counsellors accepting at once: the first wins."""
    now = timezone.now()
    with transaction.atomic():
        taken = Conversation.objects.filter(
            pk=conversation.pk, status=ConversationStatus.WAITING
        ).update(status=ConversationStatus.ACTIVE, counsellor=counsellor, accepted_at=now)
        if not taken:
            raise ChatError("taken", _("A colleague has already accepted this chat."))
        conversation = Conversation.objects.select_related("counsellor", "signal").get(
            pk=conversation.pk
        )
        with override(conversation.language):
            text = _("%(name)s joined the chat.") % {"name": counsellor_label(counsellor)}
        _post(conversation, sender=MessageSender.SYSTEM, kind=MessageKind.EVENT, text=text)
        if conversation.kind == ConversationKind.LIVE:
            wait = int((now - conversation.created_at).total_seconds())
            _stat_add(conversation.language, chats_accepted=1, wait_seconds_total=wait)
        _send_on_commit(conversation.group_name, status_event(conversation))
        _signal_on_commit(
            user_group(counsellor.pk), "chat.assigned", conversation=str(conversation.pk)
        )
        _queue_changed()
    audit_read(conversation, purpose="chat", fields=["nickname", "messages"])
    return conversation


def _own(conversation: Conversation, user: User) -> Conversation:
    current = Conversation.objects.select_related("counsellor", "signal").get(pk=conversation.pk)
    if current.counsellor_id != user.pk:
        raise ChatError("not_yours", _("Only the counsellor of this chat can do that."))
    return current


def chat_transfer(*, conversation: Conversation, by: User, to: User) -> Conversation:
    if not can_answer_chats(to):
        raise ChatError("not_counsellor", _("This colleague cannot answer chats."))
    with transaction.atomic():
        conversation = _own(conversation, by)
        conversation.counsellor = to
        conversation.save(update_fields=["counsellor"])
        with override(conversation.language):
            text = _("%(name)s takes over the chat.") % {"name": counsellor_label(to)}
        _post(conversation, sender=MessageSender.SYSTEM, kind=MessageKind.EVENT, text=text)
        _send_on_commit(conversation.group_name, status_event(conversation))
        _signal_on_commit(user_group(to.pk), "chat.assigned", conversation=str(conversation.pk))
        _signal_on_commit(user_group(by.pk), "chat.released", conversation=str(conversation.pk))
    return conversation


def chat_mark_crisis(*, conversation: Conversation, by: User) -> Conversation:
    """Crisis: the coordinators of the region are alerted at once (in Baken and by e-mail)."""
    with transaction.atomic():
        conversation = _own(conversation, by)
        if conversation.is_crisis:
            return conversation
        conversation.is_crisis = True
        conversation.save(update_fields=["is_crisis"])
        _post(
            conversation,
            sender=MessageSender.COUNSELLOR,
            kind=MessageKind.NOTE,
            author=by,
            text=_("Marked as crisis; the coordinators have been alerted."),
        )
        url = reverse("chat:console") + f"#chat-{conversation.pk}"
        subject = _("Crisis in chat %(id)s: %(name)s needs help now") % {
            "id": conversation.short_id,
            "name": counsellor_label(by),
        }
        for coordinator in User.objects.with_role(Role.COORDINATOR).exclude(pk=by.pk):
            casework.notification_send(recipient=coordinator, subject=subject, url=url)
        _send_on_commit(conversation.group_name, status_event(conversation), staff_only=True)
    return conversation


def chat_consent_request(*, conversation: Conversation, by: User) -> Conversation:
    with transaction.atomic():
        conversation = _own(conversation, by)
        conversation.consent_requested_at = timezone.now()
        conversation.save(update_fields=["consent_requested_at"])
        with override(conversation.language):
            text = _(
                "Your counsellor asks whether they may pass on what you told as a signal to the "
                "knowledge centre, so that people can help you. You decide."
            )
        _post(conversation, sender=MessageSender.SYSTEM, kind=MessageKind.EVENT, text=text)
        _send_on_commit(
            conversation.group_name,
            {"type": "consent.request", "conversation": str(conversation.pk)},
        )
    return conversation


def chat_tag(*, conversation: Conversation, by: User, topics: list[str]) -> Conversation:
    """Tag topics; each topic newly added counts once in the day's trend figures."""
    valid = [code for code in topics if code in Topic.values]
    if len(valid) != len(topics):
        raise ChatError("topic", _("Choose topics from the list."))
    with transaction.atomic():
        conversation = _own(conversation, by)
        added = set(valid) - set(conversation.topic_list)
        conversation.topics = ",".join(sorted(set(valid)))
        conversation.save(update_fields=["topics"])
        today = timezone.localdate()
        for topic in added:
            counter_add(ChatTopicStat, {"day": today, "topic": topic}, count=1)
        _send_on_commit(conversation.group_name, status_event(conversation), staff_only=True)
    return conversation


def chat_end_by_counsellor(*, conversation: Conversation, by: User) -> Conversation:
    _own(conversation, by)
    return chat_end(conversation=conversation, by=by)


def chat_block(*, conversation: Conversation, by: User, reason: str = "") -> Conversation:
    """Block the visitor's token: the chat ends and this tab cannot write again. The visitor's
    socket also parks its rotating address hash in the cache for ``CHAT_BLOCK_HOURS``."""
    with transaction.atomic():
        conversation = _own(conversation, by)
        conversation.status = ConversationStatus.BLOCKED
        conversation.ended_at = timezone.now()
        conversation.save(update_fields=["status", "ended_at"])
        _post(
            conversation,
            sender=MessageSender.COUNSELLOR,
            kind=MessageKind.NOTE,
            author=by,
            text=_("Blocked: %(reason)s") % {"reason": reason or "-"},
        )
        _send_on_commit(conversation.group_name, status_event(conversation))
    return conversation


def counsellor_reply_to_message(*, conversation: Conversation, by: User, text: str) -> Message:
    """Answer a message left outside opening hours; the visitor reads it with their code."""
    with transaction.atomic():
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if current.counsellor_id is None:
            current.counsellor = by
            current.accepted_at = timezone.now()
        current.status = ConversationStatus.ACTIVE
        current.save(update_fields=["counsellor", "accepted_at", "status"])
        message, _created = _post(
            current,
            sender=MessageSender.COUNSELLOR,
            kind=MessageKind.TEXT,
            text=_checked_text(text),
            author=by,
        )
        _queue_changed()
    return message


def conversations_of(user: User) -> QuerySet[Conversation]:
    """The open live chats a counsellor is in."""
    return Conversation.objects.filter(
        counsellor=user, kind=ConversationKind.LIVE, status=ConversationStatus.ACTIVE
    ).select_related("counsellor", "signal")


def transcript_for_staff(conversation: Conversation, *, purpose: str) -> list[Message]:
    audit_read(conversation, purpose=purpose, fields=["nickname", "messages"])
    return messages_since(conversation, 0, for_staff=True)


# --- hand-over to casework --------------------------------------------------------------------


def chat_to_signal(
    *,
    conversation: Conversation,
    by: User,
    summary: str,
    exploitation_forms: list[str],
    municipality=None,
    include_transcript: bool = True,
    involves_minor: bool = False,
) -> Signal:
    """Turn the conversation into a casework signal; only with the consent the visitor gave in
    the chat, and only once."""
    conversation = Conversation.objects.select_related("signal").get(pk=conversation.pk)
    if conversation.counsellor_id != by.pk:
        raise ChatError("not_yours", _("Only the counsellor of this chat can do that."))
    if conversation.signal is not None:
        raise ChatError(
            "already",
            _("This chat is already signal %(ref)s.") % {"ref": conversation.signal.reference},
        )
    if conversation.consent_given_at is None:
        raise ChatError(
            "no_consent",
            _("The visitor has not agreed in the chat. Ask for consent first."),
        )
    description = summary.strip()
    if include_transcript:
        lines = [
            f"[{m.sent_at:%H:%M}] {m.get_sender_display()}: {m.text}"
            for m in transcript_for_staff(conversation, purpose="chat-to-signal")
            if m.kind == MessageKind.TEXT
        ]
        description += "\n\n" + _("Chat transcript (%(lang)s):") % {"lang": conversation.language}
        description += "\n" + "\n".join(lines)
    with transaction.atomic():
        signal = casework.signal_create(
            reporter=by,
            source=SignalSource.CHAT,
            description=description,
            municipality=municipality,
            exploitation_forms=exploitation_forms,
            is_crisis=conversation.is_crisis,
            involves_minor=involves_minor,
        )
        Conversation.objects.filter(pk=conversation.pk).update(signal=signal)
        conversation.signal = signal
        _post(
            conversation,
            sender=MessageSender.COUNSELLOR,
            kind=MessageKind.NOTE,
            author=by,
            text=_("Passed on as signal %(ref)s.") % {"ref": signal.reference},
        )
        _send_on_commit(conversation.group_name, status_event(conversation), staff_only=True)
    return signal


# --- retention --------------------------------------------------------------------------------


@dataclass
class ChatPurgeReport:
    conversations_deleted: int = 0
    kept_for_signals: int = 0
    ids: list[str] = field(default_factory=list)


def chat_purge(*, dry_run: bool, now=None) -> ChatPurgeReport:
    """Delete transcripts ``CHAT_RETENTION_DAYS`` after the last activity, unless a signal was
    made of the conversation (then the signal's own retention applies). The hourly counts stay:
    they hold no text and no identifiers."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CHAT_RETENTION_DAYS)
    old = Conversation.objects.filter(last_activity_at__lt=cutoff)
    report = ChatPurgeReport(
        kept_for_signals=old.filter(signal__isnull=False).count(),
    )
    doomed = old.filter(signal__isnull=True)
    report.ids = [str(pk)[:8] for pk in doomed.values_list("pk", flat=True)]
    report.conversations_deleted = len(report.ids)
    if not dry_run:
        doomed.delete()
    return report
