"""Every received record is accepted, duplicate or rejected with a field and a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kernel.clock import FixedClock
from services.usage.application import UsageCapture
from services.usage.domain import Outcome, ReceivedRecord, UsageRecord

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ACCOUNT = uuid4()


def received(**overrides: object) -> ReceivedRecord:
    fields: dict[str, object] = {
        "record_id": "r1", "source": "cdr", "account_id": str(ACCOUNT), "service_type": "voice",
        "quantity": "60", "unit": "second", "started_at": "2026-11-24T10:00:00+00:00",
    }
    fields.update(overrides)
    return ReceivedRecord(**fields)  # type: ignore[arg-type]


class KnownAccounts:
    async def unknown_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> set[UUID]:
        return {a for a in account_ids if a != ACCOUNT}


class MemoryStore:
    """Keeps the first record of each key, like the real store."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, str]] = set()

    async def store(self, tenant_id: UUID, batch_id: UUID,
                    records: list[UsageRecord]) -> set[tuple[str, str]]:
        new = {r.key for r in records} - self.keys
        self.keys |= new
        return new


@pytest.fixture
def capture() -> UsageCapture:
    return UsageCapture(KnownAccounts(), MemoryStore(), FixedClock(NOW), timedelta(minutes=5))


@pytest.mark.parametrize(("overrides", "field", "reason"), [
    ({"quantity": "-1"}, "quantity", "negative"),
    ({"quantity": "ten"}, "quantity", "not_a_number"),
    ({"quantity": "Infinity"}, "quantity", "not_a_number"),
    ({"service_type": "data", "unit": "byte", "quantity": "2e15"}, "quantity", "absurd"),
    ({"unit": "minute"}, "unit", "must_be_second"),
    ({"service_type": "fax"}, "service_type", "unknown_service_type"),
    ({"account_id": "nope"}, "account_id", "not_a_valid_id"),
    ({"account_id": str(uuid4())}, "account_id", "unknown_account"),
    ({"record_id": " "}, "record_id", "required"),
    ({"started_at": "yesterday"}, "started_at", "not_a_timestamp"),
    ({"started_at": "2026-11-24T10:00:00"}, "started_at", "missing_timezone"),
    ({"started_at": "2026-11-24T12:06:00+00:00"}, "started_at", "in_the_future"),
    ({"unknown_fields": ("colour",)}, "colour", "unknown_field"),
])
async def test_bad_records_are_rejected_with_field_and_reason(
    capture: UsageCapture, overrides: dict[str, object], field: str, reason: str
) -> None:
    result = await capture.record_batch(uuid4(), [received(**overrides)])
    [outcome] = result.results
    assert outcome.outcome is Outcome.REJECTED
    assert outcome.rejection is not None
    assert (outcome.rejection.field, outcome.rejection.reason) == (field, reason)


async def test_late_records_are_accepted_by_event_time(capture: UsageCapture) -> None:
    result = await capture.record_batch(uuid4(), [received(started_at="2025-01-01T00:00:00Z")])
    assert result.results[0].outcome is Outcome.ACCEPTED


async def test_duplicates_within_and_across_batches(capture: UsageCapture) -> None:
    tenant = uuid4()
    first = await capture.record_batch(tenant, [received(), received(), received(record_id="r2")])
    assert [r.outcome for r in first.results] == [
        Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.ACCEPTED]
    second = await capture.record_batch(tenant, [received(record_id="r2")])
    assert second.count(Outcome.DUPLICATE) == 1


async def test_every_record_gets_exactly_one_outcome(capture: UsageCapture) -> None:
    batch = [received(record_id=str(n), quantity=str(n - 3)) for n in range(10)]
    result = await capture.record_batch(uuid4(), batch)
    counts = sum(result.count(o) for o in Outcome)
    assert counts == len(batch) == len(result.results)
    assert result.count(Outcome.REJECTED) == 3
