"""The anonymous chat: conversations of visitors with counsellors, their messages, and the
counts kept for trends.

A visitor is known only by a random token that their browser tab keeps (``sessionStorage``);
the database holds a keyed digest of it, never the token and never an address. Message text and
nicknames are encrypted at rest (django-fernet-encrypted-fields, as in casework). Transcripts
are deleted ``CHAT_RETENTION_DAYS`` after the conversation ended unless a signal was made of it
(``baken purge``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField


class ConversationKind(models.TextChoices):
    LIVE = "live", _("Live chat")
    MESSAGE = "message", _("Message left outside opening hours")


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("In conversation")
    ENDED = "ended", _("Ended")
    BLOCKED = "blocked", _("Blocked")


class Topic(models.TextChoices):
    """What a conversation was about, tagged by the counsellor; counted for trends."""

    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    GROOMING = "grooming", _("Lover boy or online grooming")
    SEXTORTION = "sextortion", _("Sextortion or a forwarded picture")
    MONEY_MULE = "money_mule", _("Drug running or money mule")
    DEBTS_HOUSING = "debts_housing", _("Debts and housing tied to work")
    WORRIED_OTHER = "worried_other", _("Worried about someone else")
    INFORMATION = "information", _("Information only")
    OTHER = "other", _("Something else")


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=ConversationKind.choices)
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.WAITING
    )
    language = models.CharField(_("language"), max_length=8)
    nickname = EncryptedCharField(_("nickname"), max_length=40, blank=True, null=True)
    #: Keyed digest of the tab's token (live chat) and of the pick-up code (message).
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    pickup_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_conversations",
    )
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField()
    #: The highest sequence number handed out; the row lock on it orders the messages.
    last_seq = models.PositiveIntegerField(default=0)
    #: The highest ``seq`` the visitor may see (internal notes are numbered but never shown).
    last_visible_seq = models.PositiveIntegerField(default=0)
    #: ``last_visible_seq`` before the latest visible message (see ``services._post``).
    prev_visible_seq = models.PositiveIntegerField(default=0)
    is_crisis = models.BooleanField(default=False)
    consent_requested_at = models.DateTimeField(null=True, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    topics = models.CharField(max_length=200, blank=True, default="")
    signal = models.ForeignKey(
        "casework.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_conversations",
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"chat {str(self.pk)[:8]}"

    @property
    def group_name(self) -> str:
        return conversation_group(self.pk)

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8]

    @property
    def topic_list(self) -> list[str]:
        return [code for code in self.topics.split(",") if code]

    @property
    def is_open(self) -> bool:
        return self.status in (ConversationStatus.WAITING, ConversationStatus.ACTIVE)


def conversation_group(conversation_id) -> str:
    """Channel-layer group of one conversation (visitor sockets and counsellor consoles)."""
    return f"chat.c.{uuid.UUID(str(conversation_id)).hex}"


class MessageSender(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    COUNSELLOR = "counsellor", _("Counsellor")
    SYSTEM = "system", _("System")


class MessageKind(models.TextChoices):
    TEXT = "text", _("Message")
    NOTE = "note", _("Internal note")  # never shown to the visitor
    EVENT = "event", _("Event")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField()
    #: For a message the visitor sees: the ``seq`` of the one before it that the visitor sees
    #: (0 for the first). A visitor's tab can thus tell a gap from a hidden note, and asks for
    #: what it missed (docs/chat.md, "delivery").
    prev_seq = models.PositiveIntegerField(default=0)
    #: Chosen by the sending client; a retried send with the same id is stored once.
    client_id = models.UUIDField(null=True, blank=True)
    sender = models.CharField(max_length=10, choices=MessageSender.choices)
    kind = models.CharField(max_length=10, choices=MessageKind.choices, default=MessageKind.TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    text = EncryptedTextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_seq_unique"),
            models.UniqueConstraint(
                fields=["conversation", "client_id"],
                condition=Q(client_id__isnull=False),
                name="chat_message_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation} #{self.seq}"

    @property
    def visible_to_visitor(self) -> bool:
        return self.kind != MessageKind.NOTE


class CannedAnswer(models.Model):
    """A prepared answer in one language; the counsellor may edit it before sending."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=80)
    text = models.TextField(_("text"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["language", "position", "title"]
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class OpeningHours(models.Model):
    """When counsellors are on duty, per weekday (0 = Monday). Several rows per day may exist."""

    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"), help_text=_("00:00 means midnight at the end"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class ClosedDay(models.Model):
    """A day the chat is closed besides the Dutch public holidays."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class ChatHourStat(models.Model):
    """Anonymous counts per hour and language, for trends. No identifiers, no text."""

    hour = models.DateTimeField()
    language = models.CharField(max_length=8)
    chats_started = models.PositiveIntegerField(default=0)
    chats_accepted = models.PositiveIntegerField(default=0)
    wait_seconds_total = models.PositiveBigIntegerField(default=0)
    messages_left = models.PositiveIntegerField(default=0)
    messages_sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hour", "language"], name="chat_hour_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.language}"


class ChatTopicStat(models.Model):
    """Topics tagged by counsellors, counted per day. No link to any conversation."""

    day = models.DateField()
    topic = models.CharField(max_length=20, choices=Topic.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "topic"], name="chat_topic_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.topic}: {self.count}"
