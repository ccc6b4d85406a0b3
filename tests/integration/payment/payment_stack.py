"""The payment service wired to real PostgreSQL and NATS, with a stand-in invoice gRPC server."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from uuid import UUID, uuid4

import asyncpg
import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.payment.v1 import payment_pb2, payment_pb2_grpc
from grpc_health.v1 import health_pb2_grpc
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

import kernel.grpc
from kernel import database, messaging, outbox
from kernel.grpc import GrpcServer
from services.payment.application import PaymentApplication
from services.payment.collecting import Collecting
from services.payment.gateways.simulator import SimulatorGateway
from services.payment.grpc_api import PaymentServicer
from services.payment.invoices import GrpcInvoices
from services.payment.positions import DDL as POSITIONS_DDL
from services.payment.positions import Positions
from services.payment.wallets import Wallets

SCHEMA = "payment"
PAYMENT_SERVICE = "billing.payment.v1.PaymentService"
INVOICE_SERVICE = "billing.invoice.v1.InvoiceService"


class StandInInvoiceService(invoice_pb2_grpc.InvoiceServiceServicer):
    """Answers GetInvoice and GetAccount from dictionaries of each tenant's invoices and accounts."""

    def __init__(self) -> None:
        self.invoices: dict[tuple[str, str], invoice_pb2.Invoice] = {}
        self.accounts: dict[tuple[str, str], invoice_pb2.Account] = {}

    def add_account(self, tenant_id: UUID, currency: str = "EUR") -> invoice_pb2.Account:
        """Give the tenant an account."""
        account = invoice_pb2.Account(account_id=str(uuid4()), currency=currency, status="active")
        self.accounts[(str(tenant_id), account.account_id)] = account
        return account

    def add(
        self, tenant_id: UUID, status: str = "issued", amount_due: str = "100.00",
        currency: str = "EUR", account_id: str = "", issue_date: str = "2026-10-01",
    ) -> invoice_pb2.Invoice:
        """Give the tenant an invoice (of a new account unless one is named)."""
        if not account_id:
            account_id = self.add_account(tenant_id, currency).account_id
        invoice = invoice_pb2.Invoice(
            invoice_id=str(uuid4()), account_id=account_id,
            number=f"INV-{len(self.invoices) + 1:08d}", status=status,
            total=common_pb2.Money(amount=amount_due, currency=currency),
            amount_due=common_pb2.Money(amount=amount_due, currency=currency),
            issue_date=issue_date, due_date="2026-10-15",
        )
        self.invoices[(str(tenant_id), invoice.invoice_id)] = invoice
        return invoice

    async def GetInvoice(
        self, request: invoice_pb2.GetInvoiceRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Invoice:
        """The tenant's invoice, or NOT_FOUND."""
        invoice = self.invoices.get((request.tenant_id, request.invoice_id))
        if invoice is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "invoice not found")
        return invoice

    async def GetAccount(
        self, request: invoice_pb2.GetAccountRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Account:
        """The tenant's account, or NOT_FOUND."""
        account = self.accounts.get((request.tenant_id, request.account_id))
        if account is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "account not found")
        return account


async def start_invoice_server(service: StandInInvoiceService) -> tuple[GrpcServer, str]:
    """The stand-in invoice service on a free port."""
    server = GrpcServer([(invoice_pb2_grpc.add_InvoiceServiceServicer_to_server, service,
                          INVOICE_SERVICE)])
    return server, await server.start("127.0.0.1:0")


@dataclass
class PaymentStack:
    """A running payment gRPC server, its storage and relay, and clients to talk to it."""

    app: PaymentApplication
    pool: asyncpg.Pool
    nc: NATS
    js: JetStreamContext
    relay: outbox.NotificationRelay
    invoices: StandInInvoiceService
    invoice_server: GrpcServer
    payment_server: GrpcServer
    channels: list[grpc.aio.Channel]
    payments: payment_pb2_grpc.PaymentServiceStub
    health: health_pb2_grpc.HealthStub
    collecting: Collecting

    async def close(self) -> None:
        """Stop everything that was started."""
        await self.payment_server.stop(0)
        await self.invoice_server.stop(0)
        for channel in self.channels:
            await channel.close(None)
        await self.nc.drain()
        await self.pool.close()
        await asyncio.to_thread(self.app.close)


TEST_PSP_SECRET = "integration-webhook-key"


async def start_payment_stack(
    database_url: str, nats_url: str, psp_url: str = "http://127.0.0.1:9", psp_secret: str = TEST_PSP_SECRET,
) -> PaymentStack:
    """Wire the real servicer, application, relay, invoice adapter and PSP adapter, as main() does."""
    pool = await database.create_pool(database_url)
    await database.ensure_schema(pool, SCHEMA, [*outbox.relay_ddl(SCHEMA), *POSITIONS_DDL])
    app = await asyncio.to_thread(
        PaymentApplication, database.eventsourcing_env(database_url, SCHEMA)
    )
    nc = await messaging.connect(nats_url, "payment-test")
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    relay = outbox.NotificationRelay("payment", app, js, pool, SCHEMA)
    invoices = StandInInvoiceService()
    invoice_server, invoice_address = await start_invoice_server(invoices)
    invoice_channel = kernel.grpc.channel(invoice_address)
    gateway = SimulatorGateway(psp_url, psp_secret, 2.0)
    collecting = Collecting(app, GrpcInvoices(invoice_channel, 5.0), gateway, relay.nudge)
    wallets = Wallets(app, gateway, collecting)
    servicer = PaymentServicer(app, collecting, wallets, Positions(app, pool))
    payment_server = GrpcServer(
        [(payment_pb2_grpc.add_PaymentServiceServicer_to_server, servicer, PAYMENT_SERVICE)]
    )
    client_channel = grpc.aio.insecure_channel(await payment_server.start("127.0.0.1:0"))
    return PaymentStack(
        app=app, pool=pool, nc=nc, js=js, relay=relay, invoices=invoices,
        invoice_server=invoice_server, payment_server=payment_server,
        channels=[invoice_channel, client_channel],
        payments=payment_pb2_grpc.PaymentServiceStub(client_channel),
        health=health_pb2_grpc.HealthStub(client_channel),
        collecting=collecting,
    )


def record_request(
    tenant_id: UUID, invoice_id: str, amount: str = "25.00", currency: str = "EUR",
    method: str = "bank_transfer", reference: str = "SEPA-1", idempotency_key: str = "key-1",
) -> payment_pb2.RecordPaymentRequest:
    """A valid RecordPayment request unless told otherwise."""
    return payment_pb2.RecordPaymentRequest(
        tenant_id=str(tenant_id), invoice_id=invoice_id,
        amount=common_pb2.Money(amount=amount, currency=currency),
        method=method, reference=reference, idempotency_key=idempotency_key,
    )
