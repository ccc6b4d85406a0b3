"""Composition root of the rating service."""

from __future__ import annotations

import asyncio

from billing.rating.v1 import rating_pb2_grpc

from kernel.clock import SystemClock
from kernel.database import create_pool, ensure_schema, eventsourcing_env
from kernel.grpc import GrpcServer, channel
from kernel.messaging import USAGE_STREAM, PullConsumer, connect, ensure_stream
from kernel.runtime import Lifecycle, bootstrap_process, run_service
from services.rating.billing_reads import BillingReads
from services.rating.catalog.application import TariffCatalog
from services.rating.catalog.grpc_api import CatalogTariffs
from services.rating.consumer import UsageBatchHandler, owned_partitions, partition_consumers
from services.rating.contexts import CachedRatingContexts, GrpcRatingContexts
from services.rating.grpc_api import RatingServicer
from services.rating.listings import RatingListings
from services.rating.quotes import Quoting
from services.rating.rederiving import Rederiving
from services.rating.rerating import Rerating
from services.rating.settings import Settings
from services.rating.store import DDL, RatedRecordStore

SERVICE = "rating"


async def main() -> None:
    """Wire the rating service and serve until told to stop."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, SERVICE)
    pool = await create_pool(settings.database_url, reset_sessions=False)
    await ensure_schema(pool, SERVICE, DDL)
    catalog = await asyncio.to_thread(
        TariffCatalog, env=eventsourcing_env(settings.database_url, SERVICE)
    )
    nc = await connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await ensure_stream(js, USAGE_STREAM)
    store = RatedRecordStore(pool)
    invoice_channel = channel(settings.invoice_grpc)
    contexts = GrpcRatingContexts(invoice_channel)
    reused_contexts = CachedRatingContexts(contexts)
    tariffs = CatalogTariffs(catalog)
    handler = UsageBatchHandler(reused_contexts, tariffs, store)
    lifecycle = Lifecycle(settings, SERVICE)
    for durable, subject in partition_consumers(
        owned_partitions(settings.rating_partitions, settings.usage_partitions)
    ):
        lifecycle.start_worker(PullConsumer(js, USAGE_STREAM, durable, subject, handler,
                                            together=handler.together).run)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(lambda: asyncio.to_thread(catalog.close))
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(nc.drain)
    server = GrpcServer([(rating_pb2_grpc.add_RatingServiceServicer_to_server,
                          RatingServicer(store, catalog,
                                         Quoting(reused_contexts, tariffs, store,
                                                 SystemClock()),
                                         RatingListings(pool),
                                         Rerating(pool, contexts, CatalogTariffs(catalog, 0)),
                                         BillingReads(pool), Rederiving(pool, contexts, tariffs)),
                          "billing.rating.v1.RatingService")])
    await lifecycle.serve(server)


if __name__ == "__main__":
    run_service(main)
