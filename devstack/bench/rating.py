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

import asyncpg
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.rating.v1 import rating_pb2, rating_pb2_grpc
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from devstack.bench.capture import (
    SUBSCRIBERS,
    count,
    import_file,
    number,
    open_subscribers,
    until,
)
from devstack.bench.cpu import ProcessGroups, cpu_per_record
from devstack.bench.report import Figure
from kernel.database import connection_parts
from kernel.grpc import channel

log = logging.getLogger(__name__)

PREFIXES = 50_000
RATED_PER_SECOND = 50_000
"""The issue's target: records captured and rated per second, end to end."""
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


async def all_rated(database_url: str, records: int, what: str) -> None:
    """Wait until rating has finished with that many records in all (an hour at most)."""
    async def finished() -> bool:
        return await outcomes(database_url) >= records

    await until(finished, what, 0.1, 3600)


async def rated_throughput(
    usage_address: str, database_url: str, tenant_id: UUID, path: Path, records: int,
    processes: ProcessGroups,
) -> list[Figure]:
    """Import the file; time until every record is rated or unrated, durably, and the CPU it took."""
    header = usage_pb2.ImportHeader(tenant_id=str(tenant_id), format="generic", source="bench",
                                    file_name=path.name)
    before = processes.sample()
    began = time.perf_counter()
    await import_file(usage_address, header, path)
    await all_rated(database_url, records, "rating the imported file")
    elapsed = time.perf_counter() - began
    after = processes.sample()
    log.info("rating: %s records captured and rated in %.1fs", records, elapsed)
    return [Figure(f"capture to rated {records:,} mixed records, {PREFIXES:,} prefixes",
                   records / elapsed, "records/s", RATED_PER_SECOND),
            *cpu_per_record(before, after, records, "capture to rated", RATED_PER_SECOND)]


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
    cuts = statistics.quantiles(timings, n=100)
    p99 = cuts[98]
    log.info("quotes: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
             cuts[49], cuts[89], p99, max(timings))
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


STEADY_BATCH = 500
"""Records per RecordUsage call of the steady feed."""


def steady_batches(tenant_id: UUID, rate: int, seconds: int, prefixes: list[str], seed: int = 13
                   ) -> list[usage_pb2.RecordUsageRequest]:
    """The requests of a steady feed: rate records/s for seconds, mixed voice/sms/data, built
    beforehand so the feed's own cost does not pace it."""
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=10)
    kinds = (("voice", "second"), ("sms", "message"), ("data", "byte"))
    requests = []
    for first in range(0, rate * seconds, STEADY_BATCH):
        records = []
        for n in range(first, first + STEADY_BATCH):
            service, unit = kinds[n % 3]
            quantity = {"voice": rng.randint(1, 3600), "sms": 1, "data": rng.randint(1, 10**9)}[service]
            attributes = {} if service == "data" else {
                "destination": f"+{rng.choice(prefixes)}{rng.randrange(10**4):04d}"}
            records.append(usage_pb2.UsageRecord(
                record_id=f"s{n}", source=f"steady-{rate}",
                subscriber=number(rng.randrange(SUBSCRIBERS)),
                service_type=service, quantity=str(quantity), unit=unit,
                started_at=(start + timedelta(seconds=n * 0.8)).isoformat(), attributes=attributes))
        requests.append(usage_pb2.RecordUsageRequest(tenant_id=str(tenant_id), records=records))
    return requests


async def feed_steadily(usage_address: str, requests: list[usage_pb2.RecordUsageRequest],
                        rate: int) -> float:
    """Send the requests on a fixed schedule (one every STEADY_BATCH / rate seconds, without
    waiting for earlier answers); the rate the usage service actually accepted them at."""
    grpc_channel = channel(usage_address)
    stub = usage_pb2_grpc.UsageServiceStub(grpc_channel)
    interval = STEADY_BATCH / rate
    began = time.perf_counter()
    calls = []
    for index, request in enumerate(requests):
        await asyncio.sleep(max(0.0, began + index * interval - time.perf_counter()))
        calls.append(asyncio.ensure_future(stub.RecordUsage(request)))
    answers = await asyncio.gather(*calls)
    elapsed = time.perf_counter() - began
    await grpc_channel.close(None)
    accepted = sum(answer.accepted for answer in answers)
    if accepted != len(requests) * STEADY_BATCH:
        raise RuntimeError(f"steady feed: {accepted} of {len(requests) * STEADY_BATCH} accepted")
    return accepted / elapsed


async def steady_times(database_url: str, source: str) -> tuple[list[float], list[float]]:
    """Per record of the feed from source, seconds from its receipt by the usage service to its
    batch's publication, and to rating storing its outcome (instants taken by the services, on this
    machine's clock)."""
    parts = connection_parts(database_url)
    conn = await asyncpg.connect(host=parts["host"], port=int(parts["port"]), user=parts["user"],
                                 database=parts["dbname"])
    try:
        fed = await conn.fetch("SELECT record_id, batch_id, received_at FROM usage.accepted_records"
                               " WHERE source = $1", source)
        published = dict(await conn.fetch(
            "SELECT batch_id, max(published_at) FROM usage.outbox WHERE batch_id = ANY($1::uuid[])"
            " GROUP BY batch_id", list({row["batch_id"] for row in fed})))
        done = dict(await conn.fetch(
            "SELECT record_id, rated_at FROM rating.rated_records WHERE source = $1 AND part = 0"
            " UNION ALL SELECT record_id, recorded_at FROM rating.unrated_records WHERE source = $1",
            source))
    finally:
        await conn.close()
    return ([(published[row["batch_id"]] - row["received_at"]).total_seconds() for row in fed],
            [(done[row["record_id"]] - row["received_at"]).total_seconds() for row in fed])


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(values, n=100)[98]


async def steady_latency(
    usage_address: str, database_url: str, tenant_id: UUID, prefixes: list[str], rate: int,
    seconds: int
) -> list[Figure]:
    """Feed records at a steady rate; the p99 of capture-to-rated latency, and the rate achieved."""
    requests = await asyncio.to_thread(steady_batches, tenant_id, rate, seconds, prefixes)
    before = await outcomes(database_url)
    achieved = await feed_steadily(usage_address, requests, rate)
    await all_rated(database_url, before + rate * seconds, "rating the steady feed")
    to_published, to_rated = await steady_times(database_url, f"steady-{rate}")
    log.info("steady feed at %s records/s (accepted at %.0f/s): p50 %.3f s, p99 %.3f s to rated;"
             " p99 %.3f s to published", rate, achieved, statistics.median(to_rated), p99(to_rated),
             p99(to_published))
    return [
        Figure(f"capture-to-rated p99, steady feed at {rate:,} records/s", p99(to_rated), "s", 1,
               higher_is_better=False),
        Figure(f"steady feed: rate the usage service accepted at (asked {rate:,})", achieved,
               "records/s", rate),
    ]
