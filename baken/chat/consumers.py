"""Websocket adapters for the chat. They validate frames (``events.py``), call
``chat.services`` in a worker thread, and forward events from the channel layer.

Nothing here writes to the database itself, and nothing here stores or logs a visitor's
address: the address is only turned into the rotating hash of ``baken.lib.anonymity`` for the
cache-held block list.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import rules
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.accounts.services import (
    session_is_verified,
    staff_session_check,
    staff_session_note_activity,
)
from baken.audit.context import Actor, acting_as
from baken.chat import events, services
from baken.chat.models import Conversation, ConversationKind, ConversationStatus, MessageSender
from baken.chat.selectors import colleagues_for_transfer, queue_snapshot
from baken.lib import anonymity
from baken.lib.access import mfa_is_required
from baken.lib.metrics import CHAT_SOCKETS


class _TokenBucket:
    """Per-connection rate limit: ``rate`` frames per second with bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


ERROR_MESSAGES = {
    "invalid": lambda: _("We could not read that. Please try again."),
    "too_large": lambda: _("That message is too long."),
    "too_long": lambda: (
        _("A message can be at most %(max)d characters. Split it into parts.")
        % {"max": settings.CHAT_MESSAGE_MAX_CHARS}
    ),
    "rate": lambda: _("You are sending very fast. Wait a moment, then try again."),
    "unknown": lambda: _("This chat no longer exists. You can start a new chat."),
    "blocked": lambda: _("This chat has been closed by the counsellor."),
    "hello_first": lambda: _("Connecting… please wait."),
    "forbidden": lambda: _("You are not allowed to do that."),
    "not_yours": lambda: _("Accept this chat before you write in it."),
    "session_ended": lambda: _("Your session has ended. Log in again."),
}

#: How long a console remembers whether it has a chat (typing frames come many a second).
HANDLES_REMEMBERED_SECONDS = 5.0
#: A console looks at its session at the latest this often, even far from its deadline: a
#: password changed or an account deactivated elsewhere ends the socket within this time.
#: (Logging out ends it at once: ``chat.signals`` tells the user's consoles.)
SESSION_RECHECK_SECONDS = 30.0
#: Close code of a console whose session ended; the page then reloads into the login.
CLOSE_SESSION_ENDED = 4401


class _ChatConsumer(AsyncWebsocketConsumer):
    #: The kind of socket counted in ``baken_chat_sockets`` once accepted (see ``_uncount``).
    counted_as: str | None = None

    def _uncount(self) -> None:
        if self.counted_as is not None:
            CHAT_SOCKETS.labels(kind=self.counted_as).dec()
            self.counted_as = None

    language = settings.LANGUAGE_CODE

    async def dispatch(self, message: dict) -> None:
        """Channels closes stale database connections (a thread hop) before every frame and
        every channel-layer event; these consumers reach the database only through
        ``database_sync_to_async``, which does that itself, so relaying an event stays on the
        event loop."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def broadcast(self, collected: list[tuple[str, dict]]) -> None:
        for group, message in collected:
            await self.channel_layer.group_send(group, message)

    # Each consumer says how frames are read, how ``hello`` is answered, why it would refuse
    # anything else (an error code, or None), and what the other frames do.
    parse_frame = staticmethod(events.parse_visitor_frame)

    async def hello(self, frame) -> None:
        raise NotImplementedError

    def refusal(self) -> str | None:
        return None

    async def dispatch_frame(self, frame) -> None:
        raise NotImplementedError

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        if not self.bucket.take():
            await self.send_error("rate")
            return
        try:
            frame = self.parse_frame(text_data or "")
        except events.FrameError as error:
            await self.send_error(error.code)
            return
        if frame.type == "ping":
            await self.send_json({"type": "pong"})
        elif frame.type == "hello":
            await self.hello(frame)
        elif refused := self.refusal():
            await self.send_error(refused)
        else:
            try:
                await self.dispatch_frame(frame)
            except services.ChatError as error:
                await self.send_error(error.code, str(error))
            except Conversation.DoesNotExist:
                await self.send_error("unknown")

    async def relay_typing(self, conversation_id, sender: str, active: bool) -> None:
        """Typing is never stored: straight to the conversation's group."""
        await self.channel_layer.group_send(
            services.conversation_group(conversation_id),
            {
                "type": "chat.event",
                "staff_only": False,
                "event": {
                    "type": "typing",
                    "conversation": str(conversation_id),
                    "sender": sender,
                    "active": active,
                },
            },
        )

    async def call(self, function, conversation_id, **kwargs):
        """Run a ``chat.services`` function in a worker thread as this socket's actor, then
        send what it broadcast (on the event loop, not from the database thread). Services
        read the conversation themselves (under a lock where it matters): only the primary key
        is passed, which saves a query per message."""
        result, collected = await self._call_in_thread(function, conversation_id, **kwargs)
        await self.broadcast(collected)
        return result

    def actor(self) -> Actor:
        raise NotImplementedError

    @database_sync_to_async
    def _call_in_thread(self, function, conversation_id, **kwargs):
        conversation = Conversation(pk=conversation_id)
        with acting_as(self.actor()), translation.override(self.language):
            return services.collecting_broadcasts(function, conversation=conversation, **kwargs)

    async def send_json(self, event: dict) -> None:
        await self.send(text_data=json.dumps(event, ensure_ascii=False))

    async def send_error(self, code: str, message: str = "") -> None:
        if not message:
            with translation.override(self.language):
                message = ERROR_MESSAGES.get(code, ERROR_MESSAGES["invalid"])()
        await self.send_json({"type": "error", "code": code, "message": message})


