"""The usage store against real PostgreSQL: dedup under concurrency, partitions, sessions, atomicity."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg
import pytest

from kernel.database import create_pool, ensure_schema
from services.usage.application import Origin, RejectedItem, Submission
from services.usage.domain import ReceivedRecord, Rejection, TimeWindow, UsageRecord, validate
from services.usage.store import DDL, AlreadyCapturedError, PostgresUsageStore, RejectionNotOpenError

NOW = datetime.now(UTC)
WINDOW = TimeWindow(NOW, timedelta(minutes=5), timedelta(days=730))
ACCOUNT = uuid4()


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url)
    await ensure_schema(pool, "usage", DDL)
    yield pool
    await pool.close()


def record(record_id: str, quantity: str = "60", started_at: datetime | None = None,
           **extra: object) -> UsageRecord:
    fields: dict[str, object] = {
        "record_id": record_id, "source": "switch", "account_id": str(ACCOUNT),
        "service_type": "voice", "quantity": quantity, "unit": "second",
        "started_at": (started_at or NOW - timedelta(hours=1)).isoformat(),
    }
    fields.update(extra)
    return validate(ReceivedRecord(**fields), WINDOW)  # type: ignore[arg-type]


def submission(tenant: UUID, records: list[UsageRecord], origin: Origin | None = None,
               rejected: list[RejectedItem] | None = None) -> Submission:
    return Submission(tenant, uuid4(), origin or Origin("api", file="f"), NOW, records, [],
                      rejected or [])


async def reconciliation(pool: asyncpg.Pool, tenant: UUID) -> list[asyncpg.Record]:
    return list(await pool.fetch(
        "SELECT source, received, accepted, duplicate, rejected, seconds, bytes"
        " FROM usage.reconciliation WHERE tenant_id = $1 ORDER BY source", tenant))


async def test_concurrent_batches_store_each_key_once(pool: asyncpg.Pool) -> None:
    store = PostgresUsageStore(pool, 8)
    tenant = uuid4()
    records = [record(f"r{n}") for n in range(2000)]
    results = await asyncio.gather(*(store.write(submission(tenant, records)) for _ in range(4)))
    assert sum(len(r.new_keys) for r in results) == 2000
    assert await pool.fetchval("SELECT count(*) FROM usage.accepted_records") == 2000
    [row] = await reconciliation(pool, tenant)
    assert (row["received"], row["accepted"], row["duplicate"]) == (8000, 2000, 6000)
    assert row["seconds"] == 2000 * 60


async def test_changed_content_is_a_conflict_kept_as_a_rejection(pool: asyncpg.Pool) -> None:
    store = PostgresUsageStore(pool, 8)
    tenant = uuid4()
    await store.write(submission(tenant, [record("r1")]))
    stored = await store.write(submission(tenant, [record("r1", quantity="61")]))
    assert stored.conflicts == {("switch", "r1")}
    [row] = await pool.fetch("SELECT field, reason, record FROM usage.rejections")
    assert (row["field"], row["reason"]) == ("record_id", "conflict")
    assert '"61"' in row["record"]


async def test_records_land_in_the_partition_of_their_month(pool: asyncpg.Pool) -> None:
    store = PostgresUsageStore(pool, 8)
    old = datetime(NOW.year - 1, 6, 15, tzinfo=UTC)
    await store.write(submission(uuid4(), [record("late", started_at=old), record("now")]))
    partitions = {row["partition"] for row in await pool.fetch(
        "SELECT tableoid::regclass::text AS partition FROM usage.accepted_records")}
    assert partitions == {f"usage.accepted_records_{old:%Y_%m}",
                          f"usage.accepted_records_{(NOW - timedelta(hours=1)):%Y_%m}"}


async def test_session_counters_are_never_counted_twice_under_concurrency(pool: asyncpg.Pool) -> None:
    store = PostgresUsageStore(pool, 8)
    tenant = uuid4()

    def reading(n: int) -> UsageRecord:
        return record(f"s:interim:{n}", quantity=str(n * 1000), service_type="data", unit="byte",
                      session="s", duration=str(n * 60),
                      started_at=NOW - timedelta(hours=2) + timedelta(minutes=n),
                      attributes={"input_octets": str(n * 400), "output_octets": str(n * 600),
                                  "status": "interim"})

    batches = [[reading(n) for n in range(start, 50, 3)] for start in range(1, 4)]
    await asyncio.gather(*(store.write(submission(tenant, batch)) for batch in batches))
    total = await pool.fetchval("SELECT sum(quantity) FROM usage.accepted_records")
    assert total == 49 * 1000
    seconds = await pool.fetchval("SELECT sum(duration) FROM usage.accepted_records")
    assert seconds == 49 * 60


async def test_a_redelivered_message_writes_nothing(pool: asyncpg.Pool) -> None:
    store = PostgresUsageStore(pool, 8)
    tenant = uuid4()
    origin = Origin("nats", "feed", message_id="m-1")
    await store.write(submission(tenant, [record("r1")], origin))
    before = await reconciliation(pool, tenant)
    with pytest.raises(AlreadyCapturedError):
        await store.write(submission(tenant, [record("r2")], origin))
    assert await reconciliation(pool, tenant) == before
    assert await pool.fetchval("SELECT count(*) FROM usage.record_keys") == 1


async def test_resubmitting_a_closed_rejection_rolls_everything_back(pool: asyncpg.Pool) -> None:
    store = PostgresUsageStore(pool, 8)
    tenant = uuid4()
    bad = RejectedItem(0, "switch", "r1", Rejection("quantity", "negative"),
                       record={"record_id": "r1", "quantity": "-1"})
    await store.write(submission(tenant, [], rejected=[bad]))
    rejection_id = await pool.fetchval("SELECT rejection_id FROM usage.rejections")
    fixed = Origin("resubmission", "switch", "f", resubmission_of=rejection_id)
    await store.write(submission(tenant, [record("r1")], fixed))
    assert await pool.fetchval("SELECT status FROM usage.rejections") == "resolved"
    before = await reconciliation(pool, tenant)
    with pytest.raises(RejectionNotOpenError):
        await store.write(submission(tenant, [record("r2")], fixed))
    assert await reconciliation(pool, tenant) == before
    assert await pool.fetchval("SELECT count(*) FROM usage.accepted_records") == 1
