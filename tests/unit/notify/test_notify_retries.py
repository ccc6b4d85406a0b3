"""Exponential backoff with jitter, and the states a delivery goes through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.notify.domain import Delivery, DeliveryStatus
from services.notify.events import CustomerEvent, NotificationKind
from services.notify.retries import RetryPolicy

NOW = datetime(2025, 2, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def queued() -> Delivery:
    event = CustomerEvent("payment:1", uuid4(), NotificationKind.PAYMENT_RECEIVED, uuid4(), NOW,
                          account_id=uuid4())
    return Delivery.queue(event, NOW)


def test_default_schedule_doubles_from_six_minutes_up_to_six_hours_over_about_twelve_hours() -> None:
    policy = RetryPolicy()

    assert policy.schedule() == [6 * MINUTE, 12 * MINUTE, 24 * MINUTE, 48 * MINUTE, 96 * MINUTE,
                                 192 * MINUTE, 360 * MINUTE]
    assert sum(policy.schedule(), timedelta()) == timedelta(hours=12, minutes=18)


@pytest.mark.parametrize(("draw", "factor"), [(0.0, 0.8), (0.5, 1.0), (0.999999, 1.2)])
def test_jitter_scales_the_wait_within_plus_or_minus_the_setting(draw: float, factor: float) -> None:
    delay = RetryPolicy(jitter=0.2).delay(3, draw)

    assert abs(delay - 24 * MINUTE * factor) < timedelta(seconds=1)


def test_without_jitter_the_wait_is_the_schedule() -> None:
    policy = RetryPolicy(jitter=0, first_delay=timedelta(seconds=10), max_delay=timedelta(seconds=35))

    assert [policy.delay(n, 0.9) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=s) for s in (10, 20, 35, 35)]


@pytest.mark.parametrize("fields", [
    {"max_attempts": 0}, {"jitter": 1.0}, {"jitter": -0.1},
    {"first_delay": timedelta(0)}, {"first_delay": timedelta(hours=2), "max_delay": timedelta(hours=1)},
])
def test_nonsense_policies_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**fields)  # type: ignore[arg-type]


def test_a_queued_delivery_is_due_at_once_and_not_before() -> None:
    delivery = queued()

    assert delivery.is_due(NOW)
    assert not delivery.is_due(NOW - MINUTE)


def test_a_failed_attempt_keeps_the_delivery_queued_with_the_error_and_the_next_time() -> None:
    failed = queued().attempt_failed("smtp: 451 later", NOW, RetryPolicy(jitter=0), 0.5)

    assert (failed.status, failed.attempts, failed.last_error, failed.reason) == (
        DeliveryStatus.QUEUED, 1, "smtp: 451 later", "")
    assert failed.next_attempt_at == NOW + 6 * MINUTE
    assert not failed.is_due(NOW + 5 * MINUTE)
    assert failed.is_due(NOW + 6 * MINUTE)


def test_the_last_failed_attempt_fails_the_delivery_with_the_reason() -> None:
    policy = RetryPolicy(max_attempts=2)
    delivery = queued()
    for n in range(2):
        delivery = delivery.attempt_failed(f"timeout {n}", NOW, policy, 0.5)

    assert (delivery.status, delivery.attempts, delivery.reason, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED, 2, "timeout 1", None)
    assert delivery.is_final
    assert not delivery.is_due(NOW + timedelta(days=1))


def test_sent_bounced_and_refused_are_final() -> None:
    sent = queued().sent(NOW)
    bounced = queued().bounced("550 5.1.1 no such user", NOW)
    refused = queued().refused("invalid_email", NOW)

    assert (sent.status, sent.attempts, sent.sent_at) == (DeliveryStatus.SENT, 1, NOW)
    assert (bounced.status, bounced.reason, bounced.attempts) == (
        DeliveryStatus.BOUNCED, "550 5.1.1 no such user", 1)
    assert (refused.status, refused.reason, refused.attempts) == (
        DeliveryStatus.FAILED, "invalid_email", 0)
    assert all(d.is_final and d.next_attempt_at is None for d in (sent, bounced, refused))


def test_reasons_are_stored_on_one_line_and_bounded() -> None:
    failed = queued().attempt_failed("line one\r\nline two " + "x" * 600, NOW, RetryPolicy(), 0.5)

    assert failed.last_error.startswith("line one line two x")
    assert len(failed.last_error) == 500