class VisitorConsumer(_ChatConsumer):
    """``/ws/chat/``: one visitor's tab. The first frame must be ``hello`` with the token."""

    conversation_id: uuid.UUID | None = None

    async def connect(self) -> None:
        self.bucket = _TokenBucket(rate=settings.CHAT_FRAMES_PER_SECOND, burst=10)
        client = self.scope.get("client") or ("", 0)
        # Kept in memory for this connection only, to park it on the block list if blocked.
        self.visitor_key = anonymity.visitor_key(client[0])
        self.in_waiting_group = False
        self.position_sent_at = 0.0
        await self.accept()
        self.counted_as = "visitor"
        CHAT_SOCKETS.labels(kind=self.counted_as).inc()

    async def disconnect(self, code: int) -> None:
        self._uncount()
        if self.conversation_id:
            await self.channel_layer.group_discard(
                services.conversation_group(self.conversation_id), self.channel_name
            )
        if self.in_waiting_group:
            await self.channel_layer.group_discard(services.WAITING_GROUP, self.channel_name)

    def refusal(self) -> str | None:
        return "hello_first" if self.conversation_id is None else None

    async def hello(self, frame: events.VisitorHello) -> None:
        welcome = await self._welcome(frame.token, frame.last_seq)
        if welcome is None:
            await self.send_error("unknown")
            return
        conversation_id, welcome_event, waiting = welcome
        if self.conversation_id and self.conversation_id != conversation_id:
            await self.channel_layer.group_discard(
                services.conversation_group(self.conversation_id), self.channel_name
            )
        self.conversation_id = conversation_id
        self.language = welcome_event["conversation"]["language"]
        await self.channel_layer.group_add(
            services.conversation_group(conversation_id), self.channel_name
        )
        if waiting and not self.in_waiting_group:
            await self.channel_layer.group_add(services.WAITING_GROUP, self.channel_name)
            self.in_waiting_group = True
        await self.send_json(welcome_event)

    @database_sync_to_async
    def _welcome(self, token: str, last_seq: int):
        conversation = services.conversation_for_token(token)
        if conversation is None or conversation.kind != ConversationKind.LIVE:
            return None
        position = services.queue_position(conversation)
        state = {
            "id": str(conversation.pk),
            "status": conversation.status,
            "language": conversation.language,
            "nickname": conversation.nickname or "",
            "counsellor": services.counsellor_label(conversation.counsellor),
            "position": position,
            "expected_wait_minutes": services.expected_wait_minutes(position),
            "consent_requested": conversation.consent_requested_at is not None,
            "consent_given": conversation.consent_given_at is not None,
        }
        messages = services.messages_since(conversation, last_seq, for_staff=False)
        event = {
            "type": "welcome",
            "conversation": state,
            "messages": [services.message_event(m) for m in messages],
        }
        return conversation.pk, event, conversation.status == ConversationStatus.WAITING

    async def dispatch_frame(self, frame) -> None:
        if frame.type == "message.send":
            # A retry with a known client_id is sent to the group again by the service.
            await self.call(
                services.chat_message_post,
                self.conversation_id,
                sender=MessageSender.VISITOR,
                text=frame.text,
                client_id=frame.client_id,
            )
        elif frame.type == "typing":
            await self.relay_typing(self.conversation_id, "visitor", frame.active)
        elif frame.type == "consent.answer":
            await self.call(
                services.chat_consent_answer, self.conversation_id, granted=frame.granted
            )
        elif frame.type == "chat.end":
            await self.call(services.chat_end, self.conversation_id)

    def actor(self) -> Actor:
        return Actor(actor_name="anonymous", origin="chat")

    # --- events from the channel layer ----------------------------------------------------

    async def chat_event(self, message: dict) -> None:
        if message.get("staff_only"):
            return
        event = message["event"]
        if event["type"] == "typing" and event.get("sender") == "visitor":
            return
        if event["type"] == "status":
            if event["status"] == ConversationStatus.BLOCKED:
                anonymity.block(self.visitor_key, hours=settings.CHAT_BLOCK_HOURS)
            if event["status"] != ConversationStatus.WAITING and self.in_waiting_group:
                await self.channel_layer.group_discard(services.WAITING_GROUP, self.channel_name)
                self.in_waiting_group = False
        await self.send_json(event)

    async def chat_position_changed(self, message: dict) -> None:
        """The queue moved: tell this visitor their place, at most once every two seconds."""
        now = time.monotonic()
        if now - self.position_sent_at < 2 or self.conversation_id is None:
            return
        self.position_sent_at = now
        event = await self._position()
        if event:
            await self.send_json(event)

    @database_sync_to_async
    def _position(self) -> dict | None:
        if self.conversation_id is None:
            return None
        conversation = Conversation.objects.filter(pk=self.conversation_id).first()
        if conversation is None or conversation.status != ConversationStatus.WAITING:
            return None
        position = services.queue_position(conversation)
        return {
            "type": "queue.position",
            "conversation": str(conversation.pk),
            "position": position,
            "expected_wait_minutes": services.expected_wait_minutes(position),
        }


