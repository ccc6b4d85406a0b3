"""Use case: capture usage, each received record ending accepted, duplicate or rejected."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from uuid import UUID

from kernel.clock import Clock
from kernel.errors import InvalidInputError
from kernel.ids import new_id
from services.usage.domain import (
    MAX_BATCH,
    Outcome,
    ReceivedRecord,
    RecordRejectedError,
    Rejection,
    TimeWindow,
    UsageRecord,
    validate,
)
from services.usage.formats import Parsed, RowRejection


class AccountResolver(Protocol):
    """Resolves the customer of records: account ids it knows and subscriber identities."""

    async def resolve(
        self, tenant_id: UUID, account_ids: set[UUID], subscribers: set[str]
    ) -> tuple[set[UUID], dict[str, UUID]]:
        """Return the known account ids and the account of each known subscriber."""
        ...


@dataclass(frozen=True)
class Origin:
    """Where received records came from: channel (api, nats, file, resubmission), source, file.

    A message_id (NATS) is captured once: a redelivered message is refused by the store.
    """

    channel: str
    source: str = ""
    file: str = ""
    import_id: UUID | None = None
    resubmission_of: UUID | None = None
    message_id: str = ""


@dataclass(frozen=True)
class RejectedItem:
    """A rejected record as stored: enough to list it, explain it and resubmit it."""

    index: int
    source: str
    record_id: str
    rejection: Rejection
    record: dict[str, object] | None = None
    raw: str = ""
    line: int | None = None


@dataclass
class Submission:
    """One batch handed to the store: new candidates, intra-batch duplicates and rejections."""

    tenant_id: UUID
    batch_id: UUID
    origin: Origin
    received_at: datetime
    candidates: list[UsageRecord]
    duplicates: list[UsageRecord]
    rejected: list[RejectedItem]


@dataclass(frozen=True)
class Stored:
    """What the store found: candidate keys it stored, and keys that conflict with earlier ones."""

    new_keys: set[tuple[str, str]]
    conflicts: set[tuple[str, str]]


class UsageStore(Protocol):
    """Append-only storage deduplicating forever by (tenant, source, record id)."""

    async def write(self, submission: Submission) -> Stored:
        """Store a batch atomically: records, rejections, reconciliation and the rating outbox."""
        ...


@dataclass(frozen=True)
class RecordResult:
    """The outcome of one received record."""

    index: int
    record_id: str
    outcome: Outcome
    rejection: Rejection | None = None


@dataclass
class BatchResult:
    """How many records of a batch ended with each outcome and, when asked, every outcome in order."""

    batch_id: UUID
    counts: Counter[Outcome]
    results: list[RecordResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many records ended with this outcome."""
        return self.counts[outcome]


def received_as_dict(record: ReceivedRecord) -> dict[str, object]:
    """The received record as stored with its rejection, for correction and resubmission."""
    values = dataclasses.asdict(record)
    values.pop("unknown_fields")
    return {name: value for name, value in values.items() if value not in ("", {})}


