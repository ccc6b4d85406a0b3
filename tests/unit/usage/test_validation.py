"""Every received record is accepted, duplicate or rejected with a field and a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kernel.clock import FixedClock
from services.usage.application import Origin, Stored, Submission, UsageCapture
from services.usage.domain import Outcome, ReceivedRecord
from services.usage.formats import RowRejection

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ACCOUNT = uuid4()
SUBSCRIBER = "+442079460000"
API = Origin("api")


def received(**overrides: object) -> ReceivedRecord:
    fields: dict[str, object] = {
        "record_id": "r1", "source": "cdr", "account_id": str(ACCOUNT), "service_type": "voice",
        "quantity": "60", "unit": "second", "started_at": "2026-11-24T10:00:00+00:00",
    }
    fields.update(overrides)
    return ReceivedRecord(**fields)  # type: ignore[arg-type]


class KnownAccounts:
    async def resolve(
        self, tenant_id: UUID, account_ids: set[UUID], subscribers: set[str]
    ) -> tuple[set[UUID], dict[str, UUID]]:
        return account_ids & {ACCOUNT}, {s: ACCOUNT for s in subscribers if s == SUBSCRIBER}


class MemoryStore:
    """Keeps the first content of each key, like the real store (unit tests of the logic only)."""

    def __init__(self) -> None:
        self.hashes: dict[tuple[str, str], bytes] = {}
        self.submissions: list[Submission] = []

    async def write(self, submission: Submission) -> Stored:
        self.submissions.append(submission)
        new = {r.key for r in submission.candidates if r.key not in self.hashes}
        conflicts = {r.key for r in submission.candidates
                     if r.key in self.hashes and self.hashes[r.key] != r.content_hash}
        self.hashes.update({r.key: r.content_hash for r in submission.candidates if r.key in new})
        return Stored(new, conflicts)


@pytest.fixture
def capture() -> UsageCapture:
    return UsageCapture(KnownAccounts(), MemoryStore(), FixedClock(NOW), timedelta(minutes=5),
                        timedelta(days=730))


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
    ({"started_at": "2020-01-01T00:00:00+00:00"}, "started_at", "too_old"),
    ({"started_at": ""}, "started_at", "required"),
    ({"ended_at": "2026-11-24T09:59:59+00:00"}, "ended_at", "end_before_start"),
    ({"ended_at": "soon"}, "ended_at", "not_a_timestamp"),
    ({"duration": "-5"}, "duration", "negative"),
    ({"duration": str(40 * 86400)}, "duration", "absurd"),
    ({"price": "0.10"}, "currency", "required"),
    ({"price": "0.10", "currency": "XXX"}, "currency", "unsupported_currency"),
    ({"price": "-0.10", "currency": "EUR"}, "price", "negative"),
    ({"currency": "EUR"}, "price", "required"),
    ({"account_id": "", "subscriber": ""}, "subscriber", "required"),
    ({"account_id": "", "subscriber": "+15550000000"}, "subscriber", "unknown_subscriber"),
    ({"attributes": {f"a{n}": "x" for n in range(40)}}, "attributes", "too_many"),
    ({"attributes": {"destination": "9" * 2000}}, "attributes.destination", "too_long"),
    ({"unknown_fields": ("colour",)}, "colour", "unknown_field"),
])
async def test_bad_records_are_rejected_with_field_and_reason(
    capture: UsageCapture, overrides: dict[str, object], field: str, reason: str
) -> None:
    result = await capture.record_batch(uuid4(), [received(**overrides)], API)
    [outcome] = result.results
    assert outcome.outcome is Outcome.REJECTED
    assert outcome.rejection is not None
    assert (outcome.rejection.field, outcome.rejection.reason) == (field, reason)


async def test_late_records_are_accepted_by_event_time(capture: UsageCapture) -> None:
    result = await capture.record_batch(uuid4(), [received(started_at="2025-01-01T00:00:00Z")],
                                         API)
    assert result.results[0].outcome is Outcome.ACCEPTED


async def test_duplicates_within_and_across_batches(capture: UsageCapture) -> None:
    tenant = uuid4()
    first = await capture.record_batch(
        tenant, [received(), received(), received(record_id="r2")], API)
    assert [r.outcome for r in first.results] == [
        Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.ACCEPTED]
    second = await capture.record_batch(tenant, [received(record_id="r2")], API)
    assert second.count(Outcome.DUPLICATE) == 1


async def test_every_record_gets_exactly_one_outcome(capture: UsageCapture) -> None:
    batch = [received(record_id=str(n), quantity=str(n - 3)) for n in range(10)]
    result = await capture.record_batch(uuid4(), batch, API)
    counts = sum(result.count(o) for o in Outcome)
    assert counts == len(batch) == len(result.results)
    assert result.count(Outcome.REJECTED) == 3


async def test_same_id_with_other_content_is_a_conflict(capture: UsageCapture) -> None:
    tenant = uuid4()
    within = await capture.record_batch(tenant, [received(), received(quantity="61")], API)
    assert [r.outcome for r in within.results] == [Outcome.ACCEPTED, Outcome.REJECTED]
    assert within.results[1].rejection is not None
    assert within.results[1].rejection.reason == "conflict"
    later = await capture.record_batch(tenant, [received(quantity="62")], API)
    assert later.results[0].rejection is not None
    assert later.results[0].rejection.reason == "conflict"


async def test_equivalent_content_is_a_duplicate_not_a_conflict(capture: UsageCapture) -> None:
    tenant = uuid4()
    await capture.record_batch(tenant, [received()], API)
    again = await capture.record_batch(
        tenant, [received(quantity="60.00", started_at="2026-11-24T11:00:00+01:00")], API)
    assert again.results[0].outcome is Outcome.DUPLICATE


async def test_subscriber_is_resolved_to_its_account(capture: UsageCapture) -> None:
    result = await capture.record_batch(
        uuid4(), [received(account_id="", subscriber=SUBSCRIBER)], API)
    assert result.results[0].outcome is Outcome.ACCEPTED
    store = capture.store
    assert isinstance(store, MemoryStore)
    assert store.submissions[0].candidates[0].account_id == ACCOUNT


async def test_file_rows_that_never_became_records_are_rejected_and_kept(
    capture: UsageCapture,
) -> None:
    row = RowRejection(7, "", "line", "bad_encoding", "garbled")
    result = await capture.capture(uuid4(), [row, received()], Origin("file", "pbx", "a.csv"))
    assert [r.outcome for r in result.results] == [Outcome.REJECTED, Outcome.ACCEPTED]
    store = capture.store
    assert isinstance(store, MemoryStore)
    [kept] = store.submissions[0].rejected
    assert (kept.line, kept.raw, kept.rejection.reason) == (7, "garbled", "bad_encoding")
