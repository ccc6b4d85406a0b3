"""Composition root of the usage service."""

from __future__ import annotations

from datetime import timedelta

from billing.usage.v1 import usage_pb2_grpc

from kernel.clock import SystemClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, USAGE_STREAM, PullConsumer, connect, ensure_stream
from kernel.runtime import Lifecycle, bootstrap_process, run_service
from services.usage.accounts import GrpcAccountResolver, resolver_cache
from services.usage.application import UsageCapture
from services.usage.awaiting import ACCOUNT_EVENTS, AwaitingCustomerHandler
from services.usage.grpc_api import UsageServicer
from services.usage.imports import FileImporter
from services.usage.ingest import INGEST_SUBJECT, IngestHandler
from services.usage.queries import UsageQueries
from services.usage.relay import UsageOutboxRelay
from services.usage.resubmission import Resubmissions
from services.usage.settings import Settings
from services.usage.store import DDL, PostgresUsageStore

SERVICE = "usage"


async def main() -> None:
    """Wire the usage service and serve until told to stop."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, SERVICE)
    pool = await create_pool(settings.database_url)
    await ensure_schema(pool, SERVICE, DDL)
    nc = await connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await ensure_stream(js, USAGE_STREAM)
    await ensure_stream(js, EVENTS_STREAM)
    relay = UsageOutboxRelay(pool, js)
    invoice_channel = channel(settings.invoice_grpc)
    identities = resolver_cache()
    capture = UsageCapture(
        GrpcAccountResolver(invoice_channel, resolver_cache(), identities),
        PostgresUsageStore(pool, settings.usage_partitions),
        SystemClock(),
        max_skew=timedelta(seconds=settings.max_clock_skew_seconds),
        max_age=timedelta(days=settings.max_record_age_days),
    )
    queries = UsageQueries(pool)
    resubmissions = Resubmissions(capture, queries)
    lifecycle = Lifecycle(settings, SERVICE)
    lifecycle.start_worker(relay.run)
    lifecycle.start_worker(PullConsumer(
        js, USAGE_STREAM, "usage-ingest", INGEST_SUBJECT,
        IngestHandler(capture, nc.publish, relay.nudge),
    ).run)
    lifecycle.start_worker(PullConsumer(
        js, EVENTS_STREAM, "usage-awaiting-customers", ACCOUNT_EVENTS,
        AwaitingCustomerHandler(resubmissions, identities),
    ).run)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(nc.drain)
    servicer = UsageServicer(capture, FileImporter(pool, capture, relay.nudge), queries,
                             resubmissions, relay.nudge)
    server = GrpcServer([(usage_pb2_grpc.add_UsageServiceServicer_to_server, servicer,
                          "billing.usage.v1.UsageService")])
    await lifecycle.serve(server)


if __name__ == "__main__":
    run_service(main)
