"""Chat's numbers for insight: the anonymous hour and topic counts, as facts (no region: the chat
serves everyone who finds it, and knows nothing about where a visitor is)."""

from __future__ import annotations

from collections.abc import Iterator

from baken.chat.models import ChatHourStat, ChatTopicStat, Topic
from baken.lib.facts import TOTAL, Fact, month_of

__all__ = ["TOPICS", "chat_facts"]

#: The values of the "topic" dimension, with their (lazy) labels.
TOPICS = Topic.choices


def chat_facts() -> Iterator[Fact]:
    rows = ChatHourStat.objects.values_list(
        "hour",
        "language",
        "chats_started",
        "chats_accepted",
        "wait_seconds_total",
        "messages_left",
        "messages_sent",
    )
    for hour, language, started, accepted, waited, left, sent in rows.iterator():
        month = month_of(hour)
        if started:
            yield Fact("chats_started", month, None, TOTAL, "", count=started)
            yield Fact("chats_started", month, None, "language", language, count=started)
        if accepted:
            yield Fact("chats_answered", month, None, TOTAL, "", count=accepted, total=waited)
        if left:
            yield Fact("chat_messages_left", month, None, TOTAL, "", count=left)
        if sent:
            yield Fact("chat_messages", month, None, TOTAL, "", count=sent)
    for day, topic, count in ChatTopicStat.objects.values_list("day", "topic", "count").iterator():
        yield Fact("chat_topics", month_of(day), None, "topic", topic, count=count)
