"""Deliveries and endpoints over their attempts; signing secrets sealed at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.notify.webhooks.domain import (
    AttemptResult,
    Delivery,
    DeliveryStatus,
    Endpoint,
    EndpointStatus,
)
from services.notify.webhooks.schedule import MAX_ATTEMPTS, retry_at
from services.notify.webhooks.secret_box import SealError, SecretBox, new_signing_secret, secret_hint

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
OK = AttemptResult(204, "ok", 12)
DOWN = AttemptResult(503, "http_503", 40)
TIMEOUT = AttemptResult(0, "timeout: ReadTimeout", 10_000)


def no_jitter(failures: int, at: datetime) -> datetime | None:
    return retry_at(failures, at, lambda low, high: 1.0)


def delivery() -> Delivery:
    return Delivery.record(uuid4(), uuid4(), "invoice:1", "invoice.Invoice.Finalized", NOW)


def endpoint() -> Endpoint:
    return Endpoint(uuid4(), uuid4(), "https://hooks.example.net/", ("*",), "", EndpointStatus.ENABLED,
                    "", None, None, NOW, NOW)


def test_one_delivery_per_event_and_endpoint() -> None:
    endpoint_id = uuid4()

    assert Delivery.id_for("invoice:1", endpoint_id) == Delivery.id_for("invoice:1", endpoint_id)
    assert Delivery.id_for("invoice:1", endpoint_id) != Delivery.id_for("invoice:2", endpoint_id)
    assert Delivery.id_for("invoice:1", endpoint_id) != Delivery.id_for("invoice:1", uuid4())


def test_a_2xx_delivers() -> None:
    done = delivery().attempted(OK, NOW, no_jitter)

    assert (done.status, done.attempts, done.next_attempt_at, done.delivered_at) == (
        DeliveryStatus.DELIVERED, 1, None, NOW)


@pytest.mark.parametrize("code", [199, 300, 302, 404, 410, 500])
def test_anything_but_2xx_is_a_failed_attempt(code: int) -> None:
    assert not AttemptResult(code, f"http_{code}", 1).delivered


def test_failures_are_retried_on_the_schedule_then_the_delivery_fails() -> None:
    current, at = delivery(), NOW
    for attempt in range(1, MAX_ATTEMPTS):
        current = current.attempted(TIMEOUT, at, no_jitter)
        assert current.status is DeliveryStatus.PENDING
        assert current.next_attempt_at == no_jitter(attempt, at)
        at = current.next_attempt_at or at
    final = current.attempted(DOWN, at, no_jitter)

    assert (final.status, final.attempts, final.next_attempt_at, final.last_reason) == (
        DeliveryStatus.FAILED, MAX_ATTEMPTS, None, "http_503")
    assert at - NOW >= timedelta(hours=24)


def test_the_log_numbers_attempts_and_marks_manual_ones() -> None:
    first = delivery()
    entry = first.log_entry(DOWN, NOW)
    again = first
    for _ in range(3):
        again = again.attempted(DOWN, NOW, no_jitter)
    again = again.redelivered(NOW)

    assert (entry.number, entry.outcome, entry.status_code, entry.manual) == (
        1, DeliveryStatus.FAILED, 503, False)
    assert (again.log_entry(OK, NOW).number, again.log_entry(OK, NOW).manual) == (4, True)


def test_redelivering_a_failed_delivery_makes_one_attempt() -> None:
    failed = delivery()
    for _ in range(MAX_ATTEMPTS):
        failed = failed.attempted(DOWN, NOW, no_jitter)
    queued = failed.redelivered(NOW + timedelta(days=2))

    assert (queued.status, queued.next_attempt_at, queued.manual) == (
        DeliveryStatus.FAILED, NOW + timedelta(days=2), True)
    still_failed = queued.attempted(DOWN, NOW + timedelta(days=2), no_jitter)
    assert (still_failed.status, still_failed.next_attempt_at, still_failed.manual) == (
        DeliveryStatus.FAILED, None, False)
    delivered = queued.attempted(OK, NOW + timedelta(days=2), no_jitter)
    assert delivered.status is DeliveryStatus.DELIVERED


def test_redelivering_a_delivered_delivery_keeps_it_delivered_whatever_happens() -> None:
    delivered = delivery().attempted(OK, NOW, no_jitter)
    again = delivered.redelivered(NOW).attempted(DOWN, NOW + timedelta(hours=1), no_jitter)

    assert (again.status, again.delivered_at, again.last_reason) == (
        DeliveryStatus.DELIVERED, NOW, "http_503")


def test_an_endpoint_failing_for_24_hours_is_disabled_with_the_reason() -> None:
    failing = endpoint().after_failure("http_500", NOW)
    later = failing.after_failure("http_502", NOW + timedelta(hours=23, minutes=59))

    assert (later.is_enabled, later.failing_since) == (True, NOW)
    disabled = later.after_failure("timeout: ReadTimeout", NOW + timedelta(hours=24))
    assert disabled.status is EndpointStatus.DISABLED
    assert disabled.disabled_at == NOW + timedelta(hours=24)
    assert disabled.disabled_reason == f"failing for 24 h since {NOW.isoformat()}: timeout: ReadTimeout"


def test_a_success_ends_the_failing_streak() -> None:
    recovered = endpoint().after_failure("http_500", NOW).after_success(NOW + timedelta(hours=20))
    failing_again = recovered.after_failure("http_500", NOW + timedelta(hours=30))

    assert recovered.failing_since is None
    assert failing_again.is_enabled and failing_again.failing_since == NOW + timedelta(hours=30)


def test_enabling_clears_the_notice_and_the_streak() -> None:
    disabled = endpoint().after_failure("x", NOW).after_failure("x", NOW + timedelta(days=1))
    enabled = disabled.enabled(NOW + timedelta(days=2))

    assert (enabled.status, enabled.disabled_reason, enabled.disabled_at, enabled.failing_since) == (
        EndpointStatus.ENABLED, "", None, None)


def test_secrets_are_random_and_prefixed() -> None:
    first, second = new_signing_secret(), new_signing_secret()

    assert first != second
    assert first.startswith("whsec_") and len(first) > 40
    assert secret_hint(first) == first[:10]


def test_sealed_secrets_open_with_the_same_key_only() -> None:
    secret = new_signing_secret()
    box = SecretBox("k" * 40)
    sealed = box.seal(secret)

    assert secret not in sealed
    assert box.seal(secret) != sealed
    assert box.open(sealed) == secret
    with pytest.raises(SealError):
        SecretBox("x" * 40).open(sealed)


@pytest.mark.parametrize("position", [0, 5, 20, -1])
def test_a_changed_sealed_secret_is_refused(position: int) -> None:
    box = SecretBox("k" * 40)
    raw = bytearray(box.seal(new_signing_secret()).encode())
    raw[position] = ord("A") if raw[position] != ord("A") else ord("B")

    with pytest.raises(SealError):
        box.open(raw.decode())


@pytest.mark.parametrize("sealed", ["", "not base64!", "AAAA"])
def test_garbage_is_not_a_sealed_secret(sealed: str) -> None:
    with pytest.raises(SealError):
        SecretBox("k" * 40).open(sealed)
