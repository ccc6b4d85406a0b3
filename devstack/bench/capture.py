"""Usage capture benchmark: records/s from file to durable in PostgreSQL and published to NATS,
and the usage service's peak memory while importing a 1 GB Asterisk CDR file."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from devstack.bench.report import Figure
from kernel.database import connection_parts
from kernel.grpc import channel

log = logging.getLogger(__name__)

CHUNK = 1 << 20
SUBSCRIBERS = 1_000
GENERIC_HEADER = "record_id,subscriber,service_type,started_at,quantity,unit,destination\n"
SERVICES = (("voice", "second", 1, 3600), ("sms", "message", 1, 1), ("data", "byte", 1, 10**9))


def number(index: int) -> str:
    """The E.164 number of a benchmark subscriber."""
    return f"+4470{index:08d}"


def write_generic_file(path: Path, records: int, seed: int = 7) -> None:
    """A generic-layout CSV of mixed voice, sms and data records over the last 20 days."""
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=20)
    with path.open("w") as out:
        out.write(GENERIC_HEADER)
        lines = []
        for n in range(records):
            service, unit, low, high = SERVICES[n % 3]
            at = start + timedelta(seconds=n * 0.8)
            lines.append(f"r{n},{number(rng.randrange(SUBSCRIBERS))},{service},{at.isoformat()},"
                         f"{rng.randint(low, high)},{unit},+4420{rng.randrange(10**8):08d}\n")
            if len(lines) == 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def write_asterisk_file(path: Path, size_bytes: int, seed: int = 11) -> int:
    """An Asterisk Master.csv of at least size_bytes; returns its row count."""
    rng = random.Random(seed)
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=30)
    rows = 0
    written = 0
    with path.open("w") as out:
        while written < size_bytes:
            lines = []
            for _ in range(10_000):
                at = start + timedelta(seconds=rows * 0.4)
                billsec = rng.randint(0, 1800)
                src = number(rng.randrange(SUBSCRIBERS))
                stamp = at.strftime("%Y-%m-%d %H:%M:%S")
                answer = (at + timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S")
                end = (at + timedelta(seconds=5 + billsec)).strftime("%Y-%m-%d %H:%M:%S")
                lines.append(
                    f'"","{src}","+44207946{rng.randrange(10**4):04d}","from-internal",'
                    f'"""Subscriber"" <{src}>","SIP/{src}-{rows:08x}","SIP/trunk-{rows:08x}",'
                    f'"Dial","SIP/trunk/+44207946,60","{stamp}","{answer}","{end}",'
                    f'{billsec + 5},{billsec},"ANSWERED","DOCUMENTATION","1700000000.{rows}",""\n')
                rows += 1
            text = "".join(lines)
            out.write(text)
            written += len(text)
    return rows


async def open_subscribers(
    invoice_address: str, tenant_id: UUID, plan: invoice_pb2.CreatePlanRequest, timezone: str = "UTC"
) -> None:
    """The plan and SUBSCRIBERS accounts on it, each with its number as identity."""
    grpc_channel = channel(invoice_address)
    stub = invoice_pb2_grpc.InvoiceServiceStub(grpc_channel)
    created = await stub.CreatePlan(plan)
    semaphore = asyncio.Semaphore(16)

    async def open_one(index: int) -> None:
        async with semaphore:
            await stub.OpenAccount(invoice_pb2.OpenAccountRequest(
                tenant_id=str(tenant_id), name=f"Subscriber {index}",
                billing_email=f"s{index}@example.org", plan_id=created.plan_id,
                identities=[number(index)], timezone=timezone,
            ))

    await asyncio.gather(*(open_one(index) for index in range(SUBSCRIBERS)))
    await grpc_channel.close(None)


def flat_plan(tenant_id: UUID) -> invoice_pb2.CreatePlanRequest:
    """A plan pricing voice with a flat per-minute price."""
    return invoice_pb2.CreatePlanRequest(
        tenant_id=str(tenant_id), name="Bench", currency="EUR", recurring_fee="5.00",
        usage_prices=[invoice_pb2.UsagePrice(service_type="voice", unit="minute", unit_price="0.02")],
    )


