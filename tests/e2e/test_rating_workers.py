"""Two rating workers, each its own process on half of the usage partitions, rate everything once."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import pytest
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from devstack.bench.capture import flat_plan
from devstack.local import LocalNats
from devstack.stack import RunningStack, StackConfig, start_stack
from kernel.database import connection_parts
from kernel.grpc import channel
from kernel.messaging import USAGE_STREAM, connect
from services.usage.domain import partition_of

PARTITIONS = 8
ACCOUNTS = 24
RECORDS_PER_ACCOUNT = 5


@dataclass(frozen=True)
class Workers:
    """Invoice, usage and two rating workers, and the NATS they share."""

    running: RunningStack
    nats_url: str


@pytest.fixture(scope="module")
def workers(fresh_database: str) -> Iterator[Workers]:
    folder = Path(tempfile.mkdtemp(prefix="billing-workers-"))
    nats = LocalNats(folder / "nats")
    log = (folder / "services.log").open("w")
    try:
        running = start_stack(StackConfig(
            database_url=fresh_database, nats_url=nats.url, smtp_url="smtp://127.0.0.1:1",
            run_dir=folder / "run", services=("invoice", "usage", "rating"), with_gateway=False,
            rating_workers=2, extra_env=(("USAGE_PARTITIONS", str(PARTITIONS)),),
        ), output=log)
        try:
            yield Workers(running, nats.url)
        finally:
            running.stop()
    finally:
        nats.stop()
        log.close()


async def open_accounts(address: str, tenant_id: UUID) -> list[UUID]:
    stub = invoice_pb2_grpc.InvoiceServiceStub(channel(address))
    plan = await stub.CreatePlan(flat_plan(tenant_id))
    opened = [await stub.OpenAccount(invoice_pb2.OpenAccountRequest(
        tenant_id=str(tenant_id), name=f"Worker test {n}", billing_email=f"w{n}@example.org",
        plan_id=plan.plan_id, timezone="UTC")) for n in range(ACCOUNTS)]
    return [UUID(account.account_id) for account in opened]


async def rated_count(database_url: str, tenant_id: UUID) -> int:
    parts = connection_parts(database_url)
    conn = await asyncpg.connect(host=parts["host"], port=int(parts["port"]), user=parts["user"],
                                 database=parts["dbname"])
    try:
        return int(await conn.fetchval(
            "SELECT count(*) FROM rating.rated_records WHERE tenant_id = $1 AND part = 0", tenant_id))
    finally:
        await conn.close()


async def test_each_worker_rates_its_partitions_and_every_record_is_rated_once(
    workers: Workers, fresh_database: str
) -> None:
    addresses = workers.running.grpc_addresses
    tenant_id = uuid4()
    accounts = await open_accounts(addresses["invoice"], tenant_id)
    halves = {partition_of(account, PARTITIONS) < PARTITIONS // 2 for account in accounts}
    assert halves == {True, False}, "the accounts should fall in both workers' partitions"
    start = datetime.now(UTC) - timedelta(days=1)
    records = [usage_pb2.UsageRecord(
        record_id=f"w{n}-{k}", source="workers", account_id=str(account), service_type="voice",
        quantity="60", unit="second", started_at=(start + timedelta(minutes=k)).isoformat())
        for n, account in enumerate(accounts) for k in range(RECORDS_PER_ACCOUNT)]
    usage = usage_pb2_grpc.UsageServiceStub(channel(addresses["usage"]))
    request = usage_pb2.RecordUsageRequest(tenant_id=str(tenant_id), records=records)
    assert (await usage.RecordUsage(request)).accepted == len(records)
    assert (await usage.RecordUsage(request)).duplicate == len(records)

    expected = ACCOUNTS * RECORDS_PER_ACCOUNT
    for _ in range(600):
        if await rated_count(fresh_database, tenant_id) >= expected:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    assert await rated_count(fresh_database, tenant_id) == expected

    nc = await connect(workers.nats_url, "workers-test")
    try:
        js = nc.jetstream()
        delivered = {partition: (await js.consumer_info(USAGE_STREAM.name, f"rating-p{partition}"))
                     .delivered.stream_seq for partition in range(PARTITIONS)}
    finally:
        await nc.close()
    used = {partition_of(account, PARTITIONS) for account in accounts}
    assert all(delivered[partition] > 0 for partition in used)
