"""Wiring of print batches into the notify service: tables, consumer, worker and the gRPC servicer."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import grpc
from billing.notify.v1 import printing_pb2_grpc
from nats.js import JetStreamContext

from kernel.clock import Clock, SystemClock
from kernel.database import ensure_schema
from kernel.grpc import Registration
from kernel.messaging import EVENTS_STREAM, PullConsumer, ensure_stream
from kernel.runtime import Lifecycle
from services.notify.printing.application import PrintDesk
from services.notify.printing.builder import BatchBuilder
from services.notify.printing.consumer import (
    BILL_RUN_COMPLETED_DURABLE,
    BILL_RUN_COMPLETED_SUBJECT,
    BillRunCompletedHandler,
)
from services.notify.printing.grpc_api import PrintServicer
from services.notify.printing.invoices import GrpcInvoiceReader
from services.notify.printing.settings import PrintSettings
from services.notify.printing.sql import DDL, PostgresPrintStore
from services.notify.printing.worker import PrintWorker

SCHEMA = "notify"
SERVICE_NAME = "billing.notify.v1.PrintService"


@dataclass(frozen=True)
class Printing:
    """The parts of print batches: operators' use cases and the worker building batches."""

    desk: PrintDesk
    worker: PrintWorker

    @property
    def registration(self) -> Registration:
        """The gRPC servicer to serve."""
        return printing_pb2_grpc.add_PrintServiceServicer_to_server, PrintServicer(self.desk), SERVICE_NAME

    def consumer(self, js: JetStreamContext) -> PullConsumer:
        """The durable consumer queueing a batch per completed bill run."""
        return PullConsumer(js, EVENTS_STREAM, BILL_RUN_COMPLETED_DURABLE, BILL_RUN_COMPLETED_SUBJECT,
                            BillRunCompletedHandler(self.desk))


def build_printing(pool: asyncpg.Pool, invoice_channel: grpc.aio.Channel, settings: PrintSettings,
                   clock: Clock) -> Printing:
    """Print batches over a pool and a channel to the invoice service; tests pass their clock."""
    store = PostgresPrintStore(pool, settings.chunk_bytes)
    invoices = GrpcInvoiceReader(invoice_channel)
    worker = PrintWorker(store, BatchBuilder(invoices, store, settings.render_concurrency), clock,
                         settings.temp_dir, settings.poll_seconds)
    return Printing(PrintDesk(store, invoices, clock, worker.wake), worker)


async def start_printing(pool: asyncpg.Pool, js: JetStreamContext, invoice_channel: grpc.aio.Channel,
                         lifecycle: Lifecycle) -> Registration:
    """Create the tables, start the consumer and the worker; the servicer to register."""
    await ensure_schema(pool, SCHEMA, DDL)
    await ensure_stream(js, EVENTS_STREAM)
    printing = build_printing(pool, invoice_channel, PrintSettings(), SystemClock())
    lifecycle.start_worker(printing.consumer(js).run)
    lifecycle.start_worker(printing.worker.run)
    return printing.registration