async def chunks(header: usage_pb2.ImportHeader, path: Path) -> AsyncIterator[usage_pb2.ImportFileChunk]:
    """The import stream of a file."""
    yield usage_pb2.ImportFileChunk(header=header)
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield usage_pb2.ImportFileChunk(data=chunk)


async def count(database_url: str, query: str) -> int:
    """A count read from the database the services write to."""
    parts = connection_parts(database_url)
    conn = await asyncpg.connect(host=parts["host"], port=int(parts["port"]), user=parts["user"],
                                 database=parts["dbname"])
    try:
        return int(await conn.fetchval(query))
    finally:
        await conn.close()


async def unpublished(database_url: str) -> int:
    """Outbox rows not yet published to NATS."""
    return await count(database_url, "SELECT count(*) FROM usage.outbox WHERE published_at IS NULL")


async def until(holds: Callable[[], Awaitable[bool]], what: str, poll: float, seconds: float) -> None:
    """Poll every poll seconds until the condition holds; after seconds, fail naming what."""
    for _ in range(round(seconds / poll)):
        if await holds():
            return
        await asyncio.sleep(poll)
    raise RuntimeError(f"{what} did not happen within {seconds:g} s")


async def drained(database_url: str) -> None:
    """Wait until the outbox is fully published (polling every 50 ms)."""
    async def empty() -> bool:
        return not await unpublished(database_url)

    await until(empty, "the usage outbox draining", 0.05, 600)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def reset_peak_rss(pid: int) -> None:
    """Start measuring the peak resident memory afresh."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


async def import_file(usage_address: str, header: usage_pb2.ImportHeader, path: Path
                      ) -> usage_pb2.Import:
    """Stream a file to the usage service."""
    grpc_channel = channel(usage_address)
    try:
        stub = usage_pb2_grpc.UsageServiceStub(grpc_channel)
        return await stub.ImportFile(chunks(header, path))
    finally:
        await grpc_channel.close(None)


async def capture_throughput(
    usage_address: str, database_url: str, tenant_id: UUID, path: Path, records: int
) -> list[Figure]:
    """Import the generic file; time until every record is stored and published."""
    header = usage_pb2.ImportHeader(tenant_id=str(tenant_id), format="generic", source="bench",
                                    file_name=path.name)
    began = time.perf_counter()
    result = await import_file(usage_address, header, path)
    stored = time.perf_counter() - began
    await drained(database_url)
    published = time.perf_counter() - began
    if int(result.accepted) != records:
        raise RuntimeError(f"expected {records} accepted, got {result}")
    log.info("capture: %s records stored in %.1fs, published in %.1fs", records, stored, published)
    return [
        Figure(f"capture {records:,} records: stored + published", records / published,
               "records/s", 100_000),
        Figure(f"capture {records:,} records: stored (import returned)", records / stored,
               "records/s", 100_000),
    ]


async def big_file_memory(
    usage_address: str, usage_pid: int, tenant_id: UUID, path: Path
) -> list[Figure]:
    """Import a big Asterisk file; the usage service's peak memory while doing it."""
    size = f"{(await asyncio.to_thread(path.stat)).st_size / (1 << 30):.2f} GiB"
    reset_peak_rss(usage_pid)
    header = usage_pb2.ImportHeader(tenant_id=str(tenant_id), format="asterisk", source="pbx",
                                    file_name=path.name)
    began = time.perf_counter()
    result = await import_file(usage_address, header, path)
    elapsed = time.perf_counter() - began
    log.info("%s import: %s in %.1fs", size, result, elapsed)
    return [
        Figure(f"{size} Asterisk import ({int(result.received):,} rows): usage peak RSS",
               peak_rss_mb(usage_pid), "MB", 300, higher_is_better=False),
        Figure(f"{size} Asterisk import: rows/s", int(result.received) / elapsed, "records/s",
               100_000),
    ]


def new_tenant() -> UUID:
    """A tenant id of its own for each benchmark run."""
    return uuid4()
