"""Facts: the anonymous, countable unit that a context hands to insight.

A fact says "one (or ``count``) of ``measure`` happened in ``month`` in ``region_id``, and along
``dimension`` it had ``value``", with an optional ``total`` to average over (days, seconds). A
context yields one fact per dimension it knows for each thing it counts (a signal yields a fact
for its source, one per form, one for its municipality, ...), plus one with the empty dimension
for the plain count; where a measure has forms of exploitation, the same facts again under each
of its forms. Facts carry no identifiers, so insight's tables hold nothing personal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from django.utils import timezone

__all__ = ["Fact", "month_of", "TOTAL"]

#: The dimension of the plain count of a measure.
TOTAL = ""


class Fact(NamedTuple):
    measure: str
    month: date
    region_id: int | None
    dimension: str
    value: str
    # The field shadows tuple.count(); callers read the field, never the method.
    count: int = 1  # type: ignore[assignment]
    total: float = 0.0
    #: The form of exploitation this fact is counted under ("" = all forms), so that a
    #: dashboard can show, say, labour exploitation by municipality.
    form: str = ""


def month_of(moment: datetime | date) -> date:
    """The first day of the month in which ``moment`` falls, in the local time zone."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment.replace(day=1)
