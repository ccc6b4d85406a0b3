"""python -m devstack.bench: start PostgreSQL, NATS and the services under test, measure, report.

    --records N      records of the capture and rating runs (default 2,000,000)
    --big-file-mb M  size of the Asterisk file of the memory run (default 1024; 0 skips it)
    --only NAME      run one benchmark: capture, rating, billing or rendering (no services)
    --accounts N     accounts of the bill-run benchmark (default 100,000)
    --records-per-account M  rated records per account of the bill run (default 100)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from devstack.bench import billing, capture, rating, rendering
from devstack.bench.cpu import ProcessGroups
from devstack.bench.report import Figure, report
from devstack.local import LocalNats, LocalPostgres, local_stack_settings
from devstack.stack import RunningStack, StackConfig, start_stack
from kernel.logs import setup_logging

log = logging.getLogger("bench")

RATING_WORKERS = int(os.environ.get("BENCH_RATING_WORKERS", "2"))
"""Rating workers the benchmarks run, each on its share of the usage partitions."""


def group_of(service: str) -> str:
    """The group a supervised service's CPU is counted in: rating's workers (rating-0, ...) together."""
    return service.split("-")[0]


def service_pids(running: RunningStack, group: str) -> list[int]:
    """The process ids of a group's services now (a restarted service has a new one)."""
    return [supervised.process.pid for name, supervised in running.supervisor.services.items()
            if group_of(name) == group]


def stack_processes(running: RunningStack, postgres: LocalPostgres, nats: LocalNats) -> ProcessGroups:
    """The stack's processes by group: each service, postgres and nats."""
    roots: dict[str, Callable[[], list[int]]] = {
        group: partial(service_pids, running, group)
        for group in sorted({group_of(name) for name in running.supervisor.services})
    }
    return ProcessGroups({**roots, "postgres": lambda: [postgres.pid], "nats": lambda: [nats.process.pid]})


@asynccontextmanager
async def bench_stack(work: Path, name: str, services: tuple[str, ...]
                      ) -> AsyncIterator[tuple[RunningStack, str, ProcessGroups]]:
    """Fresh PostgreSQL and NATS and the services under test; the stack, its database URL and its
    processes."""
    postgres = LocalPostgres(work / f"postgres-{name}", keep_data=False,
                             settings=local_stack_settings())
    nats = LocalNats(work / f"nats-{name}")
    log_file = (work / f"services-{name}.log").open("w")
    try:
        running = start_stack(StackConfig(
            database_url=postgres.url, nats_url=nats.url, smtp_url="smtp://127.0.0.1:1",
            run_dir=work / f"run-{name}", services=services, with_gateway=False,
            rating_workers=RATING_WORKERS,
        ), output=log_file)
        try:
            yield running, postgres.url, stack_processes(running, postgres, nats)
        finally:
            running.stop()
            for service, supervised in running.supervisor.services.items():
                if supervised.restarts:
                    log.warning("%s restarted %d times during the %s benchmark: its figures "
                                "include the restarts", service, supervised.restarts, name)
    finally:
        log_file.close()
        nats.stop()
        postgres.stop()


async def run_capture(args: argparse.Namespace, work: Path) -> list[Figure]:
    """The usage capture figures (issue: usage capture at operator scale)."""
    async with bench_stack(work, "capture", ("invoice", "usage")) as (running, database_url, _):
        usage = running.grpc_addresses["usage"]
        tenant_id = capture.new_tenant()
        await capture.open_subscribers(running.grpc_addresses["invoice"], tenant_id,
                                       capture.flat_plan(tenant_id))
        generic = work / "usage.csv"
        await asyncio.to_thread(capture.write_generic_file, generic, args.records)
        figures = await capture.capture_throughput(
            usage, database_url, tenant_id, generic, args.records)
        generic.unlink()
        if args.big_file_mb:
            big = work / "Master.csv"
            await asyncio.to_thread(capture.write_asterisk_file, big, args.big_file_mb << 20)
            pid = running.supervisor.wait_ready("usage")["pid"]
            figures += await capture.big_file_memory(usage, int(pid), tenant_id, big)
            big.unlink()
        return figures


async def run_rating(args: argparse.Namespace, work: Path) -> list[Figure]:
    """The rating figures (issue: rating engine)."""
    services = ("invoice", "usage", "rating")
    async with bench_stack(work, "rating", services) as (running, database_url, processes):
        addresses = running.grpc_addresses
        tenant_id = capture.new_tenant()
        table, prefixes = rating.destination_table(rating.PREFIXES)
        await rating.tariffed_subscribers(
            addresses["invoice"], addresses["rating"], tenant_id, table, prefixes)
        path = work / "mixed.csv"
        await asyncio.to_thread(rating.write_mixed_file, path, args.records, prefixes)
        figures = await rating.rated_throughput(
            addresses["usage"], database_url, tenant_id, path, args.records, processes)
        path.unlink()
        for rate in args.steady_rates:
            figures += await rating.steady_latency(addresses["usage"], database_url, tenant_id,
                                                   prefixes, rate, args.steady_seconds)
        account = await rating.any_account(addresses["invoice"], tenant_id)
        return figures + await rating.quote_latency(
            addresses["rating"], tenant_id, account, f"+{prefixes[0]}1234")


async def run_billing(args: argparse.Namespace, work: Path) -> list[Figure]:
    """The bill-run figures (issue: invoicing)."""
    async with bench_stack(work, "billing", ("invoice", "usage", "rating")) as (running, url, _):
        return await billing.bill_run_figures(running.grpc_addresses["invoice"], url,
                                              args.accounts, args.records_per_account)


def main() -> None:
    """Run every benchmark and print the figures beside their targets."""
    parser = argparse.ArgumentParser(prog="python -m devstack.bench")
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--big-file-mb", type=int, default=1024)
    parser.add_argument("--only", choices=["capture", "rating", "billing", "rendering"])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--records-per-account", type=int, default=100)
    parser.add_argument("--steady-rates", type=int, nargs="*", default=[10_000, 2_000],
                        help="records/s of the capture-to-rated latency feeds (the issue's 10,000, "
                             "and one this machine sustains)")
    parser.add_argument("--steady-seconds", type=int, default=30)
    args = parser.parse_args()
    setup_logging("bench", "INFO")
    work = Path(tempfile.mkdtemp(prefix="billing-bench-"))
    figures = []
    try:
        if args.only in (None, "capture"):
            figures += asyncio.run(run_capture(args, work))
        if args.only in (None, "rating"):
            figures += asyncio.run(run_rating(args, work))
        if args.only in (None, "billing"):
            figures += asyncio.run(run_billing(args, work))
        if args.only in (None, "rendering"):
            figures += rendering.rendering_figures()
    except BaseException:
        log.error("benchmark failed: the services' logs are kept in %s", work)
        raise
    shutil.rmtree(work, ignore_errors=True)
    report(figures)


if __name__ == "__main__":
    main()
