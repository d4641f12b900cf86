"""When the chat is open: weekly hours, minus public holidays and extra closed days.

Pure Python (no Django), so the rule is easy to test. Dutch public holidays come from the
``holidays`` package (python-holidays); Bevrijdingsdag is a holiday there only in lustrum years,
as in most collective agreements.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays

__all__ = ["Slot", "is_open", "next_opening", "public_holidays"]


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    opens_at: time
    closes_at: time  # time(0, 0) means the end of the day

    def contains(self, moment: time) -> bool:
        end_of_day = self.closes_at == time(0, 0)
        return self.opens_at <= moment and (end_of_day or moment < self.closes_at)


def public_holidays(year: int) -> set[date]:
    return set(holidays.country_holidays("NL", years=year).keys())


def _closed(day: date, closed_days: set[date], with_holidays: bool) -> bool:
    return day in closed_days or (with_holidays and day in public_holidays(day.year))


def is_open(
    now: datetime,
    slots: Iterable[Slot],
    closed_days: Iterable[date] = (),
    *,
    with_holidays: bool = True,
) -> bool:
    """Whether ``now`` (local time) falls within a slot on a day that is not closed."""
    if _closed(now.date(), set(closed_days), with_holidays):
        return False
    moment = now.time()
    return any(slot.weekday == now.weekday() and slot.contains(moment) for slot in slots)


def next_opening(
    now: datetime,
    slots: Iterable[Slot],
    closed_days: Iterable[date] = (),
    *,
    with_holidays: bool = True,
    horizon_days: int = 21,
) -> datetime | None:
    """The next moment the chat opens after ``now`` (local, naive or aware as given)."""
    slots = sorted(slots, key=lambda s: (s.weekday, s.opens_at))
    closed = set(closed_days)
    for offset in range(horizon_days + 1):
        day = now.date() + timedelta(days=offset)
        if _closed(day, closed, with_holidays):
            continue
        for slot in slots:
            if slot.weekday != day.weekday():
                continue
            start = datetime.combine(day, slot.opens_at, tzinfo=now.tzinfo)
            if start > now:
                return start
    return None
