"""Calendar arithmetic shared by the services."""

from __future__ import annotations

from datetime import date, datetime


def first_of_next_month(day: date) -> date:
    """The first day of the month after the day's month."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def aware_instant(text: str) -> datetime:
    """An ISO 8601 instant with its UTC offset; ValueError for one without (its moment is unknown)."""
    instant = datetime.fromisoformat(text)
    if instant.utcoffset() is None:
        raise ValueError(f"instant {text!r} has no UTC offset")
    return instant
