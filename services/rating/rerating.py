"""Re-rating: price an account's whole bill cycles again, in strict event order, with the tariff
versions in effect now. History is never edited: a record whose total changes gets an adjustment
part (part >= ADJUSTMENT_PART) carrying the difference; a record unrated before and priced now gets
its parts; the cycle state is replaced by the recomputed one. Re-rating twice changes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from kernel.dates import first_of_next_month
from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from kernel.money import Money
from services.rating.contexts import RatingContexts
from services.rating.domain import RatedPart, RatingContext, RecordToRate
from services.rating.pricing import CycleState
from services.rating.store import RatedRecordStore
from services.rating.tariffed import TariffLookup, local_day, needed_versions, price_all

ADJUSTMENT_PART = 1000
"""Parts numbered from here are re-rating adjustments of a record."""


@dataclass(frozen=True)
class RerateResult:
    """What a re-rating did: the cycles it covered, records re-priced, and the differences."""

    cycles: list[date]
    records: int
    adjusted: int
    newly_rated: int
    difference: Decimal


def cycles_between(first: date, end: date) -> list[date]:
    """The first days of the monthly cycles from first's month up to (not including) end."""
    cycles, month = [], first.replace(day=1)
    while month < end:
        cycles.append(month)
        month = first_of_next_month(month)
    return cycles


def window(cycle: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants [start, end) of a monthly cycle in the account's timezone."""
    zone = ZoneInfo(timezone)
    return (datetime.combine(cycle, time(), zone).astimezone(UTC),
            datetime.combine(first_of_next_month(cycle), time(), zone).astimezone(UTC))


def record_of(row: asyncpg.Record, quantity: Decimal) -> RecordToRate:
    """A record rebuilt from its stored inputs."""
    upstream = (Money(row["upstream_amount"], row["upstream_currency"])
                if row["upstream_amount"] is not None else None)
    return RecordToRate(
        row["source"], row["record_id"], row["account_id"], row["service_type"], quantity,
        row["unit"], row["started_at"], destination=row["destination"], duration=row["duration"],
        upstream_price=upstream,
    )


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
            await RatedRecordStore.lock_cycles(conn, tenant_id, {(account_id, c) for c in cycles})
            for cycle in cycles:
                result = await self._rerate_cycle(conn, tenant_id, context, cycle)
                totals = RerateResult(
                    cycles, totals.records + result.records, totals.adjusted + result.adjusted,
                    totals.newly_rated + result.newly_rated, totals.difference + result.difference)
        return totals

    async def _rerate_cycle(
        self, conn: asyncpg.Connection, tenant_id: UUID, context: RatingContext, cycle: date
    ) -> RerateResult:
        begin, finish = window(cycle, context.timezone)
        rated = await conn.fetch(
            "SELECT * FROM rating.rated_records WHERE tenant_id = $1 AND account_id = $2"
            " AND started_at >= $3 AND started_at < $4", tenant_id, context.account_id, begin, finish)
        unrated = await conn.fetch(
            "SELECT * FROM rating.unrated_records WHERE tenant_id = $1 AND account_id = $2"
            " AND started_at >= $3 AND started_at < $4 AND rerated_at IS NULL",
            tenant_id, context.account_id, begin, finish)
        quantities: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        old_totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        adjustments: dict[tuple[str, str], int] = defaultdict(int)
        first_rows: dict[tuple[str, str], asyncpg.Record] = {}
        currencies: dict[tuple[str, str], str] = {}
        for row in rated:
            key = (row["source"], row["record_id"])
            old_totals[key] += row["amount"]
            currencies[key] = row["currency"]
            if row["part"] >= ADJUSTMENT_PART:
                adjustments[key] += 1
                continue
            quantities[key] += row["quantity"]
            first_rows.setdefault(key, row)
        records = [record_of(row, quantities[key]) for key, row in first_rows.items()]
        records += [record_of(row, row["quantity"]) for row in unrated]
        contexts = {context.account_id: context}
        versions = {key: await self.tariffs.version_at(tenant_id, *key)
                    for key in needed_versions(records, contexts)}
        pricing = price_all(records, contexts, versions, {})
        new_parts: dict[tuple[str, str], list[RatedPart]] = defaultdict(list)
        for part in pricing.rated:
            new_parts[(part.record.source, part.record.record_id)].append(part)
        was_unrated = {(row["source"], row["record_id"]) for row in unrated}
        to_store: list[RatedPart] = []
        difference = Decimal(0)
        adjusted = 0
        for record in records:
            key = (record.source, record.record_id)
            parts = new_parts.get(key, [])
            new_total = sum((p.amount.amount for p in parts), Decimal(0))
            if key in was_unrated:
                to_store += parts
                difference += new_total
                continue
            delta = new_total - old_totals[key]
            if delta:
                adjusted += 1
                difference += delta
                to_store.append(self._adjustment(
                    record, parts, context, Money(delta, currencies[key]),
                    ADJUSTMENT_PART + adjustments[key], old_totals[key]))
        await RatedRecordStore.store_parts(conn, tenant_id, to_store)
        newly = {key for key in was_unrated if new_parts.get(key)}
        await conn.executemany(
            "UPDATE rating.unrated_records SET rerated_at = now()"
            " WHERE tenant_id = $1 AND source = $2 AND record_id = $3",
            [(tenant_id, *key) for key in sorted(newly)])
        state = pricing.states.get((context.account_id, cycle), CycleState())
        await RatedRecordStore.replace_cycle_state(conn, tenant_id, (context.account_id, cycle), state)
        return RerateResult([cycle], len(records), adjusted, len(newly), difference)

    @staticmethod
    def _adjustment(
        record: RecordToRate, parts: list[RatedPart], context: RatingContext, delta: Money,
        part: int, old_total: Decimal,
    ) -> RatedPart:
        """The difference between the new and the old price of a record, as a part of its own."""
        version = parts[0].tariff_version if parts else None
        day = local_day(record.started_at, context.timezone)
        currency = delta.currency
        explanation = (
            f"re-rated with tariff version {version} in effect on {day}: was {old_total} {currency},"
            f" now {old_total + delta.amount} {currency}" if parts else
            f"re-rated: no longer priced on {day}, {old_total} {currency} reversed")
        return RatedPart(record, part, Decimal(0), delta, context.plan_id,
                         rate_plan_id=context.rate_plan_id, tariff_version=version,
                         explanation=explanation)
