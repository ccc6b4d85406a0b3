"""GetRecords on real PostgreSQL: accepted records by key from their monthly partitions, never
another account's or another tenant's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg
import grpc
import pytest
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from kernel.grpc import field_violation
from services.usage.grpc_api import UsageServicer
from services.usage.queries import UsageQueries
from services.usage.store import PostgresUsageStore
from tests.integration.serving import serving
from tests.integration.usage.test_store import ACCOUNT, NOW, pool, record, submission

__all__ = ["pool"]

LAST_YEAR = datetime(NOW.year - 1, 6, 15, 8, 30, 15, 123456, tzinfo=UTC)
RECENT = NOW - timedelta(hours=1)


@pytest.fixture
async def usage(pool: asyncpg.Pool) -> AsyncIterator[usage_pb2_grpc.UsageServiceStub]:
    """The usage servicer's read side on a free port."""
    servicer = UsageServicer(None, None, UsageQueries(pool), None, lambda: None)  # type: ignore[arg-type]
    async for stub in serving((usage_pb2_grpc.add_UsageServiceServicer_to_server, servicer,
                               "billing.usage.v1.UsageService"), usage_pb2_grpc.UsageServiceStub):
        yield stub


def key(record_id: str, started_at: datetime) -> usage_pb2.RecordKey:
    return usage_pb2.RecordKey(source="switch", record_id=record_id, started_at=started_at.isoformat())


def request(tenant: UUID, *keys: usage_pb2.RecordKey, account: UUID = ACCOUNT) -> usage_pb2.GetRecordsRequest:
    return usage_pb2.GetRecordsRequest(tenant_id=str(tenant), account_id=str(account), keys=list(keys))


async def test_records_are_found_in_their_partitions_and_unknown_keys_are_missing(
    pool: asyncpg.Pool, usage: usage_pb2_grpc.UsageServiceStub
) -> None:
    tenant = uuid4()
    await PostgresUsageStore(pool, 8).write(submission(tenant, [
        record("old", started_at=LAST_YEAR, attributes={"destination": "+442079460000"}),
        record("new", "120", started_at=RECENT, ended_at=(RECENT + timedelta(seconds=120)).isoformat()),
    ]))
    response = await usage.GetRecords(request(
        tenant, key("new", RECENT), key("old", LAST_YEAR), key("gone", RECENT),
        key("old", LAST_YEAR + timedelta(days=40)), key("new", RECENT)))

    assert [(r.record_id, r.quantity, r.unit) for r in response.records] == [
        ("old", "60", "second"), ("new", "120", "second")]
    old, new = response.records
    assert datetime.fromisoformat(old.started_at) == LAST_YEAR
    assert dict(old.attributes) == {"destination": "+442079460000"}
    assert (old.file, old.ended_at, new.duration) == ("f", "", "")
    assert datetime.fromisoformat(new.ended_at) == RECENT + timedelta(seconds=120)
    assert list(response.missing) == ["switch:gone"]


async def test_another_account_or_tenant_finds_nothing(
    pool: asyncpg.Pool, usage: usage_pb2_grpc.UsageServiceStub
) -> None:
    tenant = uuid4()
    await PostgresUsageStore(pool, 8).write(submission(tenant, [record("r1", started_at=RECENT)]))
    for asked in (request(uuid4(), key("r1", RECENT)), request(tenant, key("r1", RECENT), account=uuid4())):
        response = await usage.GetRecords(asked)
        assert (list(response.records), list(response.missing)) == ([], ["switch:r1"])


async def test_bad_keys_are_refused_naming_the_field(usage: usage_pb2_grpc.UsageServiceStub) -> None:
    tenant = uuid4()
    cases = [
        (usage_pb2.GetRecordsRequest(tenant_id="x", account_id=str(ACCOUNT)), "tenant_id"),
        (usage_pb2.GetRecordsRequest(tenant_id=str(tenant), account_id="y"), "account_id"),
        (request(tenant, key("r1", RECENT), usage_pb2.RecordKey(record_id="r2", started_at=NOW.isoformat())),
         "keys[1].source"),
        (request(tenant, usage_pb2.RecordKey(source="switch", started_at=NOW.isoformat())),
         "keys[0].record_id"),
        (request(tenant, usage_pb2.RecordKey(source="switch", record_id="r1", started_at="yesterday")),
         "keys[0].started_at"),
        (request(tenant, usage_pb2.RecordKey(source="switch", record_id="r1", started_at="2026-01-01T00:00")),
         "keys[0].started_at"),
        (request(tenant, *[key(f"r{n}", RECENT) for n in range(1001)]), "keys"),
    ]
    for asked, field in cases:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await usage.GetRecords(asked)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        assert (field_violation(caught.value) or {}).get("field") == field
