"""Rated records and cycle states against real PostgreSQL: exactly once, allowances never overspent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import asyncpg
import pytest

from kernel.database import create_pool, ensure_schema
from kernel.money import Money
from services.rating.domain import RatedPart, RecordToRate
from services.rating.pricing import Allowance
from services.rating.store import DDL, RATED_COLUMNS, RatedRecordStore
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
    rated_at = datetime(2026, 12, 1, 8, 30, 0, 123456, tzinfo=UTC)
    plan_id = uuid4()
    record = RecordToRate("sw\"1\t", "r-é\n", ACCOUNT, "voice", Decimal("61.123456789"), "second",
                          at, "+442079460001", Decimal("61.5"), Money.of("0.000001", "EUR"))
    part = RatedPart(record, 1, Decimal("1E+3"), Money.of("12.345678", "EUR"), plan_id, PLAN, 7,
                     "peak", "4420", "national", True, 'a "quoted" \\ explanation', "London")
    bare = RatedPart(record._replace(record_id="bare", duration=None, upstream_price=None), 0,
                     Decimal(0), Money.of("0", "EUR"), plan_id)

    async with pool.acquire() as conn:
        await RatedRecordStore.store_parts(conn, TENANT, [part, bare], rated_at)

    rows = await pool.fetch("SELECT * FROM rating.rated_records WHERE tenant_id = $1 ORDER BY seq",
                            TENANT)
    assert {name: rows[0][name] for name in RATED_COLUMNS} == {
        "tenant_id": TENANT, "source": "sw\"1\t", "record_id": "r-é\n", "account_id": ACCOUNT,
        "service_type": "voice", "quantity": Decimal("1000"), "unit": "second", "started_at": at,
        "amount": Decimal("12.345678"), "currency": "EUR", "plan_id": plan_id,
        "rated_at": rated_at, "part": 1, "rate_plan_id": PLAN, "tariff_version": 7, "band": "peak",
        "destination_prefix": "4420", "allowance": "national", "pre_rated": True,
        "explanation": 'a "quoted" \\ explanation', "destination": "+442079460001",
        "duration": Decimal("61.5"), "upstream_amount": Decimal("0.000001"),
        "upstream_currency": "EUR", "destination_class": "London",
    }
    assert {name: rows[1][name] for name in (
        "record_id", "part", "rate_plan_id", "tariff_version", "band", "destination_prefix",
        "allowance", "pre_rated", "explanation", "duration", "upstream_amount",
        "upstream_currency", "destination_class")} == {
        "record_id": "bare", "part": 0, "rate_plan_id": None, "tariff_version": None,
        "band": None, "destination_prefix": None, "allowance": None, "pre_rated": False,
        "explanation": "", "duration": None, "upstream_amount": None, "upstream_currency": None,
        "destination_class": ""}
