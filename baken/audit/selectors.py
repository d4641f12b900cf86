from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from baken.audit.models import AuditEvent


def audit_events_search(
    *,
    organisations: Collection[UUID] | None,
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    result: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching the criteria, of these organisations only (``None``: every event).

    An event without an organisation (command line, task, visitor) belongs to none of them, so
    only a search over every event finds it.
    """
    events = AuditEvent.objects.all()
    if organisations is not None:
        events = events.filter(organisation_id__in=list(organisations))
    if actor:
        events = events.filter(actor_name__iexact=actor)
    if object_type:
        events = events.filter(object_type__iexact=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if action:
        events = events.filter(action=action)
    if result:
        events = events.filter(result=result)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=dt.datetime.combine(date_from, dt.time.min, tz))
    if date_to:
        events = events.filter(
            occurred_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)
        )
    return events
