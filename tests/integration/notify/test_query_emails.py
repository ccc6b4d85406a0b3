"""Emails about billing queries against real PostgreSQL, nats-server and SMTP, with in-test gRPC invoice
and support services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID, uuid4

import grpc
import pytest
from billing.notify.v1 import notify_pb2
from billing.support.v1 import support_pb2, support_pb2_grpc

from kernel.grpc import channel
from kernel.messaging import EVENTS_STREAM
from services.notify.events import NotificationKind
from services.notify.queries import GrpcQuerySource
from tests.integration.notify.notify_stack import (
    NotifyStack,
    body_text,
    eventually,
    received,
)
from tests.integration.notify.smtp_server import ScriptedSmtpServer

ASKED = NotificationKind.QUERY_AWAITING_CUSTOMER
RESOLVED = NotificationKind.QUERY_RESOLVED
REJECTED = NotificationKind.QUERY_REJECTED
STAFF = {"role": "support", "id": "key-1"}
AT = "2025-02-01T10:00:00+00:00"


class FakeSupportService(support_pb2_grpc.SupportServiceServicer):
    """Answers GetQuery from each tenant's dictionary, and counts the calls."""

    def __init__(self) -> None:
        self.queries: dict[tuple[str, str], support_pb2.Query] = {}
        self.calls = 0

    def add_query(self, tenant_id: UUID, account_id: str, invoice_id: str, subject: str) -> str:
        """Give the tenant a query of the account (on the invoice unless it is empty)."""
        query = support_pb2.Query(query_id=str(uuid4()), account_id=account_id, invoice_id=invoice_id,
                                  category="wrong_amount", subject=subject, state="open")
        self.queries[(str(tenant_id), query.query_id)] = query
        return query.query_id

    async def GetQuery(
        self, request: support_pb2.GetQueryRequest, context: grpc.aio.ServicerContext
    ) -> support_pb2.Query:
        self.calls += 1
        found = self.queries.get((request.tenant_id, request.query_id))
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "query not found")
        return found


class QueryNotifyStack(NotifyStack):
    """The notify stack of tests/integration/notify, reading queries from a gRPC support fake."""

    support_server: grpc.aio.Server
    support_channel: grpc.aio.Channel

    def __init__(self, database_url: str, nats_url: str, smtp_url: str) -> None:
        super().__init__(database_url, nats_url, smtp_url)
        self.support = FakeSupportService()

    async def start(self) -> None:
        """Start the support fake, then the notify stack reading queries from it."""
        self.support_server = grpc.aio.server()
        support_pb2_grpc.add_SupportServiceServicer_to_server(self.support, self.support_server)
        port = self.support_server.add_insecure_port("127.0.0.1:0")
        await self.support_server.start()
        self.support_channel = channel(f"127.0.0.1:{port}")
        await super().start()

    def query_source(self) -> GrpcQuerySource:
        """Queries are read from the support fake."""
        return GrpcQuerySource(self.support_channel)

    async def stop(self) -> None:
        """Stop everything the notify stack stops, then the support fake."""
        await super().stop()
        await self.support_channel.close(None)
        await self.support_server.stop(0)


@pytest.fixture
async def stack(
    database_url: str, nats_url: str, smtp: ScriptedSmtpServer
) -> AsyncIterator[QueryNotifyStack]:
    """Notify consuming from NATS, reading queries and invoices over gRPC, sending to SMTP."""
    notify = QueryNotifyStack(database_url, nats_url, smtp.url)
    await notify.start()
    yield notify
    await notify.stop()


def support_events(query_id: str) -> list[tuple[NotificationKind, str, dict[str, Any]]]:
    """A question, a credit note resolution and a rejection, each with its support event id."""
    return [
        (ASKED, "support:11", {"author": STAFF, "body": "Which of the two payments is yours?",
                               "written_at": AT}),
        (RESOLVED, "support:12", {
            "outcome": "credit_note", "note": "You were charged twice; we credited the fee.",
            "decided_by": STAFF, "decided_at": AT, "credit_note_id": str(uuid4()),
            "credit_note_number": "CN-2025-000031", "credited_lines": [], "charge_id": "",
            "amount": {"amount": "39.90", "currency": "EUR"}}),
        (REJECTED, "support:13", {"reason": "Both payments were for different invoices.",
                                  "decided_by": STAFF, "decided_at": AT}),
    ]


async def test_each_support_event_is_emailed_once_even_when_redelivered(
    stack: QueryNotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id, billing_email="max@example.de", locale="de_DE",
                                         name="Max Mustermann")
    invoice = stack.invoices.add_invoice(tenant_id, account, "INV-2025-000107")
    query_id = stack.support.add_query(tenant_id, account.account_id, invoice.invoice_id,
                                       "Gebühr doppelt berechnet")

    for kind, event_id, data in support_events(query_id):
        await stack.publish(kind, event_id, tenant_id, query_id, data, msg_id=f"{event_id}:first")
    await received(smtp, 3)
    for kind, event_id, data in support_events(query_id):
        await stack.publish(kind, event_id, tenant_id, query_id, data, msg_id=f"{event_id}:again")
    await eventually(stack.consumed_everything, what="every copy to be acked")
    await stack.settled(3)

    assert (await stack.js.stream_info(EVENTS_STREAM.name)).state.messages == 6
    rows = await stack.rows()
    addressed = ("sent", "max@example.de", "de_DE", UUID(account.account_id))
    assert sorted((row["event_id"], row["kind"], row["status"], row["recipient"], row["locale"],
                   row["account_id"]) for row in rows) == [
        ("support:11", "query_awaiting_customer", *addressed),
        ("support:12", "query_resolved", *addressed),
        ("support:13", "query_rejected", *addressed),
    ]
    assert len(smtp.messages) == 3
    by_subject = {str(message["Subject"]): message for message in smtp.messages}
    assert set(by_subject) == {"Wir benötigen Ihre Antwort: Gebühr doppelt berechnet",
                               "Ihre Anfrage ist erledigt: Gebühr doppelt berechnet",
                               "Ihre Anfrage wurde abgelehnt: Gebühr doppelt berechnet"}
    asked = body_text(by_subject["Wir benötigen Ihre Antwort: Gebühr doppelt berechnet"], "plain")
    assert "zur Rechnung INV-2025-000107" in asked
    assert "Which of the two payments is yours?" in asked
    resolved = body_text(by_subject["Ihre Anfrage ist erledigt: Gebühr doppelt berechnet"], "html")
    assert "Gutschrift CN-2025-000031 über <strong>39,90\xa0€</strong>" in resolved


async def test_a_query_the_support_service_does_not_know_fails_and_is_listed_by_kind(
    stack: QueryNotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id)
    known = stack.support.add_query(tenant_id, account.account_id, "", "Outage last week")
    unknown = str(uuid4())
    [(_, _, rejection)] = [event for event in support_events(known) if event[0] is REJECTED]

    await stack.publish(REJECTED, "support:21", tenant_id, unknown, rejection)
    await stack.publish(REJECTED, "support:22", tenant_id, known, rejection)
    await received(smtp, 1)
    await stack.settled(2)

    listed = await stack.stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=str(tenant_id), kind="query_rejected"))
    assert sorted((d.event_id, d.status, d.reason) for d in listed.deliveries) == [
        ("support:21", "failed", f"query_not_found: {unknown}"), ("support:22", "sent", "")]
    [sent] = smtp.messages
    assert sent["To"] == "ada@example.org"
    assert "about invoice" not in body_text(sent, "plain")
