"""Bill cycles: an account's periods run from one cycle-day anchor to the next, in its timezone.

A cycle day past a month's end means that month's last day: cycle day 31 gives the periods
[Jan 31, Feb 28), [Feb 28, Mar 31), [Mar 31, Apr 30); cycle day 29 gives Feb 29 in leap years.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from services.invoice.domain.errors import InvalidCycleDayError

FIRST_CYCLE_DAY = 1
LAST_CYCLE_DAY = 31


def check_cycle_day(day: int, field: str = "bill_cycle_day") -> int:
    """A cycle day is 1..31."""
    if not FIRST_CYCLE_DAY <= day <= LAST_CYCLE_DAY:
        raise InvalidCycleDayError(field, f"must be {FIRST_CYCLE_DAY}..{LAST_CYCLE_DAY}, not {day}")
    return day


def anchor(year: int, month: int, cycle_day: int) -> date:
    """The cycle day in that month, or the month's last day when the month is shorter."""
    return date(year, month, min(cycle_day, calendar.monthrange(year, month)[1]))


def shift_months(day: date, months: int, cycle_day: int) -> date:
    """The anchor `months` months after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return anchor(index // 12, index % 12 + 1, cycle_day)


def is_anchor(day: date, cycle_day: int) -> bool:
    """True when a period of this cycle day starts (and the previous ends) on `day`."""
    return anchor(day.year, day.month, cycle_day) == day


@dataclass(frozen=True, order=True)
class Period:
    """Half-open [start, end) calendar dates, read in the account's timezone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Calendar days in the period (a DST change does not change it)."""
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        """True when start <= day < end."""
        return self.start <= day < self.end

    def overlap(self, start: date, end: date | None) -> Period | None:
        """The part of [start, end) inside the period (end None: open-ended), or None."""
        first = max(self.start, start)
        last = self.end if end is None else min(self.end, end)
        return Period(first, last) if first < last else None

    def instants(self, timezone: str) -> tuple[datetime, datetime]:
        """The period as UTC instants: midnight of each date in the timezone."""
        zone = ZoneInfo(timezone)
        return (datetime.combine(self.start, time(0), zone).astimezone(UTC),
                datetime.combine(self.end, time(0), zone).astimezone(UTC))

    def last_day(self) -> date:
        """The last date inside the period."""
        return date.fromordinal(self.end.toordinal() - 1)


def period_containing(day: date, cycle_day: int) -> Period:
    """The cycle period that `day` falls in."""
    start = anchor(day.year, day.month, cycle_day)
    if start > day:
        start = shift_months(day, -1, cycle_day)
    return Period(start, shift_months(start, 1, cycle_day))


def period_ending(end: date, cycle_day: int) -> Period:
    """The cycle period that ends on `end` (which must be an anchor of the cycle day)."""
    return Period(shift_months(end, -1, cycle_day), end)


def periods_between(first: date, last: date, cycle_day: int) -> list[Period]:
    """The cycle periods from the one containing `first` to the one containing `last`."""
    periods = [period_containing(first, cycle_day)]
    while periods[-1].end <= last:
        start = periods[-1].end
        periods.append(Period(start, shift_months(start, 1, cycle_day)))
    return periods
