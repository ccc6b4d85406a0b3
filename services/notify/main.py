"""Composition root of the notify service."""

from __future__ import annotations

import asyncio

from billing.notify.v1 import notify_pb2_grpc

from kernel.clock import SystemClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, PullConsumer, connect, ensure_stream
from kernel.runtime import Lifecycle, bootstrap_process
from services.notify.application import Notifier
from services.notify.consumers import (
    INVOICE_FINALIZED_DURABLE,
    INVOICE_FINALIZED_SUBJECT,
    InvoiceFinalizedHandler,
)
from services.notify.grpc_api import NotifyServicer
from services.notify.invoices import GrpcInvoiceSource
from services.notify.mailer import SmtpMailer
from services.notify.settings import Settings
from services.notify.sql import DDL, PostgresDeliveryLog

SERVICE = "notify"


async def main() -> None:
    """Wire the notify service and serve until told to stop."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, SERVICE)
    pool = await create_pool(settings.database_url)
    await ensure_schema(pool, SERVICE, DDL)
    invoice_channel = channel(settings.invoice_grpc)
    notifier = Notifier(GrpcInvoiceSource(invoice_channel), SmtpMailer(settings.smtp),
                        PostgresDeliveryLog(pool), SystemClock(), settings.mail_from)
    nc = await connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)
    consumer = PullConsumer(js, EVENTS_STREAM, durable=INVOICE_FINALIZED_DURABLE,
                            subject=INVOICE_FINALIZED_SUBJECT,
                            handler=InvoiceFinalizedHandler(notifier))
    lifecycle = Lifecycle(settings, SERVICE)
    lifecycle.start_worker(consumer.run)
    lifecycle.on_shutdown(nc.drain)
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(pool.close)
    server = GrpcServer([(notify_pb2_grpc.add_NotifyServiceServicer_to_server,
                          NotifyServicer(notifier), "billing.notify.v1.NotifyService")])
    await lifecycle.serve(server)


if __name__ == "__main__":
    asyncio.run(main())
