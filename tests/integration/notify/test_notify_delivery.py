"""Notify against real PostgreSQL, nats-server, an SMTP sink and a gRPC invoice service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import grpc
import pytest
from billing.notify.v1 import notify_pb2

from devstack.mailsink import MailSink
from kernel.grpc import field_violation
from kernel.messaging import publish
from services.notify.consumers import INVOICE_FINALIZED_SUBJECT
from tests.integration.notify.notify_stack import (
    NotifyStack,
    body_text,
    eventually,
    invoice_message,
)


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    """A real SMTP server on a free port, storing messages as .eml files."""
    mail_sink = MailSink(tmp_path / "mail", 0)
    mail_sink.start()
    yield mail_sink
    mail_sink.stop()


@pytest.fixture
async def stack(database_url: str, nats_url: str, sink: MailSink) -> AsyncIterator[NotifyStack]:
    """Notify consuming from NATS, sending to the sink, serving ListDeliveries."""
    notify = NotifyStack(database_url, nats_url, sink.url)
    await notify.start()
    yield notify
    await notify.stop()


async def mail_count(sink: MailSink, count: int) -> None:
    """Wait until the sink holds this many messages."""

    async def arrived() -> bool:
        return len(sink.files()) >= count

    await eventually(arrived, what=f"{count} email(s) at the sink")


async def test_finalized_invoice_is_emailed_once_with_the_invoice_attached(
    stack: NotifyStack, sink: MailSink
) -> None:
    tenant_id = uuid4()
    invoice = stack.invoices.add(tenant_id, invoice_message(number="INV-2025-000107"))

    await stack.publish_finalized("invoice:1", tenant_id, invoice.invoice_id)

    await mail_count(sink, 1)
    await eventually(stack.consumed_everything, what="the event to be acked")
    [message] = sink.messages()
    assert message["To"] == "ada@example.org"
    assert message["From"] == "billing@isp.example"
    assert message["Subject"] == "Invoice INV-2025-000107 for 2025-01-01 to 2025-02-01"
    assert "Total: 42.41 EUR" in body_text(message, "plain")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invoice-INV-2025-000107.html"
    assert "42.41 EUR" in attachment.get_content()
    assert await stack.statuses() == [("sent", "", 1)]


async def test_same_event_published_twice_yields_one_email(
    stack: NotifyStack, sink: MailSink
) -> None:
    tenant_id = uuid4()
    invoice = stack.invoices.add(tenant_id, invoice_message())

    await stack.publish_finalized("invoice:5", tenant_id, invoice.invoice_id, msg_id="first")
    await stack.publish_finalized("invoice:5", tenant_id, invoice.invoice_id, msg_id="second")

    await mail_count(sink, 1)
    await eventually(stack.consumed_everything, what="both copies to be acked")
    info = await stack.js.stream_info("EVENTS")
    assert info.state.messages == 2
    assert len(sink.files()) == 1
    assert await stack.statuses() == [("sent", "", 1)]


async def test_poison_message_does_not_block_the_next_invoice(
    stack: NotifyStack, sink: MailSink
) -> None:
    tenant_id = uuid4()
    invoice = stack.invoices.add(tenant_id, invoice_message())

    await publish(stack.js, INVOICE_FINALIZED_SUBJECT, b"{not json", msg_id="poison-1")
    await publish(stack.js, INVOICE_FINALIZED_SUBJECT, b'{"id": "invoice:9"}', msg_id="poison-2")
    await stack.publish_finalized("invoice:10", tenant_id, invoice.invoice_id)

    await mail_count(sink, 1)
    await eventually(stack.consumed_everything, what="every message to be settled")
    info = await stack.js.consumer_info("EVENTS", "notify-invoice-finalized")
    assert info.num_redelivered == 0
    assert await stack.statuses() == [("sent", "", 1)]


async def test_smtp_outage_is_recorded_failed_and_delivered_once_the_server_is_back(
    stack: NotifyStack, sink: MailSink
) -> None:
    tenant_id = uuid4()
    invoice = stack.invoices.add(tenant_id, invoice_message())
    sink.stop()

    await stack.publish_finalized("invoice:3", tenant_id, invoice.invoice_id)

    async def recorded_failed() -> bool:
        return any(status == "failed" for status, _, _ in await stack.statuses())

    await eventually(recorded_failed, what="the failed attempt to be recorded")
    [(status, reason, attempts)] = await stack.statuses()
    assert (status, attempts) == ("failed", 1)
    assert "SMTPConnectError" in reason
    sink.start()

    await mail_count(sink, 1)
    await eventually(stack.consumed_everything, what="the retried event to be acked")
    [(status, reason, attempts)] = await stack.statuses()
    assert (status, reason) == ("sent", "")
    assert attempts >= 2
    assert len(sink.files()) == 1


async def test_invalid_billing_email_is_recorded_failed_and_not_retried(
    stack: NotifyStack, sink: MailSink
) -> None:
    tenant_id = uuid4()
    invoice = stack.invoices.add(tenant_id, invoice_message(billing_email="ada at example"))

    await stack.publish_finalized("invoice:4", tenant_id, invoice.invoice_id)

    await eventually(stack.consumed_everything, what="the event to be acked")
    assert await stack.statuses() == [("failed", "invalid_email", 0)]
    info = await stack.js.consumer_info("EVENTS", "notify-invoice-finalized")
    assert info.num_redelivered == 0
    await asyncio.sleep(0.2)
    assert sink.files() == []


async def test_list_deliveries_shows_the_tenants_delivery_and_nothing_to_another_tenant(
    stack: NotifyStack, sink: MailSink
) -> None:
    tenant_id = uuid4()
    invoice = stack.invoices.add(tenant_id, invoice_message(number="INV-7"))
    other_invoice = stack.invoices.add(tenant_id, invoice_message(number="INV-8"))
    await stack.publish_finalized("invoice:7", tenant_id, invoice.invoice_id)
    await stack.publish_finalized("invoice:8", tenant_id, other_invoice.invoice_id)
    await mail_count(sink, 2)
    await eventually(stack.consumed_everything, what="both events to be acked")

    mine = await stack.stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=str(tenant_id), invoice_id=invoice.invoice_id))
    everything = await stack.stub.ListDeliveries(
        notify_pb2.ListDeliveriesRequest(tenant_id=str(tenant_id)))
    theirs = await stack.stub.ListDeliveries(
        notify_pb2.ListDeliveriesRequest(tenant_id=str(uuid4())))

    [delivery] = mine.deliveries
    assert delivery.event_id == "invoice:7"
    assert delivery.invoice_id == invoice.invoice_id
    assert (delivery.channel, delivery.recipient, delivery.status) == (
        "email", "ada@example.org", "sent")
    assert delivery.subject == "Invoice INV-7 for 2025-01-01 to 2025-02-01"
    assert delivery.updated_at
    assert len(everything.deliveries) == 2
    assert list(theirs.deliveries) == []


async def test_list_deliveries_refuses_a_malformed_invoice_id(stack: NotifyStack) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stack.stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
            tenant_id=str(uuid4()), invoice_id="INV-7"))

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violation(refused.value) == {"field": "invoice_id", "reason": "not a valid id"}
