"""Composition root of the invoice service."""

from __future__ import annotations

import asyncio

from billing.invoice.v1 import invoice_pb2_grpc

from kernel.clock import SystemClock
from kernel.database import create_pool, ensure_schema, eventsourcing_env
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, PullConsumer, connect, ensure_stream
from kernel.outbox import NotificationRelay, relay_ddl
from kernel.runtime import Lifecycle, bootstrap_process, run_service
from services.invoice.application import InvoiceApplication
from services.invoice.bill_runs import BillRunner
from services.invoice.consumers import LEDGER_DURABLE, LEDGER_SUBJECT, LedgerAllocationsHandler
from services.invoice.crediting import Crediting
from services.invoice.directory import DDL, Directory
from services.invoice.explaining import Explainer, GrpcRatingExplanations
from services.invoice.grpc_api import InvoiceServicer
from services.invoice.rating_client import GrpcBillingUsage, GrpcRatePlans
from services.invoice.rendering import Party
from services.invoice.scheduler import BillRunScheduler
from services.invoice.servicer_parts import ServicerParts
from services.invoice.settings import Settings
from services.invoice.subscribing import Subscriptions
from services.invoice.verification import InvoiceVerifier

SERVICE = "invoice"


def nothing_to_do() -> None:
    """A nudge no relay in this process hears: the relay process hears the save's NOTIFY."""


async def main() -> None:
    """Wire the invoice service and serve until told to stop."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, SERVICE)
    pool = await create_pool(settings.database_url)
    await ensure_schema(pool, SERVICE, relay_ddl(SERVICE) + DDL)
    app = await asyncio.to_thread(
        InvoiceApplication, env=eventsourcing_env(settings.database_url, SERVICE)
    )
    nc = await connect(settings.nats_url, SERVICE)
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)
    relay = (NotificationRelay(SERVICE, app, js, pool, SERVICE)
             if settings.outbox_relay == "in_process" else None)
    nudge = relay.nudge if relay is not None else nothing_to_do
    directory = Directory(app, pool)
    rating_channel = channel(settings.rating_grpc)
    clock = SystemClock()
    usage = GrpcBillingUsage(rating_channel)
    bill_runner = BillRunner(app, directory, usage, clock, on_saved=nudge,
                             batch_size=settings.bill_run_batch_size,
                             payment_terms_days=settings.payment_terms_days)
    crediting = Crediting(app)
    scheduler = BillRunScheduler(app, directory, bill_runner, crediting, clock,
                                 settings.scheduler_interval_seconds)
    payments = PullConsumer(js, EVENTS_STREAM, LEDGER_DURABLE, LEDGER_SUBJECT,
                            LedgerAllocationsHandler(app, nudge))
    lifecycle = Lifecycle(settings, SERVICE)
    if relay is not None:
        lifecycle.start_worker(relay.run)
    lifecycle.start_worker(payments.run)
    lifecycle.start_worker(scheduler.run)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(lambda: asyncio.to_thread(app.close))
    lifecycle.on_shutdown(lambda: rating_channel.close(None))
    lifecycle.on_shutdown(nc.drain)
    servicer = InvoiceServicer(ServicerParts(
        app=app, directory=directory, bill_runner=bill_runner, subscriptions=Subscriptions(app),
        crediting=crediting, verifier=InvoiceVerifier(app, usage),
        explainer=Explainer(app, directory, GrpcRatingExplanations(rating_channel)),
        rate_plans=GrpcRatePlans(rating_channel), clock=clock, on_saved=nudge,
        seller=Party(settings.seller_name, tuple(settings.seller_address.split("|")),
                     tax_id=settings.seller_tax_id),
    ))
    server = GrpcServer([(invoice_pb2_grpc.add_InvoiceServiceServicer_to_server, servicer,
                          "billing.invoice.v1.InvoiceService")])
    await lifecycle.serve(server)


if __name__ == "__main__":
    run_service(main)
