"""Notify wired to real PostgreSQL, NATS and SMTP, with a small in-test invoice service."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from uuid import UUID, uuid4

import asyncpg
import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.notify.v1 import notify_pb2_grpc
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError as ConsumerNotFoundError

from kernel.clock import SystemClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, PullConsumer, connect, ensure_stream, publish
from services.notify.application import Notifier
from services.notify.consumers import (
    INVOICE_FINALIZED_DURABLE,
    INVOICE_FINALIZED_SUBJECT,
    InvoiceFinalizedHandler,
)
from services.notify.grpc_api import NotifyServicer
from services.notify.invoices import GrpcInvoiceSource
from services.notify.mailer import SmtpMailer, parse_smtp_url
from services.notify.sql import DDL, PostgresDeliveryLog

SENDER = "billing@isp.example"


def money(amount: str) -> common_pb2.Money:
    """EUR on the wire."""
    return common_pb2.Money(amount=amount, currency="EUR")


def invoice_message(
    number: str = "INV-2025-000001", billing_email: str = "ada@example.org"
) -> invoice_pb2.Invoice:
    """A finalized invoice as the invoice service answers GetInvoice."""
    return invoice_pb2.Invoice(
        invoice_id=str(uuid4()), account_id=str(uuid4()), number=number, status="finalized",
        period_start="2025-01-01", period_end="2025-02-01",
        lines=[
            invoice_pb2.InvoiceLine(kind="recurring", description="Fibre 1G monthly fee",
                                    quantity="1", unit="period", amount=money("39.90")),
            invoice_pb2.InvoiceLine(kind="usage", description="Voice calls", quantity="125.5",
                                    unit="minute", amount=money("2.51")),
        ],
        total=money("42.41"), amount_paid=money("0.00"), amount_due=money("42.41"),
        billing_email=billing_email, account_name="Ada Networks",
        finalized_at="2025-02-01T00:00:00+00:00",
    )


def envelope(event_id: str, tenant_id: UUID, invoice_id: str) -> bytes:
    """The JSON envelope the invoice service's relay publishes for Invoice.Finalized."""
    notification_id = int(event_id.rsplit(":", 1)[1])
    return json.dumps({
        "id": event_id, "service": "invoice", "notification_id": notification_id,
        "type": "Invoice.Finalized", "tenant_id": str(tenant_id), "aggregate_id": invoice_id,
        "aggregate_version": 2, "occurred_at": "2025-02-01T00:00:00+00:00",
        "data": {"number": "ignored"},
    }).encode()


class FakeInvoiceService(invoice_pb2_grpc.InvoiceServiceServicer):
    """Answers GetInvoice from a dictionary of each tenant's invoices."""

    def __init__(self) -> None:
        self.invoices: dict[tuple[str, str], invoice_pb2.Invoice] = {}

    def add(self, tenant_id: UUID, invoice: invoice_pb2.Invoice) -> invoice_pb2.Invoice:
        """Give the tenant an invoice."""
        self.invoices[(str(tenant_id), invoice.invoice_id)] = invoice
        return invoice

    async def GetInvoice(
        self, request: invoice_pb2.GetInvoiceRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Invoice:
        found = self.invoices.get((request.tenant_id, request.invoice_id))
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "invoice not found")
        return found


async def start_invoice_service() -> tuple[grpc.aio.Server, FakeInvoiceService, str]:
    """The fake invoice service on a free port."""
    server = grpc.aio.server()
    service = FakeInvoiceService()
    invoice_pb2_grpc.add_InvoiceServiceServicer_to_server(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, service, f"127.0.0.1:{port}"


def body_text(message: EmailMessage, subtype: str) -> str:
    """The text of the message's plain or html body."""
    body = message.get_body((subtype,))
    assert body is not None, f"no {subtype} body"
    text: str = body.get_content()
    return text


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 20.0, what: str = "condition"
) -> None:
    """Wait until check() is true, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class NotifyStack:
    """The notify use case, consumer and gRPC API, running in this process."""

    pool: asyncpg.Pool
    nc: NATS
    js: JetStreamContext
    invoice_server: grpc.aio.Server
    invoices: FakeInvoiceService
    notify_server: GrpcServer
    client_channel: grpc.aio.Channel
    invoice_channel: grpc.aio.Channel
    stub: notify_pb2_grpc.NotifyServiceStub

    def __init__(self, database_url: str, nats_url: str, smtp_url: str) -> None:
        self.database_url = database_url
        self.nats_url = nats_url
        self.smtp_url = smtp_url
        self.stopping = asyncio.Event()
        self.consumer_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the invoice fake, connect, serve the API and run the consumer."""
        self.pool = await create_pool(self.database_url)
        await ensure_schema(self.pool, "notify", DDL)
        self.invoice_server, self.invoices, invoice_address = await start_invoice_service()
        self.invoice_channel = channel(invoice_address)
        notifier = Notifier(GrpcInvoiceSource(self.invoice_channel),
                            SmtpMailer(parse_smtp_url(self.smtp_url), timeout=5.0),
                            PostgresDeliveryLog(self.pool), SystemClock(), SENDER)
        self.nc = await connect(self.nats_url, "notify-test")
        self.js = self.nc.jetstream()
        await ensure_stream(self.js, EVENTS_STREAM)
        consumer = PullConsumer(self.js, EVENTS_STREAM, INVOICE_FINALIZED_DURABLE,
                                INVOICE_FINALIZED_SUBJECT, InvoiceFinalizedHandler(notifier))
        self.consumer_task = asyncio.create_task(consumer.run(self.stopping))
        self.notify_server = GrpcServer([(notify_pb2_grpc.add_NotifyServiceServicer_to_server,
                                          NotifyServicer(notifier),
                                          "billing.notify.v1.NotifyService")])
        address = await self.notify_server.start("127.0.0.1:0")
        self.client_channel = grpc.aio.insecure_channel(address)
        self.stub = notify_pb2_grpc.NotifyServiceStub(self.client_channel)

    async def stop(self) -> None:
        """Stop the consumer and servers, close every connection.

        NATS is closed rather than drained: the consumer has stopped, and draining waits
        30 s for the pull subscription that kernel.messaging.PullConsumer never unsubscribes.
        """
        self.stopping.set()
        if self.consumer_task is not None:
            await self.consumer_task
        await self.client_channel.close(None)
        await self.notify_server.stop(0)
        await self.invoice_channel.close(None)
        await self.invoice_server.stop(0)
        await self.nc.close()
        await self.pool.close()

    async def publish_finalized(
        self, event_id: str, tenant_id: UUID, invoice_id: str, msg_id: str | None = None
    ) -> None:
        """Publish an Invoice.Finalized envelope (msg_id defaults to the event id)."""
        await publish(self.js, INVOICE_FINALIZED_SUBJECT, envelope(event_id, tenant_id, invoice_id),
                      msg_id=msg_id or event_id)

    async def statuses(self) -> list[tuple[str, str, int]]:
        """(status, reason, attempts) of every stored delivery."""
        rows = await self.pool.fetch("SELECT status, reason, attempts FROM notify.deliveries")
        return [(row["status"], row["reason"], row["attempts"]) for row in rows]

    async def consumed_everything(self) -> bool:
        """True when the consumer exists and no message is pending or awaiting its ack."""
        try:
            info = await self.js.consumer_info(EVENTS_STREAM.name, INVOICE_FINALIZED_DURABLE)
        except ConsumerNotFoundError:
            return False
        return info.num_pending == 0 and info.num_ack_pending == 0
