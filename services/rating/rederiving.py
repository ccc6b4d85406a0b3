"""Re-deriving usage: an auditor's check that the amounts a selection takes are what pricing its
records again gives, replayed as rating priced them (services/rating/replay.py). Nothing is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

import asyncpg

from kernel.errors import NotFoundError
from services.rating.billing_reads import (
    SELECTED_PARTS,
    BillingGroup,
    GroupKey,
    check_cut,
    selection_args,
    summarize_on,
)
from services.rating.contexts import RatingContexts
from services.rating.cycles import RecordHistory, RecordKey, cycle_histories
from services.rating.domain import RatingContext
from services.rating.pricing import TariffVersion
from services.rating.replay import Change, NumberedVersions, Rerated, change_between, replay_cycle
from services.rating.selections import UsageSelection
from services.rating.tariffed import cycle_of

Cycle = tuple[dict[RecordKey, RecordHistory], list[Rerated]]
"""A cycle as stored up to a watermark: its records and its recorded re-ratings."""


class RecordedTariffs(Protocol):
    """Where the tariff versions recorded on rated parts are found by number."""

    async def version_numbered(
        self, tenant_id: UUID, rate_plan_id: UUID, number: int
    ) -> TariffVersion | None: ...


@dataclass(frozen=True)
class GroupCheck:
    """One billing group of a selection: what is stored (None: nothing) beside what re-deriving gives."""

    key: GroupKey
    stored: BillingGroup | None
    rederived: Decimal

    @property
    def stored_amount(self) -> Decimal:
        """The amount stored in the group."""
        return self.stored.amount if self.stored else Decimal(0)

    @property
    def matches(self) -> bool:
        """True when re-deriving gives exactly the stored amount."""
        return self.stored_amount == self.rederived


@dataclass(frozen=True)
class Rederivation:
    """Every group of a selection, checked."""

    groups: list[GroupCheck]

    @property
    def matches(self) -> bool:
        """True when every group matches."""
        return all(group.matches for group in self.groups)


def group_key(kind: str, history: RecordHistory) -> GroupKey:
    """The group a record's parts fall in, for a period kind."""
    row = history.row
    return GroupKey(kind, row["service_type"], history.destination_class, row["unit"], history.currency)


def rederived_amounts(
    selection: UsageSelection, histories: Mapping[RecordKey, RecordHistory],
    changes: Mapping[RecordKey, Sequence[Change]],
) -> dict[GroupKey, Decimal]:
    """Per group, how much the re-derived totals of its records changed at the seqs it takes."""
    amounts: dict[GroupKey, Decimal] = defaultdict(Decimal)
    for key, history in histories.items():
        kind = selection.kind_of(history.row["started_at"])
        if kind is None:
            continue
        amount = change_between(changes.get(key, ()), *selection.seqs(kind))
        if amount:
            amounts[group_key(kind, history)] += amount
    return amounts


def compare(stored: Sequence[BillingGroup], rederived: Mapping[GroupKey, Decimal]) -> Rederivation:
    """Every group stored or re-derived, the two amounts side by side."""
    groups = {group.key: group for group in stored}
    return Rederivation([GroupCheck(key, groups.get(key), rederived.get(key, Decimal(0)))
                         for key in sorted(groups.keys() | rederived.keys())])


def rerated_of(row: asyncpg.Record) -> Rerated:
    """A recorded re-rating."""
    return Rerated(row["first_seq"], row["last_seq"], row["rate_plan_id"],
                   {date.fromisoformat(day): number for day, number in json.loads(row["versions"]).items()})


class Rederiving:
    """Re-derives a selection's groups in a read-only snapshot."""

    def __init__(self, pool: asyncpg.Pool, contexts: RatingContexts, tariffs: RecordedTariffs) -> None:
        self.pool = pool
        self.contexts = contexts
        self.tariffs = tariffs

    async def rederive(self, tenant_id: UUID, selection: UsageSelection) -> Rederivation:
        """The selection's groups as stored and as re-derived (the selection is checked already)."""
        account_id = selection.account_id
        context = (await self.contexts.for_accounts(tenant_id, {account_id})).get(account_id)
        if context is None:
            raise NotFoundError(f"no account {account_id}")
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                                 readonly=True):
            await check_cut(conn, [selection], ["selection"])
            stored = await summarize_on(conn, tenant_id, [selection])
            cycles = [await self._cycle(conn, tenant_id, context, cycle, selection.watermark)
                      for cycle in await self._cycles(conn, tenant_id, selection, context.timezone)]
        versions = await self._versions(tenant_id, cycles)
        histories: dict[RecordKey, RecordHistory] = {}
        changes: dict[RecordKey, list[Change]] = {}
        for records, reratings in cycles:
            histories.update(records)
            changes.update(replay_cycle(records, reratings, context, versions))
        return compare(stored, rederived_amounts(selection, histories, changes))

    @staticmethod
    async def _cycles(
        conn: asyncpg.Connection, tenant_id: UUID, selection: UsageSelection, timezone: str
    ) -> list[date]:
        """The cycles of the selection's parts and of the re-ratings it takes."""
        starts = await conn.fetch(f"{SELECTED_PARTS} SELECT DISTINCT started_at FROM parts",
                                  *selection_args(tenant_id, [selection]))
        rerated = await conn.fetch(
            "SELECT DISTINCT cycle_start FROM rating.reratings WHERE tenant_id = $1"
            " AND account_id = $2 AND first_seq > $3 AND first_seq <= $4",
            tenant_id, selection.account_id, selection.previous_watermark, selection.watermark)
        return sorted({cycle_of(row["started_at"], timezone) for row in starts}
                      | {row["cycle_start"] for row in rerated})

    @staticmethod
    async def _cycle(
        conn: asyncpg.Connection, tenant_id: UUID, context: RatingContext, cycle: date, watermark: int
    ) -> Cycle:
        """A cycle's records and re-ratings up to the watermark."""
        records = await cycle_histories(conn, tenant_id, context.account_id, cycle, context.timezone,
                                        watermark)
        reratings = await conn.fetch(
            "SELECT * FROM rating.reratings WHERE tenant_id = $1 AND account_id = $2"
            " AND cycle_start = $3 AND first_seq <= $4 ORDER BY first_seq",
            tenant_id, context.account_id, cycle, watermark)
        return records, [rerated_of(row) for row in reratings]

    async def _versions(self, tenant_id: UUID, cycles: Sequence[Cycle]) -> NumberedVersions:
        """Every tariff version the cycles record, by (rate plan, number)."""
        needed = {h.recorded_version for records, _ in cycles for h in records.values()}
        needed |= {(r.rate_plan_id, number) for _, reratings in cycles for r in reratings
                   for number in r.versions.values() if number is not None}
        return {key: await self.tariffs.version_numbered(tenant_id, *key)
                for key in sorted(k for k in needed if k is not None)}
