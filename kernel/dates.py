"""Calendar arithmetic shared by the services."""

from __future__ import annotations

from datetime import date


def first_of_next_month(day: date) -> date:
    """The first day of the month after the day's month."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
