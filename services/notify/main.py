"""Composition root of the notify service."""

from __future__ import annotations

from billing.notify.v1 import notify_pb2_grpc

from kernel.clock import SystemClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, connect, ensure_stream
from kernel.runtime import Lifecycle, bootstrap_process, run_service
from services.notify.invoices import GrpcBillingSource
from services.notify.mailer import SmtpMailer
from services.notify.printing.wiring import start_printing
from services.notify.queries import GrpcQuerySource
from services.notify.settings import Settings
from services.notify.sql import DDL
from services.notify.webhooks.wiring import start_webhooks
from services.notify.wiring import SERVICE_NAME, SendingRules, wire_email

SERVICE = "notify"
POOL_HEADROOM = 8
"""Connections besides the sender lanes' (each holds one while it sends): consumers and the API."""
PDF_ANSWER_BYTES = 32 * 1024 * 1024
"""Invoice PDFs come back in one gRPC answer; allow more than gRPC's 4 MiB default."""
QUERY_ANSWER_BYTES = 16 * 1024 * 1024
"""A query comes back with its thread (up to 200 comments of 10,000 characters)."""


async def main() -> None:
    """Wire the notify service and serve until told to stop."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, SERVICE)
    pool = await create_pool(settings.database_url, max_size=settings.mail_send_lanes + POOL_HEADROOM)
    await ensure_schema(pool, SERVICE, DDL)
    invoice_channel = channel(settings.invoice_grpc, max_receive_bytes=PDF_ANSWER_BYTES)
    support_channel = channel(settings.support_grpc, max_receive_bytes=QUERY_ANSWER_BYTES)
    rules = SendingRules(settings.mail_from, settings.retry_policy, settings.mail_send_lanes,
                         settings.mail_poll_seconds)
    email = wire_email(pool, GrpcBillingSource(invoice_channel),
                       SmtpMailer(settings.smtp, settings.smtp_timeout_seconds), SystemClock(), rules,
                       queries=GrpcQuerySource(support_channel))
    nc = await connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)
    lifecycle = Lifecycle(settings, SERVICE)
    for consumer in email.consumers(js):
        lifecycle.start_worker(consumer.run)
    lifecycle.start_worker(email.worker.run)
    lifecycle.on_shutdown(nc.drain)
    lifecycle.on_shutdown(lambda: invoice_channel.close(None))
    lifecycle.on_shutdown(lambda: support_channel.close(None))
    lifecycle.on_shutdown(pool.close)
    webhooks = await start_webhooks(pool, js, lifecycle)
    printing = await start_printing(pool, js, invoice_channel, lifecycle)
    server = GrpcServer([(notify_pb2_grpc.add_NotifyServiceServicer_to_server,
                          email.servicer, SERVICE_NAME), webhooks, printing])
    await lifecycle.serve(server)


if __name__ == "__main__":
    run_service(main)
