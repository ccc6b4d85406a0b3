"""The support service wired as main() wires it, on real PostgreSQL and NATS, with an invoice-facts double."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import grpc
from billing.support.v1 import support_pb2, support_pb2_grpc
from nats.js import JetStreamContext

from kernel import database, messaging, outbox
from kernel.clock import FixedClock
from kernel.grpc import GrpcServer, channel
from services.support.application import SupportApplication
from services.support.desk import SupportDesk
from services.support.grpc_api import SupportServicer
from services.support.invoices import GrpcInvoices
from services.support.listing import DDL as LIST_DDL
from services.support.listing import QueryList
from services.support.main import GRPC_SERVICE_NAME, SCHEMA, SERVICE
from tests.integration.support.invoice_double import InvoiceFactsDouble, money, serve_invoice_facts

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@dataclass
class SupportStack:
    """A running support gRPC server, the invoice-facts double behind it, and its clock."""

    support: support_pb2_grpc.SupportServiceStub
    invoices: InvoiceFactsDouble
    clock: FixedClock
    app: SupportApplication
    pool: asyncpg.Pool
    js: JetStreamContext

    def customer(self, account_id: str) -> support_pb2.Actor:
        return support_pb2.Actor(role="customer", id=account_id)

    async def open(self, tenant_id: UUID, account_id: str, **fields: Any) -> support_pb2.Query:
        """Open a query on the account (a customer's, a fresh request id) unless told otherwise."""
        request = support_pb2.OpenQueryRequest(
            tenant_id=str(tenant_id), request_id=str(uuid4()), opened_by=self.customer(account_id),
            account_id=account_id, category="other", subject="Why is my bill higher?",
            body="It doubled this month.")
        for name, value in fields.items():
            if name == "disputed_amount":
                request.disputed_amount.CopyFrom(money(value))
            elif name == "opened_by":
                request.opened_by.CopyFrom(value)
            else:
                setattr(request, name, value)
        return await self.support.OpenQuery(request)


@asynccontextmanager
async def running_support(database_url: str, nats_url: str) -> AsyncIterator[SupportStack]:
    """Start storage, relay, the invoice double and the gRPC server; stop them afterwards."""
    pool = await database.create_pool(database_url)
    await database.ensure_schema(pool, SCHEMA, [*outbox.relay_ddl(SCHEMA), *LIST_DDL])
    app = await asyncio.to_thread(SupportApplication, database.eventsourcing_env(database_url, SCHEMA))
    nc = await messaging.connect(nats_url, "support-test")
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    relay = outbox.NotificationRelay(SERVICE, app, js, pool, SCHEMA, poll_seconds=0.05)
    double = InvoiceFactsDouble()
    invoice_server, invoice_address = await serve_invoice_facts(double)
    invoice_channel = channel(invoice_address)
    clock = FixedClock(NOW)
    desk = SupportDesk(app, GrpcInvoices(invoice_channel), clock, on_saved=relay.nudge)
    server = GrpcServer([(support_pb2_grpc.add_SupportServiceServicer_to_server,
                          SupportServicer(desk, QueryList(app, pool), clock), GRPC_SERVICE_NAME)])
    client = grpc.aio.insecure_channel(await server.start("127.0.0.1:0"))
    stopping = asyncio.Event()
    relaying = asyncio.create_task(relay.run(stopping))
    try:
        yield SupportStack(support_pb2_grpc.SupportServiceStub(client), double, clock, app, pool, js)
    finally:
        stopping.set()
        await relaying
        await client.close(None)
        await server.stop(0)
        await invoice_channel.close(None)
        await invoice_server.stop(0)
        await nc.drain()
        await pool.close()
        await asyncio.to_thread(app.close)
