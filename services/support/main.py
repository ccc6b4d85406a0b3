"""Composition root of the support service: settings, storage, invoice client, relay, gRPC server."""

from __future__ import annotations

import asyncio

from billing.support.v1 import support_pb2_grpc

from kernel import database, messaging, outbox, runtime
from kernel.clock import SystemClock
from kernel.grpc import GrpcServer, channel
from services.support.application import SupportApplication
from services.support.desk import SupportDesk
from services.support.grpc_api import SupportServicer
from services.support.invoices import GrpcInvoices
from services.support.listing import DDL as LIST_DDL
from services.support.listing import QueryList
from services.support.settings import Settings

SERVICE = "support"
SCHEMA = "support"
GRPC_SERVICE_NAME = "billing.support.v1.SupportService"


async def main() -> None:
    """Run the support service until SIGTERM or SIGINT."""
    settings = Settings()  # type: ignore[call-arg]
    runtime.bootstrap_process(settings, SERVICE)
    pool = await database.create_pool(settings.database_url)
    await database.ensure_schema(pool, SCHEMA, [*outbox.relay_ddl(SCHEMA), *LIST_DDL])
    env = database.eventsourcing_env(settings.database_url, SCHEMA)
    app = await asyncio.to_thread(SupportApplication, env)
    nc = await messaging.connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    relay = outbox.NotificationRelay(SERVICE, app, js, pool, SCHEMA)
    invoice_channel = channel(settings.invoice_grpc)
    clock = SystemClock()
    desk = SupportDesk(app, GrpcInvoices(invoice_channel, settings.invoice_timeout_seconds), clock,
                       on_saved=relay.nudge)
    lifecycle = runtime.Lifecycle(settings, SERVICE)
    lifecycle.start_worker(relay.run)
    lifecycle.on_shutdown(nc.drain)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(lambda: asyncio.to_thread(app.close))
    server = GrpcServer([(support_pb2_grpc.add_SupportServiceServicer_to_server,
                          SupportServicer(desk, QueryList(app, pool), clock), GRPC_SERVICE_NAME)])
    await lifecycle.serve(server)


if __name__ == "__main__":
    runtime.run_service(main)
