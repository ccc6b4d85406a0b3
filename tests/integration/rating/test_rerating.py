"""Re-rating against real PostgreSQL: identical when nothing changed, differences as adjustment parts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg
import pytest

from kernel.database import create_pool, ensure_schema
from services.rating.domain import RatingContext
from services.rating.listings import RatingListings
from services.rating.pricing import TariffVersion, VoiceRate, VoiceTable
from services.rating.rerating import Rerating
from services.rating.store import DDL, RatedRecordStore
from services.rating.tariffed import BatchPricer
from tests.unit.rating.pricing.tariffs import ACCOUNT, PLAN, VOICE, tariff
from tests.unit.rating.test_tariffed import TUESDAY_NOON, call, contexts

TENANT = uuid4()


class Versions:
    """The tariff versions the catalog would answer (the port rating reads them through)."""

    def __init__(self, version: TariffVersion) -> None:
        self.version = version

    async def version_at(self, tenant_id: UUID, rate_plan_id: UUID, day: date) -> TariffVersion:
        return self.version


class Accounts:
    """The rating context the invoice service would answer for the account."""

    async def for_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> dict[UUID, RatingContext]:
        return {a: c for a, c in contexts().items() if a in account_ids}


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url)
    await ensure_schema(pool, "rating", DDL)
    yield pool
    await pool.close()


def dearer() -> TariffVersion:
    """Version 2: London calls cost 0.10/min instead of 0.05, and Germany gets a price."""
    germany = VoiceRate("49", "Germany", Decimal("0.20"))
    tables = tuple(VoiceTable(table.band, (*(
        replace(rate, per_minute=Decimal("0.10")) if rate.prefix == "4420" else rate
        for rate in table.rates), germany)) for table in VOICE)
    return tariff(version=2, voice=tables)


async def rated_rows(pool: asyncpg.Pool) -> list[tuple[str, int, Decimal]]:
    return [(r["record_id"], r["part"], r["amount"]) for r in await pool.fetch(
        "SELECT record_id, part, amount FROM rating.rated_records ORDER BY record_id, part")]


async def test_rerating_writes_differences_and_is_idempotent(pool: asyncpg.Pool) -> None:
    store = RatedRecordStore(pool)
    records = [call("c1", 120), call("c2", 60, TUESDAY_NOON + timedelta(minutes=5)),
               call("c3", 60, TUESDAY_NOON + timedelta(minutes=9), destination="+4930123456")]
    versions = {(PLAN, TUESDAY_NOON.date()): tariff()}
    accounts = contexts()
    await store.save(TENANT, [("m1", records)], BatchPricer(accounts, versions))
    before = await rated_rows(pool)
    assert [r[0] for r in before] == ["c1", "c2"]
    period = (TUESDAY_NOON.date().replace(day=1), TUESDAY_NOON.date() + timedelta(days=1))

    same = await Rerating(pool, Accounts(), Versions(tariff())).rerate(TENANT, ACCOUNT, *period)
    assert (same.records, same.adjusted, same.newly_rated, same.difference) == (3, 0, 0, 0)
    assert await rated_rows(pool) == before

    changed = await Rerating(pool, Accounts(), Versions(dearer())).rerate(TENANT, ACCOUNT, *period)
    assert (changed.adjusted, changed.newly_rated) == (2, 1)
    after = await rated_rows(pool)
    assert after[:2] == [*before[:1], ("c1", 1000, Decimal("0.100000"))]
    totals = {rid: sum(a for r, _, a in after if r == rid) for rid in ("c1", "c2", "c3")}
    assert totals == {"c1": Decimal("0.210000"), "c2": Decimal("0.110000"),
                      "c3": Decimal("0.200000")}
    again = await Rerating(pool, Accounts(), Versions(dearer())).rerate(TENANT, ACCOUNT, *period)
    assert (again.adjusted, again.newly_rated, again.difference) == (0, 0, 0)
    assert await rated_rows(pool) == after
    assert await pool.fetchval(
        "SELECT count(*) FROM rating.unrated_records WHERE rerated_at IS NOT NULL") == 1


async def test_a_record_a_rerating_priced_is_no_longer_counted_unrated(pool: asyncpg.Pool) -> None:
    store = RatedRecordStore(pool)
    records = [call("c1", 60), call("g1", 60, TUESDAY_NOON + timedelta(minutes=9), destination="+4930123456"),
               call("g2", 60, TUESDAY_NOON + timedelta(minutes=11), destination="+4930123457")]
    accounts, versions = contexts(), {(PLAN, TUESDAY_NOON.date()): tariff()}
    await store.save(TENANT, [("m1", records)], BatchPricer(accounts, versions))
    listings = RatingListings(pool)
    ever = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    assert await listings.count_unrated(TENANT, ACCOUNT, *ever) == {"no_destination_rate": 2}
    assert await listings.count_unrated(TENANT, ACCOUNT, TUESDAY_NOON + timedelta(minutes=10), ever[1]) == {
        "no_destination_rate": 1}
    assert await listings.count_unrated(uuid4(), ACCOUNT, *ever) == {}
    period = (TUESDAY_NOON.date().replace(day=1), TUESDAY_NOON.date() + timedelta(days=1))

    await Rerating(pool, Accounts(), Versions(dearer())).rerate(TENANT, ACCOUNT, *period)

    assert await listings.count_unrated(TENANT, ACCOUNT, *ever) == {}
    rows, _ = await listings.unrated(TENANT, ACCOUNT, "", 10, "")
    assert sorted(r["record_id"] for r in rows if r["rerated_at"] is not None) == ["g1", "g2"]