class ConsoleConsumer(_ChatConsumer):
    """``/ws/chat/console/``: a counsellor's console (several chats at once) or a coordinator
    watching the queue. Needs a staff session with a verified second factor."""

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        allowed = await self._allowed()
        if not allowed:
            await self.close(code=4403)
            return
        self.can_answer, self.actor_for_audit = allowed
        self.language = self.scope.get("session", {}).get("_language") or settings.LANGUAGE_CODE
        self.bucket = _TokenBucket(rate=settings.CHAT_FRAMES_PER_SECOND * 2, burst=20)
        self.joined: set[str] = set()
        #: conversation id -> (whether this counsellor has it, until when that answer holds)
        self.handles: dict[object, tuple[bool, float]] = {}
        await self.channel_layer.group_add(services.QUEUE_GROUP, self.channel_name)
        await self.channel_layer.group_add(services.user_group(self.user.pk), self.channel_name)
        await self.accept()
        self.counted_as = "console"
        CHAT_SOCKETS.labels(kind=self.counted_as).inc()
        self.activity_noted_at = 0.0
        self.session_watch = asyncio.get_running_loop().create_task(self._watch_session())

    # --- the staff session behind the socket ----------------------------------------------
    # Permission was checked on connect; the session can end afterwards (logout, idle,
    # absolute limit, password change, deactivation). The socket then stops at once: it does
    # not keep receiving chats for someone who is no longer logged in.

    @property
    def session_key(self) -> str | None:
        session = self.scope.get("session")
        return session.session_key if session is not None else None

    async def _watch_session(self) -> None:
        while True:
            reason, deadline = await database_sync_to_async(staff_session_check)(
                session_key=self.session_key, user=self.user
            )
            if reason is not None:
                await self._end_for_session()
                return
            wait = (deadline or 0) - time.time() + 1
            await asyncio.sleep(min(max(wait, 1.0), SESSION_RECHECK_SECONDS))

    async def _end_for_session(self) -> None:
        await self.send_error("session_ended")
        await self.close(code=CLOSE_SESSION_ENDED)

    async def session_ended(self, message: dict) -> None:
        """Channel-layer event: this user logged out (of this session, or of all)."""
        if message.get("session_key") in (None, self.session_key):
            await self._end_for_session()

    async def _note_activity(self) -> None:
        """A counsellor working only in the console is not idle (written once a minute)."""
        now = time.monotonic()
        if now - self.activity_noted_at >= 60:
            self.activity_noted_at = now
            await database_sync_to_async(staff_session_note_activity)(session_key=self.session_key)

    @database_sync_to_async
    def _allowed(self):
        user = self.user
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if mfa_is_required() and not session_is_verified(user, self.scope.get("session")):
            return None
        if not rules.has_perm("chat.supervise", user):
            return None
        return rules.has_perm("chat.answer", user), Actor.for_user(user, origin="chat console")

    async def disconnect(self, code: int) -> None:
        self._uncount()
        if getattr(self, "joined", None) is None:
            return  # refused before it was accepted
        watch = getattr(self, "session_watch", None)
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()
        for group in [services.QUEUE_GROUP, *self.joined]:
            await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "user", None) is not None and self.user.is_authenticated:
            await self.channel_layer.group_discard(
                services.user_group(self.user.pk), self.channel_name
            )

    parse_frame = staticmethod(events.parse_console_frame)

    def refusal(self) -> str | None:
        return None if self.can_answer else "forbidden"

    def actor(self) -> Actor:
        return self.actor_for_audit

    async def hello(self, frame: events.ConsoleHello) -> None:
        event = await self._welcome({str(k): v for k, v in frame.last_seq.items()})
        for item in event["conversations"]:
            await self._join(item["conversation"])
        await self.send_json(event)

    async def _join(self, conversation_id: str) -> None:
        group = services.conversation_group(conversation_id)
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.add(group)

    @database_sync_to_async
    def _welcome(self, last_seq: dict[str, int]) -> dict:
        with acting_as(self.actor_for_audit):
            conversations = []
            for conversation in services.conversations_of(self.user):
                seen = last_seq.get(str(conversation.pk), 0)
                if seen == 0:
                    services.audit_read(
                        conversation, purpose="chat", fields=["nickname", "messages"]
                    )
                messages = services.messages_since(conversation, seen, for_staff=True)
                conversations.append(
                    {
                        **services.conversation_summary(conversation),
                        "messages": [services.message_event(m) for m in messages],
                    }
                )
            return {
                "type": "welcome",
                "me": {"id": self.user.pk, "name": services.counsellor_label(self.user)},
                "can_answer": self.can_answer,
                "queue": queue_snapshot(),
                "colleagues": colleagues_for_transfer(exclude=self.user),
                "conversations": conversations,
            }

    async def dispatch_frame(self, frame) -> None:
        kind = frame.type
        await self._note_activity()
        if kind == "typing":
            # Only into a chat this counsellor has: a colleague's visitor must not see "typing…"
            # from someone else. Looked up once per chat and remembered for a few seconds.
            if await self._handles(frame.conversation):
                await self.relay_typing(frame.conversation, "counsellor", frame.active)
            else:
                await self.send_error("not_yours")
            return
        if kind == "chat.accept":
            await self.call(services.chat_accept, frame.conversation, counsellor=self.user)
        elif kind == "message.send":
            await self.call(
                services.chat_message_post,
                frame.conversation,
                sender=MessageSender.COUNSELLOR,
                text=frame.text,
                client_id=frame.client_id,
                author=self.user,
            )
        elif kind == "note.add":
            await self.call(
                services.chat_note_add,
                frame.conversation,
                author=self.user,
                text=frame.text,
                client_id=frame.client_id,
            )
        elif kind == "chat.transfer":
            await self._transfer(frame)
        elif kind == "chat.crisis":
            await self.call(services.chat_mark_crisis, frame.conversation, by=self.user)
        elif kind == "consent.request":
            await self.call(services.chat_consent_request, frame.conversation, by=self.user)
        elif kind == "chat.tag":
            await self.call(
                services.chat_tag, frame.conversation, by=self.user, topics=frame.topics
            )
        elif kind == "chat.end":
            await self.call(services.chat_end_by_counsellor, frame.conversation, by=self.user)
        elif kind == "chat.block":
            await self.call(
                services.chat_block, frame.conversation, by=self.user, reason=frame.reason
            )

    async def _handles(self, conversation_id) -> bool:
        now = time.monotonic()
        known = self.handles.get(conversation_id)
        if known is not None and known[1] > now:
            return known[0]
        mine = await database_sync_to_async(services.chat_is_handled_by)(
            conversation_id=conversation_id, user=self.user
        )
        self.handles[conversation_id] = (mine, now + HANDLES_REMEMBERED_SECONDS)
        return mine

    async def _transfer(self, frame) -> None:
        to = await database_sync_to_async(
            lambda: User.objects.filter(pk=frame.to, is_active=True).first()
        )()
        if to is None:
            raise services.ChatError("not_counsellor", _("This colleague cannot answer chats."))
        await self.call(services.chat_transfer, frame.conversation, by=self.user, to=to)

    # --- events from the channel layer ----------------------------------------------------

    async def chat_event(self, message: dict) -> None:
        event = message["event"]
        if event["type"] == "typing" and event.get("sender") == "counsellor":
            return
        await self.send_json(event)

    async def chat_queue_changed(self, message: dict) -> None:
        snapshot = await database_sync_to_async(queue_snapshot)()
        await self.send_json({"type": "queue", **snapshot})

    async def chat_assigned(self, message: dict) -> None:
        conversation_id = message["conversation"]
        await self._join(conversation_id)
        await self.send_json(await self._assigned(conversation_id))

    @database_sync_to_async
    def _assigned(self, conversation_id: str) -> dict:
        conversation = Conversation.objects.select_related("counsellor", "signal").get(
            pk=conversation_id
        )
        with acting_as(self.actor_for_audit):
            messages = services.transcript_for_staff(conversation, purpose="chat")
        return {
            "type": "assigned",
            "conversation": {
                **services.conversation_summary(conversation),
                "messages": [services.message_event(m) for m in messages],
            },
        }

    async def chat_released(self, message: dict) -> None:
        group = services.conversation_group(message["conversation"])
        if group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.joined.discard(group)
        await self.send_json({"type": "released", "conversation": message["conversation"]})