class UsageCapture:
    """Validates, resolves customers, dedups and stores usage."""

    def __init__(
        self, accounts: AccountResolver, store: UsageStore, clock: Clock,
        max_skew: timedelta = timedelta(minutes=5), max_age: timedelta = timedelta(days=730),
    ) -> None:
        self.accounts = accounts
        self.store = store
        self.clock = clock
        self.max_skew = max_skew
        self.max_age = max_age

    async def record_batch(
        self, tenant_id: UUID, received: Sequence[ReceivedRecord], origin: Origin
    ) -> BatchResult:
        """Capture a client's batch of at most MAX_BATCH records."""
        if not received:
            raise InvalidInputError("records", "must_not_be_empty")
        if len(received) > MAX_BATCH:
            raise InvalidInputError("records", f"at_most_{MAX_BATCH}")
        return await self.capture(tenant_id, received, origin)

    async def capture(
        self, tenant_id: UUID, items: Sequence[Parsed], origin: Origin, details: bool = True
    ) -> BatchResult:
        """Give every item exactly one outcome; store the batch atomically.

        Without details only the counts are returned (file imports report counts).
        """
        now = self.clock.now().astimezone(UTC)
        window = TimeWindow(now, self.max_skew, self.max_age)
        rejected: dict[int, RejectedItem] = {}
        valid: dict[int, UsageRecord] = {}
        for index, item in enumerate(items):
            if isinstance(item, RowRejection):
                rejected[index] = RejectedItem(
                    index, origin.source, item.record_id, Rejection(item.field, item.reason),
                    raw=item.raw, line=item.line,
                )
                continue
            try:
                valid[index] = validate(item, window)
            except RecordRejectedError as error:
                rejected[index] = self._rejected(index, item, error.rejection)
        await self._resolve(tenant_id, items, valid, rejected)
        candidates: dict[tuple[str, str], int] = {}
        duplicates: list[int] = []
        for index, record in valid.items():
            first = candidates.setdefault(record.key, index)
            if first == index:
                continue
            if valid[first].content_hash == record.content_hash:
                duplicates.append(index)
            else:
                rejected[index] = self._rejected(index, items[index], Rejection("record_id", "conflict"))
        batch_id = new_id()
        stored = await self.store.write(Submission(
            tenant_id, batch_id, origin, now,
            candidates=[valid[index] for index in candidates.values()],
            duplicates=[valid[index] for index in duplicates],
            rejected=sorted(rejected.values(), key=lambda item: item.index),
        ))
        conflicts = sum(1 for key in stored.conflicts if key in candidates)
        counts = Counter({
            Outcome.ACCEPTED: len(stored.new_keys),
            Outcome.DUPLICATE: len(duplicates) + len(candidates) - len(stored.new_keys) - conflicts,
            Outcome.REJECTED: len(rejected) + conflicts,
        })
        if not details:
            return BatchResult(batch_id, counts)
        first_indexes = set(candidates.values())
        return BatchResult(batch_id, counts, [
            self._result(index, valid.get(index), rejected.get(index), index in first_indexes,
                         stored)
            for index in range(len(items))
        ])

    def _rejected(self, index: int, item: Parsed, rejection: Rejection) -> RejectedItem:
        assert isinstance(item, ReceivedRecord)
        return RejectedItem(index, item.source, item.record_id, rejection,
                            record=received_as_dict(item))

    async def _resolve(
        self, tenant_id: UUID, items: Sequence[Parsed], valid: dict[int, UsageRecord],
        rejected: dict[int, RejectedItem],
    ) -> None:
        """Set each valid record's account; records of unknown customers are rejected."""
        account_ids = {r.account_id for r in valid.values() if r.account_id is not None}
        subscribers = {r.subscriber for r in valid.values() if r.account_id is None}
        if not account_ids and not subscribers:
            return
        known, by_subscriber = await self.accounts.resolve(tenant_id, account_ids, subscribers)
        for index, record in list(valid.items()):
            if record.account_id is not None:
                if record.account_id not in known:
                    del valid[index]
                    rejected[index] = self._rejected(
                        index, items[index], Rejection("account_id", "unknown_account"))
            elif record.subscriber in by_subscriber:
                record.account_id = by_subscriber[record.subscriber]
            else:
                del valid[index]
                rejected[index] = self._rejected(
                    index, items[index], Rejection("subscriber", "unknown_subscriber"))

    @staticmethod
    def _result(
        index: int, record: UsageRecord | None, rejected: RejectedItem | None, first: bool,
        stored: Stored,
    ) -> RecordResult:
        if rejected is not None:
            return RecordResult(index, rejected.record_id, Outcome.REJECTED, rejected.rejection)
        assert record is not None
        if first and record.key in stored.conflicts:
            return RecordResult(index, record.record_id, Outcome.REJECTED,
                                Rejection("record_id", "conflict"))
        if first and record.key in stored.new_keys:
            return RecordResult(index, record.record_id, Outcome.ACCEPTED)
        return RecordResult(index, record.record_id, Outcome.DUPLICATE)
