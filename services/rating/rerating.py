"""Re-rating: price an account's whole bill cycles again, in strict event order, with the tariff
versions in effect now. History is never edited: a record whose total changes gets an adjustment
part (part >= ADJUSTMENT_PART) carrying the difference; a record unrated before and priced now gets
its parts; the cycle state is replaced by the recomputed one. A re-rating that changes anything is
recorded (rating.reratings) so that re-derivation can replay it. Re-rating twice changes nothing."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import asyncpg

from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from kernel.money import Money
from services.rating.contexts import RatingContexts
from services.rating.cycles import (
    ADJUSTMENT_PART,
    RecordHistory,
    cycle_histories,
    cycles_between,
    record_of,
    window,
)
from services.rating.domain import RatedPart, RatingContext, RecordToRate
from services.rating.pricing import FRESH_CYCLE, CycleState, TariffVersion
from services.rating.store import SEQUENCE, RatedRecordStore
from services.rating.tariffed import (
    TariffLookup,
    VersionKey,
    local_day,
    needed_versions,
    price_all,
)


@dataclass(frozen=True)
class RerateResult:
    """What a re-rating did: the cycles it covered, records re-priced, and the differences."""

    cycles: list[date]
    records: int
    adjusted: int
    newly_rated: int
    difference: Decimal


class Rerating:
    """Re-rates whole cycles of one account inside one transaction, its cycle rows locked."""

    def __init__(self, pool: asyncpg.Pool, contexts: RatingContexts, tariffs: TariffLookup) -> None:
        self.pool = pool
        self.contexts = contexts
        self.tariffs = tariffs

    async def rerate(self, tenant_id: UUID, account_id: UUID, start: date, end: date) -> RerateResult:
        """Re-rate every cycle overlapping [start, end)."""
        if end <= start:
            raise InvalidInputError("period_end", "must_be_after_period_start")
        context = (await self.contexts.for_accounts(tenant_id, {account_id})).get(account_id)
        if context is None:
            raise NotFoundError(f"no account {account_id}")
        if context.rate_plan_id is None:
            raise PreconditionError("the account's plan has no rate plan to re-rate with")
        cycles = cycles_between(start, end)
        totals = RerateResult(cycles, 0, 0, 0, Decimal(0))
        async with self.pool.acquire() as conn, conn.transaction():
            states = await RatedRecordStore.lock_cycles(
                conn, tenant_id, {(account_id, c) for c in cycles})
            await conn.execute("LOCK TABLE rating.rated_records IN ROW EXCLUSIVE MODE")
            for cycle in cycles:
                result = await self._rerate_cycle(
                    conn, tenant_id, context, cycle, states[(account_id, cycle)])
                totals = RerateResult(
                    cycles, totals.records + result.records, totals.adjusted + result.adjusted,
                    totals.newly_rated + result.newly_rated, totals.difference + result.difference)
        return totals

    async def _rerate_cycle(
        self, conn: asyncpg.Connection, tenant_id: UUID, context: RatingContext, cycle: date,
        before: CycleState,
    ) -> RerateResult:
        first_seq = await conn.fetchval(f"SELECT nextval({SEQUENCE})")
        histories = await cycle_histories(conn, tenant_id, context.account_id, cycle, context.timezone)
        begin, finish = window(cycle, context.timezone)
        unrated = await conn.fetch(
            "SELECT * FROM rating.unrated_records WHERE tenant_id = $1 AND account_id = $2"
            " AND started_at >= $3 AND started_at < $4 AND rerated_at IS NULL",
            tenant_id, context.account_id, begin, finish)
        records = [history.record for history in histories.values()]
        records += [record_of(row, row["quantity"]) for row in unrated]
        contexts = {context.account_id: context}
        versions = {key: await self.tariffs.version_at(tenant_id, *key)
                    for key in needed_versions(records, contexts)}
        pricing = price_all(records, contexts, versions, {})
        new_parts: dict[tuple[str, str], list[RatedPart]] = defaultdict(list)
        for part in pricing.rated:
            new_parts[(part.record.source, part.record.record_id)].append(part)
        to_store: list[RatedPart] = []
        difference = Decimal(0)
        adjusted = 0
        for record in records:
            key = (record.source, record.record_id)
            parts = new_parts.get(key, [])
            new_total = sum((p.amount.amount for p in parts), Decimal(0))
            history = histories.get(key)
            if history is None:
                to_store += parts
                difference += new_total
                continue
            delta = new_total - history.total
            if delta:
                adjusted += 1
                difference += delta
                to_store.append(self._adjustment(record, parts, context, history, delta))
        await RatedRecordStore.store_parts(conn, tenant_id, to_store)
        newly = {key for key in new_parts if key not in histories}
        await conn.executemany(
            "UPDATE rating.unrated_records SET rerated_at = now()"
            " WHERE tenant_id = $1 AND source = $2 AND record_id = $3",
            [(tenant_id, *key) for key in sorted(newly)])
        state = pricing.states.get((context.account_id, cycle), FRESH_CYCLE)
        await RatedRecordStore.replace_cycle_states(conn, tenant_id, {(context.account_id, cycle): state})
        if to_store or state != before:
            await self._record(conn, tenant_id, context, cycle, first_seq, versions)
        return RerateResult([cycle], len(records), adjusted, len(newly), difference)

    @staticmethod
    async def _record(
        conn: asyncpg.Connection, tenant_id: UUID, context: RatingContext, cycle: date,
        first_seq: int, versions: dict[VersionKey, TariffVersion | None],
    ) -> None:
        """Record that the cycle was re-rated, where among the parts, and with which versions:
        re-derivation replays it (docs/rating.md, "Re-deriving usage")."""
        await conn.execute(
            "INSERT INTO rating.reratings (tenant_id, account_id, cycle_start, first_seq, last_seq,"
            f" rate_plan_id, versions, rerated_at) VALUES ($1, $2, $3, $4, currval({SEQUENCE}),"
            " $5, $6, $7)",
            tenant_id, context.account_id, cycle, first_seq, context.rate_plan_id,
            json.dumps({day.isoformat(): version.version if version else None
                        for (_, day), version in sorted(versions.items())}),
            datetime.now(UTC),
        )

    @staticmethod
    def _adjustment(
        record: RecordToRate, parts: list[RatedPart], context: RatingContext, history: RecordHistory,
        delta: Decimal,
    ) -> RatedPart:
        """The difference between the new and the old price of a record, as a part of its own, in
        the record's destination class (a record's parts are always on one invoice line)."""
        version = parts[0].tariff_version if parts else None
        day = local_day(record.started_at, context.timezone)
        currency, old_total = history.currency, history.total
        explanation = (
            f"re-rated with tariff version {version} in effect on {day}: was {old_total} {currency},"
            f" now {old_total + delta} {currency}" if parts else
            f"re-rated: no longer priced on {day}, {old_total} {currency} reversed")
        return RatedPart(record, ADJUSTMENT_PART + history.adjustments, Decimal(0),
                         Money(delta, currency), context.plan_id, rate_plan_id=context.rate_plan_id,
                         tariff_version=version, explanation=explanation,
                         destination_class=history.destination_class)
