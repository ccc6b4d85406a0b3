"""Rated records and cycle states against real PostgreSQL: exactly once, allowances never overspent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import asyncpg
import pytest

from kernel.database import create_pool, ensure_schema
from kernel.money import Money
from services.rating.domain import RatedPart, RecordToRate
from services.rating.pricing import Allowance
from services.rating.store import DDL, RatedRecordStore
from services.rating.tariffed import BatchPricer
from tests.unit.rating.pricing.tariffs import ACCOUNT, PLAN, tariff
from tests.unit.rating.test_tariffed import TUESDAY_NOON, call, contexts

VERSION = tariff(allowances=(Allowance("national", "voice", Decimal(600), ("44",)),))
VERSIONS = {(PLAN, TUESDAY_NOON.date()): VERSION}


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url)
    await ensure_schema(pool, "rating", DDL)
    yield pool
    await pool.close()


TENANT = uuid4()


async def save(store: RatedRecordStore, message_id: str, records: list[RecordToRate]) -> bool:
    accounts = contexts()
    return bool(await store.save(TENANT, [(message_id, records)], BatchPricer(accounts, VERSIONS)))


async def test_concurrent_batches_never_spend_an_allowance_twice(pool: asyncpg.Pool) -> None:
    store = RatedRecordStore(pool)
    batches = [[call(f"b{b}-c{n}", 120, TUESDAY_NOON + timedelta(minutes=b * 10 + n))
                for n in range(3)] for b in range(4)]
    assert all(await asyncio.gather(*(save(store, f"m{b}", batch) for b, batch in enumerate(batches))))
    included = await pool.fetchval(
        "SELECT sum(quantity) FROM rating.rated_records WHERE allowance = 'national'")
    charged = await pool.fetchval(
        "SELECT sum(quantity) FROM rating.rated_records WHERE allowance IS NULL")
    assert included == 600
    assert included + charged == 12 * 120
    state = await pool.fetchval("SELECT state FROM rating.cycle_states")
    assert '"national": "600"' in state


async def test_a_redelivered_batch_changes_nothing(pool: asyncpg.Pool) -> None:
    store = RatedRecordStore(pool)
    records = [call("c1", 700)]
    assert await save(store, "m1", records)
    before = await pool.fetch("SELECT * FROM rating.rated_records ORDER BY part")
    assert [r["part"] for r in before] == [0, 1]
    assert not await save(store, "m1", records)
    assert await pool.fetch("SELECT * FROM rating.rated_records ORDER BY part") == before


async def test_messages_saved_together_are_priced_as_one_batch_in_event_order(pool: asyncpg.Pool) -> None:
    store = RatedRecordStore(pool)
    late, early = [call("late", 400, TUESDAY_NOON + timedelta(minutes=30))], [call("early", 400)]

    saved = await store.save(TENANT, [("m1", late), ("m2", early)], BatchPricer(contexts(), VERSIONS))

    assert saved == ["m1", "m2"]
    rows = await pool.fetch("SELECT record_id, quantity, allowance FROM rating.rated_records ORDER BY seq")
    assert [tuple(row) for row in rows] == [
        ("early", 400, "national"), ("late", 200, "national"), ("late", 200, None)]
    assert await pool.fetchval("SELECT count(*) FROM rating.inbox") == 2


async def test_saving_together_prices_only_messages_not_processed_before(pool: asyncpg.Pool) -> None:
    store = RatedRecordStore(pool)
    first, second = [call("c1", 500)], [call("c2", 500, TUESDAY_NOON + timedelta(minutes=5))]
    assert await save(store, "m1", first)

    saved = await store.save(TENANT, [("m1", first), ("m2", second), ("m2", second)],
                             BatchPricer(contexts(), VERSIONS))

    assert saved == ["m2"]
    rows = await pool.fetch("SELECT record_id, quantity, allowance FROM rating.rated_records ORDER BY seq")
    assert [tuple(row) for row in rows] == [
        ("c1", 500, "national"), ("c2", 100, "national"), ("c2", 400, None)]
    assert await store.save(TENANT, [("m1", first), ("m2", second)],
                            BatchPricer(contexts(), VERSIONS)) == []


async def test_a_part_is_stored_value_for_value(pool: asyncpg.Pool) -> None:
    at = datetime(2026, 11, 24, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5)))
    record = RecordToRate("sw\"1", "r-é", ACCOUNT, "voice", Decimal("61.123456789"), "second", at,
                          "+442079460001", Decimal("61.5"), Money.of("0.000001", "EUR"))
    part = RatedPart(record, 1, Decimal("1E+3"), Money.of("12.345678", "EUR"), PLAN, PLAN, 7, "peak",
                     "4420", None, True, 'a "quoted" \\ explanation', "London")

    async with pool.acquire() as conn:
        await RatedRecordStore.store_parts(conn, TENANT, [part])

    row = await pool.fetchrow("SELECT * FROM rating.rated_records WHERE record_id = 'r-é'")
    assert (row["source"], row["account_id"], row["started_at"], row["quantity"]) == (
        "sw\"1", ACCOUNT, at, Decimal("1000"))
    assert (row["amount"], row["currency"], row["part"], row["tariff_version"]) == (
        Decimal("12.345678"), "EUR", 1, 7)
    assert (row["allowance"], row["pre_rated"], row["explanation"], row["destination_class"]) == (
        None, True, 'a "quoted" \\ explanation', "London")
    assert (row["duration"], row["upstream_amount"], row["upstream_currency"]) == (
        Decimal("61.5"), Decimal("0.000001"), "EUR")
