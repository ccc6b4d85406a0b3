"""Notify's email part wired to real PostgreSQL, NATS and SMTP, with an in-test invoice service."""

from __future__ import annotations

import asyncio
import io
import json
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import cache
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.notify.v1 import notify_pb2_grpc
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError as ConsumerNotFoundError
from pypdf import PdfWriter

from kernel.clock import FixedClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, connect, ensure_stream, publish
from services.notify.consumers import SUBSCRIPTION_OF, SUBSCRIPTIONS
from services.notify.events import NotificationKind
from services.notify.invoices import GrpcBillingSource
from services.notify.mailer import SmtpMailer, parse_smtp_url
from services.notify.retries import RetryPolicy
from services.notify.sources import QuerySource
from services.notify.sql import DDL
from services.notify.wiring import SERVICE_NAME, EmailPart, SendingRules, wire_email
from tests.integration.notify.smtp_server import ScriptedSmtpServer

SENDER = "billing@isp.example"
START = datetime(2025, 2, 1, 6, 0, tzinfo=UTC)
TEST_POLICY = RetryPolicy(max_attempts=3, first_delay=timedelta(minutes=5),
                          max_delay=timedelta(hours=1), jitter=0.2)


@cache
def pdf_bytes() -> bytes:
    """A real one-page PDF, as RenderDocument answers."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def money(amount: str) -> common_pb2.Money:
    """EUR on the wire."""
    return common_pb2.Money(amount=amount, currency="EUR")


def account_message(
    billing_email: str = "ada@example.org", locale: str = "en", name: str = "Ada Networks"
) -> invoice_pb2.Account:
    """An account as the invoice service answers GetAccount."""
    return invoice_pb2.Account(account_id=str(uuid4()), name=name, billing_email=billing_email,
                               currency="EUR", status="active",
                               details=invoice_pb2.BillingDetails(locale=locale))


def invoice_message(account: invoice_pb2.Account, number: str = "INV-2025-000001") -> invoice_pb2.Invoice:
    """A January invoice of the account as the invoice service answers GetInvoice."""
    return invoice_pb2.Invoice(
        invoice_id=str(uuid4()), account_id=account.account_id, number=number, status="issued",
        period_start="2025-01-01", period_end="2025-02-01", issue_date="2025-02-01",
        due_date="2025-02-15",
        lines=[
            invoice_pb2.InvoiceLine(kind="recurring", description="Fibre 1G monthly fee",
                                    quantity="1", unit="period", amount=money("39.90")),
            invoice_pb2.InvoiceLine(kind="usage", description="Voice calls", quantity="125.5",
                                    unit="minute", amount=money("2.51")),
        ],
        total=money("42.41"), amount_paid=money("0.00"), amount_due=money("42.41"),
        billing_email=account.billing_email, account_name=account.name, locale="en",
        finalized_at="2025-02-01T00:00:00+00:00",
    )


class FakeInvoiceService(invoice_pb2_grpc.InvoiceServiceServicer):
    """Answers GetAccount, GetInvoice and RenderDocument from each tenant's dictionaries."""

    def __init__(self) -> None:
        self.accounts: dict[tuple[str, str], invoice_pb2.Account] = {}
        self.invoices: dict[tuple[str, str], invoice_pb2.Invoice] = {}

    def add_account(self, tenant_id: UUID, **fields: str) -> invoice_pb2.Account:
        """Give the tenant an account."""
        account = account_message(**fields)
        self.accounts[(str(tenant_id), account.account_id)] = account
        return account

    def add_invoice(
        self, tenant_id: UUID, account: invoice_pb2.Account, number: str = "INV-2025-000001"
    ) -> invoice_pb2.Invoice:
        """Give the tenant an invoice of the account."""
        invoice = invoice_message(account, number)
        self.invoices[(str(tenant_id), invoice.invoice_id)] = invoice
        return invoice

    async def GetAccount(
        self, request: invoice_pb2.GetAccountRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Account:
        found = self.accounts.get((request.tenant_id, request.account_id))
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "account not found")
        return found

    async def GetInvoice(
        self, request: invoice_pb2.GetInvoiceRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Invoice:
        found = self.invoices.get((request.tenant_id, request.invoice_id))
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "invoice not found")
        return found

    async def RenderDocument(
        self, request: invoice_pb2.RenderDocumentRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.RenderedDocument:
        found = self.invoices.get((request.tenant_id, request.document_id))
        if found is None or request.format != "pdf":
            await context.abort(grpc.StatusCode.NOT_FOUND, "document not found")
        return invoice_pb2.RenderedDocument(content_type="application/pdf",
                                            filename=f"{found.number}.pdf", content=pdf_bytes())


async def start_invoice_service() -> tuple[grpc.aio.Server, FakeInvoiceService, str]:
    """The fake invoice service on a free port."""
    server = grpc.aio.server()
    service = FakeInvoiceService()
    invoice_pb2_grpc.add_InvoiceServiceServicer_to_server(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, service, f"127.0.0.1:{port}"


def envelope(
    kind: NotificationKind, event_id: str, tenant_id: UUID, aggregate_id: str, data: dict[str, Any]
) -> bytes:
    """The JSON envelope a service's relay publishes (kernel.eventstore.event_envelope)."""
    service, notification_id = event_id.rsplit(":", 1)
    return json.dumps({
        "id": event_id, "service": service, "notification_id": int(notification_id),
        "type": SUBSCRIPTION_OF[kind].subject.split(".", 2)[2], "tenant_id": str(tenant_id),
        "aggregate_id": aggregate_id, "aggregate_version": 2,
        "occurred_at": "2025-02-01T00:00:00+00:00", "data": data,
    }).encode()


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
    """Notify's consumers, sender and gRPC API running in this process on a movable clock."""

    pool: asyncpg.Pool
    nc: NATS
    js: JetStreamContext
    invoice_server: grpc.aio.Server
    invoices: FakeInvoiceService
    email: EmailPart
    notify_server: GrpcServer
    client_channel: grpc.aio.Channel
    invoice_channel: grpc.aio.Channel
    stub: notify_pb2_grpc.NotifyServiceStub

    def __init__(self, database_url: str, nats_url: str, smtp_url: str) -> None:
        self.database_url = database_url
        self.nats_url = nats_url
        self.smtp_url = smtp_url
        self.clock = FixedClock(START)
        self.stopping = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start the invoice fake, connect, serve the API, run the consumers and the sender."""
        self.pool = await create_pool(self.database_url)
        await ensure_schema(self.pool, "notify", DDL)
        self.invoice_server, self.invoices, invoice_address = await start_invoice_service()
        self.invoice_channel = channel(invoice_address)
        self.email = wire_email(
            self.pool, GrpcBillingSource(self.invoice_channel),
            SmtpMailer(parse_smtp_url(self.smtp_url), timeout=5.0), self.clock,
            SendingRules(SENDER, TEST_POLICY, lanes=2, poll_seconds=0.05), random.Random(1),
            queries=self.query_source())
        self.nc = await connect(self.nats_url, "notify-test")
        self.js = self.nc.jetstream()
        await ensure_stream(self.js, EVENTS_STREAM)
        for consumer in self.email.consumers(self.js):
            self.tasks.append(asyncio.create_task(consumer.run(self.stopping)))
        self.tasks.append(asyncio.create_task(self.email.worker.run(self.stopping)))
        self.notify_server = GrpcServer([(notify_pb2_grpc.add_NotifyServiceServicer_to_server,
                                          self.email.servicer, SERVICE_NAME)])
        address = await self.notify_server.start("127.0.0.1:0")
        self.client_channel = grpc.aio.insecure_channel(address)
        self.stub = notify_pb2_grpc.NotifyServiceStub(self.client_channel)

    def query_source(self) -> QuerySource | None:
        """Where emails about billing queries read them (none in this stack)."""
        return None

    async def stop(self) -> None:
        """Stop the consumers, the sender and the servers, close every connection.

        NATS is closed rather than drained: the consumers have stopped, and draining waits
        30 s for the pull subscriptions that kernel.messaging.PullConsumer never unsubscribes.
        """
        self.stopping.set()
        await asyncio.gather(*self.tasks)
        await self.client_channel.close(None)
        await self.notify_server.stop(0)
        await self.invoice_channel.close(None)
        await self.invoice_server.stop(0)
        await self.nc.close()
        await self.pool.close()

    async def publish(
        self, kind: NotificationKind, event_id: str, tenant_id: UUID, aggregate_id: str,
        data: dict[str, Any], msg_id: str | None = None,
    ) -> None:
        """Publish an envelope of a kind (msg_id defaults to the event id)."""
        await publish(self.js, SUBSCRIPTION_OF[kind].subject,
                      envelope(kind, event_id, tenant_id, aggregate_id, data),
                      msg_id=msg_id or event_id)

    async def publish_finalized(self, event_id: str, tenant_id: UUID, invoice: invoice_pb2.Invoice,
                                msg_id: str | None = None) -> None:
        """Publish Invoice.Finalized of an invoice."""
        await self.publish(NotificationKind.INVOICE_ISSUED, event_id, tenant_id, invoice.invoice_id,
                           {"number": invoice.number, "total": {"amount": "42.41", "currency": "EUR"}},
                           msg_id)

    async def publish_payment(self, event_id: str, tenant_id: UUID, account: invoice_pb2.Account,
                              invoice_id: str = "") -> None:
        """Publish Payment.Succeeded of 42.41 EUR by card."""
        await self.publish(NotificationKind.PAYMENT_RECEIVED, event_id, tenant_id, str(uuid4()), {
            "account_id": account.account_id, "amount": {"amount": "42.41", "currency": "EUR"},
            "method": "card", "invoice_id": invoice_id, "provider_ref": "ch_1"})

    async def rows(self) -> list[asyncpg.Record]:
        """Every stored delivery, by queue time."""
        return await self.pool.fetch(
            "SELECT * FROM notify.email_deliveries ORDER BY queued_at, event_id")

    async def statuses(self) -> list[tuple[str, str, int]]:
        """(status, reason, attempts) of every stored delivery."""
        return [(row["status"], row["reason"], row["attempts"]) for row in await self.rows()]

    async def settled(self, count: int) -> None:
        """Wait until count deliveries exist and none is due now."""

        async def done() -> bool:
            rows = await self.rows()
            due = [r for r in rows if r["status"] == "queued" and r["next_attempt_at"] <= self.clock.now()]
            return len(rows) >= count and not due

        await eventually(done, what=f"{count} deliveries to be attempted")

    async def consumed_everything(self) -> bool:
        """True when every consumer exists and no message is pending or awaiting its ack."""
        for subscription in SUBSCRIPTIONS:
            try:
                info = await self.js.consumer_info(EVENTS_STREAM.name, subscription.durable)
            except ConsumerNotFoundError:
                return False
            if info.num_pending or info.num_ack_pending:
                return False
        return True

    def advance(self, delta: timedelta) -> None:
        """Move the clock and wake the sender."""
        self.clock.advance(delta)
        self.email.worker.wake()


async def received(smtp: ScriptedSmtpServer, count: int) -> None:
    """Wait until the server holds this many messages."""

    async def arrived() -> bool:
        return len(smtp.messages) >= count

    await eventually(arrived, what=f"{count} email(s) at the SMTP server")
