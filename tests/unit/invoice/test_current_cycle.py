"""An account's current bill period on the wire: the period containing now in its timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.invoice.domain.accounts import Account
from services.invoice.wire import account_to_proto, current_cycle


def account(timezone: str, cycle_day: int) -> Account:
    """An account of a tenant in a timezone, its periods starting on the cycle day."""
    opened = Account(tenant_id=uuid4(), name="Home", billing_email="home@example.org", currency="GBP",
                     plan_id=uuid4(), timezone=timezone)
    opened.set_up_billing(bill_cycle_day=cycle_day, parent_id=None)
    return opened


def utc(text: str) -> datetime:
    """An instant written in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("timezone", "cycle_day", "now", "start", "end"), [
    # cycle day 31 in February means its last day; the next period ends in BST (29 March 2026)
    ("Europe/London", 31, "2026-03-10T12:00", "2026-02-28T00:00", "2026-03-30T23:00"),
    # the day before the clamped anchor is still in the January period
    ("Europe/London", 31, "2026-02-27T23:59", "2026-01-31T00:00", "2026-02-28T00:00"),
    # 29 February of a leap year is an anchor of cycle day 29; 2027 has none, so 28 Feb
    ("UTC", 29, "2028-02-29T10:00", "2028-02-29T00:00", "2028-03-29T00:00"),
    ("UTC", 29, "2027-03-01T10:00", "2027-02-28T00:00", "2027-03-29T00:00"),
    # autumn DST: the period starts in BST and ends in GMT
    ("Europe/London", 1, "2026-10-15T08:00", "2026-09-30T23:00", "2026-11-01T00:00"),
    # 03:00 UTC on 1 March is still 28 February in New York: the February period
    ("America/New_York", 1, "2026-03-01T03:00", "2026-02-01T05:00", "2026-03-01T05:00"),
    # a cycle crossing the year end
    ("Asia/Tokyo", 15, "2026-01-05T00:00", "2025-12-14T15:00", "2026-01-14T15:00"),
])
def test_the_current_cycle_is_the_period_containing_now_in_the_accounts_timezone(
    timezone: str, cycle_day: int, now: str, start: str, end: str,
) -> None:
    assert current_cycle(account(timezone, cycle_day), utc(now)) == (utc(start), utc(end))


def test_the_cycle_is_half_open_midnight_starting_the_next_one() -> None:
    london = account("Europe/London", 1)
    start, end = current_cycle(london, utc("2026-05-10T00:00"))
    assert current_cycle(london, start) == (start, end)
    assert current_cycle(london, end - timedelta(microseconds=1)) == (start, end)
    assert current_cycle(london, end)[0] == end


def test_the_account_message_carries_the_cycle_as_rfc3339_instants() -> None:
    message = account_to_proto(account("Europe/London", 31), utc("2026-03-10T12:00"))
    assert (message.current_cycle_start, message.current_cycle_end) == (
        "2026-02-28T00:00:00+00:00", "2026-03-30T23:00:00+00:00")
    assert datetime.fromisoformat(message.current_cycle_end).utcoffset() == timedelta(0)
