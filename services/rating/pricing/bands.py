"""Time bands: named parts of the week (peak, offpeak, weekend) and holidays, in local time."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

DAY = 24 * 3600 * 1_000_000
"""Microseconds in a (local, wall-clock) day."""

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

WEEKDAYS = frozenset(range(5))
"""Monday to Friday, as datetime.weekday() numbers them (Monday is 0)."""
WEEKEND = frozenset({5, 6})
"""Saturday and Sunday."""
EVERY_DAY = frozenset(range(7))
"""The whole week."""


class BandError(ValueError):
    """Time bands that leave part of the week without a band, or give it two."""


@dataclass(frozen=True, slots=True)
class BandWindow:
    """A local wall-clock interval [start, end) on some weekdays (Monday is 0); end 00:00 is midnight."""

    weekdays: frozenset[int]
    start: time
    end: time

    def span(self) -> tuple[int, int]:
        """Start and end as microseconds since local midnight (end 00:00 counts as 24:00)."""
        end = of_day(self.end)
        return of_day(self.start), end or DAY


@dataclass(frozen=True, slots=True)
class TimeBand:
    """A named band and the windows of the week it covers; the holiday band may have none."""

    name: str
    windows: tuple[BandWindow, ...] = ()


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """Local dates on which one band applies all day, whatever the weekday."""

    band: str
    dates: frozenset[date]


def of_day(moment: time) -> int:
    """Microseconds since midnight of a wall-clock time."""
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def clock(micros: int) -> str:
    """Microseconds since midnight as HH:MM (HH:MM:SS when not on a minute)."""
    seconds, _ = divmod(micros, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")


class BandCalendar:
    """Time bands compiled for lookup: per weekday, the sorted start of each band's interval."""

    __slots__ = ("_bands", "_holiday_band", "_holidays", "_starts")

    def __init__(self, bands: Iterable[TimeBand], holidays: HolidayCalendar | None) -> None:
        per_day: list[list[tuple[int, int, str]]] = [[] for _ in range(7)]
        for band in bands:
            for window in band.windows:
                start, end = window.span()
                for weekday in window.weekdays:
                    per_day[weekday].append((start, end, band.name))
        for weekday, intervals in enumerate(per_day):
            intervals.sort()
            check_day(weekday, intervals)
        self._starts = [[start for start, _, _ in intervals] for intervals in per_day]
        self._bands = [[name for _, _, name in intervals] for intervals in per_day]
        self._holidays = holidays.dates if holidays else frozenset()
        self._holiday_band = holidays.band if holidays else ""

    def band_at(self, local: datetime) -> str:
        """The band of a local wall-clock moment: the holiday band on a holiday, else its weekday's."""
        if local.date() in self._holidays:
            return self._holiday_band
        weekday = local.weekday()
        index = bisect_right(self._starts[weekday], of_day(local.time())) - 1
        return self._bands[weekday][index]


def check_day(weekday: int, intervals: list[tuple[int, int, str]]) -> None:
    """Refuse a weekday whose sorted band intervals leave a gap or overlap."""
    day = WEEKDAY_NAMES[weekday]
    covered = 0
    previous = ""
    for start, end, name in intervals:
        if start >= end:
            raise BandError(f"band {name!r} has a window on {day} that ends before it starts "
                            f"({clock(start)}-{clock(end)}); split a window that crosses midnight in two")
        if start > covered:
            raise BandError(f"{day} {clock(covered)}-{clock(start)} is in no band")
        if start < covered:
            raise BandError(f"bands {previous!r} and {name!r} overlap on {day} at {clock(start)}")
        covered, previous = end, name
    if covered < DAY:
        raise BandError(f"{day} {clock(covered)}-24:00 is in no band")
