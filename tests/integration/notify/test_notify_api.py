"""Notify's gRPC API against real PostgreSQL: the delivery log and the templates; two senders."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID, uuid4

import grpc
import pytest
from billing.notify.v1 import notify_pb2

from kernel.database import create_pool
from kernel.grpc import field_violation
from services.notify.events import CustomerEvent, EventFacts, NotificationKind
from services.notify.invoices import GrpcBillingSource
from services.notify.mailer import SmtpMailer, parse_smtp_url
from services.notify.wiring import SendingRules, wire_email
from tests.integration.notify.notify_stack import (
    SENDER,
    START,
    TEST_POLICY,
    NotifyStack,
    eventually,
)
from tests.integration.notify.smtp_server import ScriptedSmtpServer

TEMPLATE = {"subject": "Merci {{ customer_name }} pour {{ amount }}",
            "text": "Bonjour {{ customer_name }},\n\nmerci pour {{ amount }}.\n",
            "html": "<p>Bonjour {{ customer_name }}, merci pour {{ amount }}.</p>"}


@pytest.fixture
async def stack(database_url: str, nats_url: str, smtp: ScriptedSmtpServer) -> AsyncIterator[NotifyStack]:
    """Notify consuming from NATS, sending to the SMTP server, serving its gRPC API."""
    notify = NotifyStack(database_url, nats_url, smtp.url)
    await notify.start()
    yield notify
    await notify.stop()


async def refused(call: object) -> tuple[grpc.StatusCode, dict[str, str] | None]:
    """The status code and field violation a failing call answers."""
    with pytest.raises(grpc.aio.AioRpcError) as failed:
        await call  # type: ignore[misc]
    return failed.value.code(), field_violation(failed.value)


async def test_deliveries_are_listed_by_filter_and_page_and_read_one_by_one(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    ada = stack.invoices.add_account(tenant_id)
    bob = stack.invoices.add_account(tenant_id, billing_email="bob@example.org")
    invoice = stack.invoices.add_invoice(tenant_id, ada, "INV-7")
    await stack.publish_finalized("invoice:7", tenant_id, invoice)
    await stack.settled(1)
    stack.advance(timedelta(minutes=1))
    await stack.publish_payment("payment:7", tenant_id, ada, invoice.invoice_id)
    await stack.settled(2)
    stack.advance(timedelta(minutes=1))
    await stack.publish_payment("payment:8", tenant_id, bob)
    await stack.settled(3)
    stub, tenant = stack.stub, str(tenant_id)

    about_invoice = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=tenant, invoice_id=invoice.invoice_id))
    to_bob = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=tenant, account_id=bob.account_id))
    payments = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=tenant, kind="payment_received", status="sent"))
    later = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=tenant, since=(START + timedelta(seconds=30)).isoformat()))
    first_page = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(tenant_id=tenant, page_size=2))
    second_page = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=tenant, page_size=2, page_token=first_page.next_page_token))
    theirs = await stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(tenant_id=str(uuid4())))

    assert [(d.kind, d.event_id) for d in about_invoice.deliveries] == [
        ("invoice_issued", "invoice:7"), ("payment_received", "payment:7")]
    [issued, _] = about_invoice.deliveries
    assert (issued.channel, issued.recipient, issued.status, issued.invoice_id, issued.account_id) == (
        "email", "ada@example.org", "sent", invoice.invoice_id, ada.account_id)
    assert (issued.subject, issued.locale, issued.attempts, issued.next_attempt_at) == (
        "Invoice INV-7 for 1\u201331 Jan 2025", "en_GB", 1, "")
    assert issued.sent_at == issued.queued_at == START.isoformat()
    assert [d.event_id for d in to_bob.deliveries] == ["payment:8"]
    assert [d.event_id for d in payments.deliveries] == ["payment:7", "payment:8"]
    assert [d.event_id for d in later.deliveries] == ["payment:7", "payment:8"]
    assert [d.event_id for d in first_page.deliveries] == ["invoice:7", "payment:7"]
    assert [d.event_id for d in second_page.deliveries] == ["payment:8"]
    assert second_page.next_page_token == ""
    assert list(theirs.deliveries) == []
    one = await stub.GetDelivery(notify_pb2.GetDeliveryRequest(
        tenant_id=tenant, delivery_id=issued.delivery_id))
    assert one == issued
    assert await refused(stub.GetDelivery(notify_pb2.GetDeliveryRequest(
        tenant_id=str(uuid4()), delivery_id=issued.delivery_id))) == (grpc.StatusCode.NOT_FOUND, None)


BAD_LISTINGS: list[tuple[dict[str, object], dict[str, str]]] = [
    ({"invoice_id": "INV-7"}, {"field": "invoice_id", "reason": "not a valid id"}),
    ({"account_id": "ada"}, {"field": "account_id", "reason": "not a valid id"}),
    ({"kind": "invoice_paid"}, {"field": "kind", "reason": "unknown_kind"}),
    ({"status": "lost"}, {"field": "status", "reason": "unknown_status"}),
    ({"since": "yesterday"}, {"field": "since", "reason": "not_an_instant"}),
    ({"since": "2025-02-01T00:00:00"}, {"field": "since", "reason": "needs_an_offset"}),
    ({"page_size": 5000}, {"field": "page_size", "reason": "must_be_between_1_and_1000"}),
    ({"page_token": "garbage"}, {"field": "page_token", "reason": "not_a_page_token"}),
]


async def test_a_bad_listing_request_names_the_field(stack: NotifyStack) -> None:
    answers = [
        await refused(stack.stub.ListDeliveries(notify_pb2.ListDeliveriesRequest(
            tenant_id=str(uuid4()), **fields)))  # type: ignore[arg-type]
        for fields, _ in BAD_LISTINGS
    ]

    assert answers == [(grpc.StatusCode.INVALID_ARGUMENT, violation) for _, violation in BAD_LISTINGS]


async def test_a_tenants_template_is_stored_used_listed_previewed_and_deleted(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    tenant = str(tenant_id)
    french = stack.invoices.add_account(tenant_id, billing_email="zoe@example.fr", locale="fr_FR",
                                        name="Zoé")
    stub = stack.stub

    before = await stub.GetTemplate(notify_pb2.GetTemplateRequest(
        tenant_id=tenant, kind="payment_received", locale="fr-FR"))
    stored = await stub.PutTemplate(notify_pb2.PutTemplateRequest(
        tenant_id=tenant, kind="payment_received", locale="fr", **TEMPLATE))
    after = await stub.GetTemplate(notify_pb2.GetTemplateRequest(
        tenant_id=tenant, kind="payment_received", locale="fr_FR"))
    listed = await stub.ListTemplates(notify_pb2.ListTemplatesRequest(tenant_id=tenant))
    preview = await stub.PreviewTemplate(notify_pb2.PreviewTemplateRequest(
        tenant_id=tenant, kind="payment_received", locale="fr_FR", html="<b>{{ amount }}</b>"))
    await stack.publish_payment("payment:60", tenant_id, french)
    await stack.settled(1)

    assert (before.source, before.locale) == ("default", "en")
    assert "customer_name" in before.variables
    assert (stored.source, stored.locale, stored.updated_at) == ("tenant", "fr", START.isoformat())
    assert (after.source, after.subject) == ("tenant", TEMPLATE["subject"])
    assert [(t.kind, t.locale) for t in listed.templates] == [("payment_received", "fr")]
    assert (preview.subject, preview.html, preview.locale) == (
        "Merci Ada Lovelace pour 42,41\xa0€", "<b>42,41\xa0€</b>", "fr_FR")
    [message] = smtp.messages
    assert message["Subject"] == "Merci Zoé pour 42,41\xa0€"
    await stub.DeleteTemplate(notify_pb2.DeleteTemplateRequest(
        tenant_id=tenant, kind="payment_received", locale="fr"))
    assert await refused(stub.DeleteTemplate(notify_pb2.DeleteTemplateRequest(
        tenant_id=tenant, kind="payment_received", locale="fr"))) == (grpc.StatusCode.NOT_FOUND, None)
    assert list((await stub.ListTemplates(notify_pb2.ListTemplatesRequest(tenant_id=tenant))).templates) == []


BAD_TEMPLATES: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"kind": "invoice_paid"}, {"field": "kind", "reason": "unknown_kind"}),
    ({"locale": "xx_YY"}, {"field": "locale", "reason": "unknown_locale"}),
    ({"text": "Bonjour {{ customer_name }"}, {"field": "text",
                                              "reason": "syntax_error: unexpected '}' (line 1)"}),
    ({"html": "{{ lines }}"}, {"field": "html", "reason": "unknown_variable: lines"}),
    ({"subject": ""}, {"field": "subject", "reason": "required"}),
]


async def test_a_bad_template_is_refused_naming_the_field_and_not_stored(stack: NotifyStack) -> None:
    tenant = str(uuid4())
    answers = [
        await refused(stack.stub.PutTemplate(notify_pb2.PutTemplateRequest(
            tenant_id=tenant, **{"kind": "payment_received", "locale": "fr", **TEMPLATE, **fields})))
        for fields, _ in BAD_TEMPLATES
    ]

    assert answers == [(grpc.StatusCode.INVALID_ARGUMENT, violation) for _, violation in BAD_TEMPLATES]
    listed = await stack.stub.ListTemplates(notify_pb2.ListTemplatesRequest(tenant_id=tenant))
    assert list(listed.templates) == []


async def test_two_senders_on_one_database_never_send_the_same_delivery(
    stack: NotifyStack, smtp: ScriptedSmtpServer, database_url: str,
) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id)
    other_pool = await create_pool(database_url)
    other = wire_email(other_pool, GrpcBillingSource(stack.invoice_channel),
                       SmtpMailer(parse_smtp_url(smtp.url), timeout=5.0), stack.clock,
                       SendingRules(SENDER, TEST_POLICY, lanes=3, poll_seconds=0.05), random.Random(2))
    stopping = asyncio.Event()
    replica = asyncio.create_task(other.worker.run(stopping))
    try:
        for n in range(24):
            await stack.email.notifier.accept(CustomerEvent(
                f"payment:{100 + n}", tenant_id, NotificationKind.PAYMENT_RECEIVED, UUID(int=n),
                START, account_id=UUID(account.account_id), facts=EventFacts(method="card")))
            other.worker.wake()

        async def all_sent() -> bool:
            return len(smtp.messages) >= 24

        await eventually(all_sent, what="24 emails")
        await stack.settled(24)
    finally:
        stopping.set()
        await replica
        await other_pool.close()

    message_ids = [message["Message-ID"] for message in smtp.messages]
    assert len(message_ids) == len(set(message_ids)) == 24
    assert {status for status, _, _ in await stack.statuses()} == {"sent"}
