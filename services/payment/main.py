"""Composition root of the payment service: settings, storage, gateway, consumers, relay, gRPC server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID

from billing.payment.v1 import dunning_pb2_grpc, payment_pb2_grpc

from kernel import database, messaging, outbox, runtime
from kernel.clock import SystemClock
from kernel.grpc import GrpcServer, channel
from services.payment.account_control import GrpcAccountControl
from services.payment.application import PaymentApplication
from services.payment.collecting import Collecting
from services.payment.consumers import (
    INVOICE_EVENTS_DURABLE,
    INVOICE_EVENTS_SUBJECT,
    InvoiceEventsHandler,
)
from services.payment.disputes import (
    QUERY_EVENTS_DURABLE,
    QUERY_EVENTS_SUBJECT,
    DisputeHolds,
    QueryEventsHandler,
)
from services.payment.dunning import DunningRuns
from services.payment.dunning_cases import DunningCases, dunning_ddl
from services.payment.dunning_store import DunningStore
from services.payment.gateways.config import build_gateway
from services.payment.grpc_api import PaymentServicer
from services.payment.grpc_dunning import DunningServicer
from services.payment.invoices import GrpcInvoices
from services.payment.positions import DDL as POSITIONS_DDL
from services.payment.positions import Positions
from services.payment.settings import Settings
from services.payment.wallets import Wallets

SERVICE = "payment"
SCHEMA = "payment"
GRPC_SERVICE_NAME = "billing.payment.v1.PaymentService"
DUNNING_SERVICE_NAME = "billing.payment.v1.DunningService"


async def main() -> None:
    """Run the payment service until SIGTERM or SIGINT."""
    settings = Settings()  # type: ignore[call-arg]
    runtime.bootstrap_process(settings, SERVICE)
    pool = await database.create_pool(settings.database_url)
    await database.ensure_schema(
        pool, SCHEMA, [*outbox.relay_ddl(SCHEMA), *POSITIONS_DDL, *dunning_ddl(SCHEMA)])
    env = database.eventsourcing_env(settings.database_url, SCHEMA)
    app = await asyncio.to_thread(PaymentApplication, env)
    nc = await messaging.connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    relay = outbox.NotificationRelay(SERVICE, app, js, pool, SCHEMA)
    invoice_channel = channel(settings.invoice_grpc)
    invoices = GrpcInvoices(invoice_channel, settings.invoice_timeout_seconds)
    gateway = build_gateway(settings)
    positions = Positions(app, pool)
    dunning_store = DunningStore(app)
    collecting = Collecting(app, invoices, gateway, relay.nudge)
    wallets = Wallets(app, gateway, collecting)
    dunning = DunningRuns(
        dunning_store, DunningCases(pool, SCHEMA), positions, wallets,
        GrpcAccountControl(invoice_channel, settings.invoice_timeout_seconds), SystemClock(),
        interval_seconds=settings.dunning_interval_seconds, on_saved=relay.nudge)

    async def restore_if_clear(tenant_id: UUID, account_id: UUID) -> object:
        return await dunning.reconsider(tenant_id, account_id, datetime.now(UTC).date())

    collecting.money_received = restore_if_clear
    invoice_events = messaging.PullConsumer(
        js, messaging.EVENTS_STREAM, INVOICE_EVENTS_DURABLE, INVOICE_EVENTS_SUBJECT,
        InvoiceEventsHandler(app, invoices, relay.nudge))
    query_events = messaging.PullConsumer(
        js, messaging.EVENTS_STREAM, QUERY_EVENTS_DURABLE, QUERY_EVENTS_SUBJECT,
        QueryEventsHandler(DisputeHolds(pool), hold_opened=restore_if_clear))
    lifecycle = runtime.Lifecycle(settings, SERVICE)
    lifecycle.start_worker(relay.run)
    lifecycle.start_worker(invoice_events.run)
    lifecycle.start_worker(query_events.run)
    lifecycle.start_worker(dunning.run)
    lifecycle.on_shutdown(nc.drain)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(gateway.close)
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(lambda: asyncio.to_thread(app.close))
    dunning_servicer = DunningServicer(dunning_store, dunning,
                                       allow_future_runs=settings.environment != "production",
                                       on_saved=relay.nudge)
    server = GrpcServer([
        (payment_pb2_grpc.add_PaymentServiceServicer_to_server,
         PaymentServicer(app, collecting, wallets, positions), GRPC_SERVICE_NAME),
        (dunning_pb2_grpc.add_DunningServiceServicer_to_server, dunning_servicer, DUNNING_SERVICE_NAME),
    ])
    await lifecycle.serve(server)


if __name__ == "__main__":
    runtime.run_service(main)
