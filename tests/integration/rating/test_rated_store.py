"""Rated records and cycle states against real PostgreSQL: exactly once, allowances never overspent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import asyncpg
import pytest

from kernel.database import create_pool, ensure_schema
from services.rating.domain import RecordToRate
from services.rating.pricing import Allowance
from services.rating.store import DDL, RatedRecordStore
from services.rating.tariffed import needed_cycles, price_all
from tests.unit.rating.pricing.tariffs import PLAN, tariff
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
    return await store.save(message_id, TENANT, needed_cycles(records, accounts),
                            lambda states: price_all(records, accounts, VERSIONS, states))


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
