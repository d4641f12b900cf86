"""The demo's two years of history are made through the services, at their own dates."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from baken.audit.models import AuditEvent
from baken.casework.models import (
    REFERRAL_TRANSITIONS,
    Action,
    Case,
    CaseStatus,
    Meeting,
    ReferralEvent,
    ReferralStatus,
    Signal,
)
from baken.chat.models import ChatHourStat, ChatTopicStat
from baken.chat.services import ChatError, HourCounts, TopicCount, chat_stats_import
from baken.portal.models import PageViewStat
from baken.portal.services import PageViewCount, PortalError, page_view_stats_import


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def test_the_history_is_in_the_audit_trail_on_the_days_it_happened(demo):
    year_ago = timezone.now() - timedelta(days=365)
    old = Signal.objects.filter(received_at__lt=year_ago)
    assert old.count() > 40
    for signal in old[:20]:
        created = AuditEvent.objects.get(
            object_type="casework.Signal", object_id=str(signal.pk), action="create"
        )
        assert created.occurred_at == signal.received_at
        assert created.actor_name == "demo"
    # References are numbered per year of intake, as real intake numbers them.
    first = old.order_by("received_at").first()
    assert first.reference.startswith(f"M-{timezone.localtime(first.received_at):%Y}-")


def test_the_history_obeys_the_rules_of_the_services(demo):
    for event in ReferralEvent.objects.exclude(from_status=""):
        assert event.to_status in REFERRAL_TRANSITIONS[event.from_status]
    # Only the receiving organisation answers a referral: its own login did.
    answered = ReferralEvent.objects.filter(
        to_status__in=[ReferralStatus.ACCEPTED, ReferralStatus.DECLINED]
    ).select_related("by", "referral__service")
    assert answered.count() > 5
    for event in answered:
        assert event.by.organisation_id == event.referral.service.organisation_id
    for case in Case.objects.filter(status=CaseStatus.CLOSED):
        assert case.closed_at > case.opened_at
        assert case.outcome
    # A casustafel decision marks its meeting held; actions done count for "on time".
    assert Meeting.objects.filter(held=True).exists()
    assert Action.objects.exclude(done_at=None).exists()


def test_earlier_chat_counts_are_checked_before_anything_is_stored(db):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=3)
    good = HourCounts(hour=hour, language="pl", chats_started=2, chats_accepted=1)
    chat_stats_import(hour_counts=[good], topic_counts=[])
    with pytest.raises(ChatError) as refused:
        chat_stats_import(
            hour_counts=[good, HourCounts(hour=hour, language="xx", chats_started=1)],
            topic_counts=[TopicCount(day=hour.date(), topic="labour", count=-1)],
        )
    # Both problems are named: the unknown language and the day with a negative count.
    assert "'xx'" in str(refused.value)
    assert str(hour.date()) in str(refused.value)
    # Nothing of the refused import was added; the earlier import is still there.
    row = ChatHourStat.objects.get(hour=hour, language="pl")
    assert (row.chats_started, row.chats_accepted) == (2, 1)
    assert not ChatTopicStat.objects.exists()
    # An accepted import adds to the hour Baken already counted.
    chat_stats_import(hour_counts=[good], topic_counts=[])
    row.refresh_from_db()
    assert (row.chats_started, row.chats_accepted) == (4, 2)


def test_earlier_page_visits_are_checked_before_anything_is_stored(db):
    day = timezone.localdate() - timedelta(days=10)
    page_view_stats_import(
        views=[PageViewCount(day=day, slug="sextortion", language="nl", count=3)]
    )
    with pytest.raises(PortalError):
        page_view_stats_import(
            views=[
                PageViewCount(day=day, slug="sextortion", language="nl", count=5),
                PageViewCount(day=day, slug="", language="nl", count=1),
            ]
        )
    assert PageViewStat.objects.get(day=day, slug="sextortion", language="nl").count == 3
    audited = AuditEvent.objects.filter(object_type="portal.PageViewStat")
    assert audited.count() == 1
