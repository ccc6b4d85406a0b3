"""Retries of failed deliveries: exponential backoff with jitter over more than 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notify.webhooks.schedule import (
    JITTER,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    retry_at,
    shortest_span,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def lowest(low: float, high: float) -> float:
    return low


def highest(low: float, high: float) -> float:
    return high


def test_retries_span_at_least_24_hours_even_with_every_jitter_at_its_minimum() -> None:
    assert shortest_span() >= timedelta(hours=24)
    assert sum(RETRY_DELAYS, timedelta()) == timedelta(hours=31, minutes=36)


def test_delays_grow_after_each_failure() -> None:
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    assert MAX_ATTEMPTS == 8


def test_the_first_retry_comes_about_a_minute_later() -> None:
    assert retry_at(1, NOW, lowest) == NOW + timedelta(minutes=1) * (1 - JITTER)
    assert retry_at(1, NOW, highest) == NOW + timedelta(minutes=1) * (1 + JITTER)


def test_each_failure_waits_for_its_delay() -> None:
    waits = [retry_at(failures, NOW, lambda low, high: 1.0) for failures in range(1, MAX_ATTEMPTS)]

    assert [wait - NOW for wait in waits if wait] == list(RETRY_DELAYS)


@pytest.mark.parametrize("failures", [0, MAX_ATTEMPTS, MAX_ATTEMPTS + 3])
def test_no_retry_before_the_first_attempt_or_after_the_last(failures: int) -> None:
    assert retry_at(failures, NOW) is None


def test_jitter_stays_within_ten_percent() -> None:
    for _ in range(200):
        wait = retry_at(4, NOW)
        assert wait is not None
        assert timedelta(hours=1.8) <= wait - NOW <= timedelta(hours=2.2)
