"""Composition root of the payment service: settings, storage, NATS relay, gRPC server."""

from __future__ import annotations

import asyncio

from billing.payment.v1 import payment_pb2_grpc

from kernel import database, messaging, outbox, runtime
from kernel.grpc import GrpcServer, channel
from services.payment.application import PaymentApplication
from services.payment.grpc_api import PaymentServicer
from services.payment.invoices import GrpcInvoiceLookup
from services.payment.settings import Settings

SERVICE = "payment"
SCHEMA = "payment"
GRPC_SERVICE_NAME = "billing.payment.v1.PaymentService"


async def main() -> None:
    """Run the payment service until SIGTERM or SIGINT."""
    settings = Settings()  # type: ignore[call-arg]
    runtime.bootstrap_process(settings, SERVICE)
    pool = await database.create_pool(settings.database_url)
    await database.ensure_schema(pool, SCHEMA, outbox.relay_ddl(SCHEMA))
    env = database.eventsourcing_env(settings.database_url, SCHEMA)
    app = await asyncio.to_thread(PaymentApplication, env)
    nc = await messaging.connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    relay = outbox.NotificationRelay(SERVICE, app, js, pool, SCHEMA)
    invoice_channel = channel(settings.invoice_grpc)
    invoices = GrpcInvoiceLookup(invoice_channel, settings.invoice_timeout_seconds)
    servicer = PaymentServicer(app, invoices, on_saved=relay.nudge)
    lifecycle = runtime.Lifecycle(settings, SERVICE)
    lifecycle.start_worker(relay.run)
    lifecycle.on_shutdown(nc.drain)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(lambda: asyncio.to_thread(app.close))
    server = GrpcServer(
        [(payment_pb2_grpc.add_PaymentServiceServicer_to_server, servicer, GRPC_SERVICE_NAME)]
    )
    await lifecycle.serve(server)


if __name__ == "__main__":
    asyncio.run(main())
