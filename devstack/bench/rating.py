"""Rating benchmark: capture to rated and durable over mixed voice/sms/data records priced by a
50,000-prefix tariff, and the latency of quotes."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.rating.v1 import rating_pb2, rating_pb2_grpc
from billing.usage.v1 import usage_pb2

from devstack.bench.capture import SUBSCRIBERS, count, import_file, number, open_subscribers
from devstack.bench.report import Figure
from kernel.grpc import channel

log = logging.getLogger(__name__)

PREFIXES = 50_000
QUOTES = 2_000


def destination_table(prefixes: int, seed: int = 3) -> tuple[bytes, list[str]]:
    """A CSV destination table of distinct prefixes, and the prefixes."""
    rng = random.Random(seed)
    chosen: set[str] = set()
    while len(chosen) < prefixes:
        chosen.add(f"{rng.choice(['44', '33', '49', '1', '34', '39'])}{rng.randrange(10**6):06d}")
    ordered = sorted(chosen)
    lines = ["prefix,destination,rate,connect_fee,first_increment,next_increment"]
    lines += [f"{p},Destination {p},{rng.randint(1, 40) / 100:.2f},0.01,60,60" for p in ordered]
    return ("\n".join(lines) + "\n").encode(), ordered


def write_mixed_file(path: Path, records: int, prefixes: list[str], seed: int = 5) -> None:
    """Generic CSV of voice (to tariffed destinations), sms and data records of the last 20 days."""
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=20)
    with path.open("w") as out:
        out.write("record_id,subscriber,service_type,started_at,quantity,unit,destination\n")
        for n in range(records):
            kind = n % 3
            at = (start + timedelta(seconds=n * 0.8)).isoformat()
            who = number(rng.randrange(SUBSCRIBERS))
            destination = f"+{rng.choice(prefixes)}{rng.randrange(10**4):04d}"
            if kind == 0:
                out.write(f"r{n},{who},voice,{at},{rng.randint(1, 3600)},second,{destination}\n")
            elif kind == 1:
                out.write(f"r{n},{who},sms,{at},1,message,{destination}\n")
            else:
                out.write(f"r{n},{who},data,{at},{rng.randint(1, 10**9)},byte,\n")


async def chunks(header: rating_pb2.ImportDestinationsHeader, content: bytes
                 ) -> AsyncIterator[rating_pb2.ImportDestinationsChunk]:
    """The destination import stream."""
    yield rating_pb2.ImportDestinationsChunk(header=header)
    for start in range(0, len(content), 1 << 20):
        yield rating_pb2.ImportDestinationsChunk(data=content[start:start + (1 << 20)])


async def tariffed_subscribers(
    invoice_address: str, rating_address: str, tenant_id: UUID, table: bytes, prefixes: list[str]
) -> None:
    """A rate plan with the destination table, sms and data prices, a plan and its subscribers."""
    first_day = (datetime.now(UTC) - timedelta(days=60)).date().isoformat()
    rating_channel = channel(rating_address)
    rating = rating_pb2_grpc.RatingServiceStub(rating_channel)
    plan = await rating.CreateRatePlan(rating_pb2.CreateRatePlanRequest(
        tenant_id=str(tenant_id), name="Bench tariff", currency="EUR"))
    sms = [{"prefix": p, "name": f"Destination {p}", "per_message": "0.05"} for p in prefixes[:1000]]
    sms += [{"prefix": c, "name": f"Country {c}", "per_message": "0.08"}
            for c in ("44", "33", "49", "1", "34", "39")]
    await rating.PublishTariffVersion(rating_pb2.PublishTariffVersionRequest(
        tenant_id=str(tenant_id), rate_plan_id=plan.rate_plan_id, effective_from=first_day,
        definition_json=json.dumps({"sms": sms, "data": {"unit": "gigabyte", "per_unit": "2"}}),
    ))
    imported = await rating.ImportDestinations(chunks(rating_pb2.ImportDestinationsHeader(
        tenant_id=str(tenant_id), rate_plan_id=plan.rate_plan_id, effective_from=first_day,
        service_type="voice"), table))
    if not imported.version:
        raise RuntimeError(f"destination import refused: {imported}")
    await rating_channel.close(None)
    await open_subscribers(invoice_address, tenant_id, invoice_pb2.CreatePlanRequest(
        tenant_id=str(tenant_id), name="Bench", currency="EUR", recurring_fee="5.00",
        rate_plan_id=plan.rate_plan_id), timezone="Europe/London")


async def outcomes(database_url: str) -> int:
    """Records rating has finished with: rated (first parts) plus unrated."""
    return await count(database_url, "SELECT (SELECT count(*) FROM rating.rated_records"
                       " WHERE part = 0) + (SELECT count(*) FROM rating.unrated_records)")


async def rated_throughput(
    usage_address: str, database_url: str, tenant_id: UUID, path: Path, records: int
) -> list[Figure]:
    """Import the file; time until every record is rated or unrated, durably."""
    header = usage_pb2.ImportHeader(tenant_id=str(tenant_id), format="generic", source="bench",
                                    file_name=path.name)
    began = time.perf_counter()
    await import_file(usage_address, header, path)
    for _ in range(36_000):
        if await outcomes(database_url) >= records:
            break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError("rating did not finish")
    elapsed = time.perf_counter() - began
    log.info("rating: %s records captured and rated in %.1fs", records, elapsed)
    return [Figure(f"capture to rated {records:,} mixed records, {PREFIXES:,} prefixes",
                   records / elapsed, "records/s", 50_000)]


async def quote_latency(
    rating_address: str, tenant_id: UUID, account_id: str, destination: str
) -> list[Figure]:
    """p99 of sequential quotes for a voice call."""
    grpc_channel = channel(rating_address)
    stub = rating_pb2_grpc.RatingServiceStub(grpc_channel)
    request = rating_pb2.QuoteRequest(tenant_id=str(tenant_id), account_id=account_id,
                                      service_type="voice", quantity="120",
                                      destination=destination)
    timings = []
    for _ in range(QUOTES):
        began = time.perf_counter()
        await stub.Quote(request)
        timings.append((time.perf_counter() - began) * 1000)
    await grpc_channel.close(None)
    p99 = statistics.quantiles(timings, n=100)[98]
    return [Figure(f"Quote p99 over {QUOTES:,} sequential calls", p99, "ms", 5,
                   higher_is_better=False)]


async def any_account(invoice_address: str, tenant_id: UUID) -> str:
    """The account of the first benchmark subscriber."""
    grpc_channel = channel(invoice_address)
    stub = invoice_pb2_grpc.InvoiceServiceStub(grpc_channel)
    response = await stub.ResolveIdentities(invoice_pb2.ResolveIdentitiesRequest(
        tenant_id=str(tenant_id), identities=[number(0)]))
    await grpc_channel.close(None)
    return str(response.resolved[0].account_id)
