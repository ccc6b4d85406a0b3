"""Use case: capture a batch of usage records, each ending accepted, duplicate or rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
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
    UsageRecord,
    validate,
)


class AccountResolver(Protocol):
    """Tells which account ids the tenant does not have."""

    async def unknown_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> set[UUID]: ...


class UsageStore(Protocol):
    """Durable, append-only storage that keeps the first record of each dedup key."""

    async def store(
        self, tenant_id: UUID, batch_id: UUID, records: list[UsageRecord]
    ) -> set[tuple[str, str]]:
        """Store the records and queue them for rating in one transaction; return the keys new."""
        ...


@dataclass(frozen=True)
class RecordResult:
    """The outcome of one record of a batch."""

    index: int
    record_id: str
    outcome: Outcome
    rejection: Rejection | None = None


@dataclass
class BatchResult:
    """The outcome of every record of a batch, in request order."""

    batch_id: UUID
    results: list[RecordResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many records ended with this outcome."""
        return sum(1 for result in self.results if result.outcome is outcome)


class UsageCapture:
    """Validates, resolves accounts, dedups and stores usage batches."""

    def __init__(
        self, accounts: AccountResolver, store: UsageStore, clock: Clock,
        max_skew: timedelta = timedelta(minutes=5),
    ) -> None:
        self.accounts = accounts
        self.store = store
        self.clock = clock
        self.max_skew = max_skew

    async def record_batch(self, tenant_id: UUID, received: list[ReceivedRecord]) -> BatchResult:
        """Give every record exactly one outcome; store the accepted ones atomically."""
        if not received:
            raise InvalidInputError("records", "must_not_be_empty")
        if len(received) > MAX_BATCH:
            raise InvalidInputError("records", f"at_most_{MAX_BATCH}")
        outcomes: dict[int, RecordResult] = {}
        valid: dict[int, UsageRecord] = {}
        now = self.clock.now()
        for index, raw in enumerate(received):
            try:
                valid[index] = validate(raw, now, self.max_skew)
            except RecordRejectedError as error:
                outcomes[index] = RecordResult(index, raw.record_id, Outcome.REJECTED,
                                               error.rejection)
        unknown = await self.accounts.unknown_accounts(
            tenant_id, {record.account_id for record in valid.values()}
        )
        for index in [i for i, record in valid.items() if record.account_id in unknown]:
            outcomes[index] = RecordResult(index, valid.pop(index).record_id, Outcome.REJECTED,
                                           Rejection("account_id", "unknown_account"))
        first_of_key: dict[tuple[str, str], int] = {}
        for index, record in valid.items():
            first_of_key.setdefault(record.key, index)
        batch_id = new_id()
        new_keys = await self.store.store(
            tenant_id, batch_id, [valid[index] for index in first_of_key.values()]
        )
        for index, record in valid.items():
            is_new = first_of_key[record.key] == index and record.key in new_keys
            outcomes[index] = RecordResult(
                index, record.record_id, Outcome.ACCEPTED if is_new else Outcome.DUPLICATE
            )
        return BatchResult(batch_id, [outcomes[index] for index in range(len(received))])
