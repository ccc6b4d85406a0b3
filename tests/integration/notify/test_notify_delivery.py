"""Customer emails against real PostgreSQL, nats-server, an SMTP server and a gRPC invoice service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from email.message import EmailMessage
from uuid import uuid4

import pytest

from kernel.messaging import publish
from services.notify.consumers import SUBSCRIPTION_OF
from services.notify.events import NotificationKind
from tests.integration.notify.notify_stack import (
    NotifyStack,
    body_text,
    eventually,
    received,
)
from tests.integration.notify.smtp_server import NO_SUCH_USER, TRY_LATER, ScriptedSmtpServer

EUR = {"amount": "84.82", "currency": "EUR"}


@pytest.fixture
async def stack(database_url: str, nats_url: str, smtp: ScriptedSmtpServer) -> AsyncIterator[NotifyStack]:
    """Notify consuming from NATS, sending to the SMTP server, serving its gRPC API."""
    notify = NotifyStack(database_url, nats_url, smtp.url)
    await notify.start()
    yield notify
    await notify.stop()


def pdf_attachments(message: EmailMessage) -> list[tuple[str | None, bytes]]:
    """(file name, first bytes) of each attachment."""
    return [(part.get_filename(), part.get_content()[:5]) for part in message.iter_attachments()]


async def test_each_kind_is_emailed_with_its_subject_locale_and_attachments(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    german = stack.invoices.add_account(tenant_id, billing_email="max@example.de", locale="de_DE",
                                        name="Max Mustermann")
    english = stack.invoices.add_account(tenant_id, billing_email="ada@example.org", locale="en")
    issued = stack.invoices.add_invoice(tenant_id, german, "INV-2025-000107")
    overdue = [stack.invoices.add_invoice(tenant_id, english, f"INV-2025-00020{n}") for n in (1, 2)]

    await stack.publish_finalized("invoice:1", tenant_id, issued)
    await stack.publish_payment("payment:1", tenant_id, german, issued.invoice_id)
    await stack.publish(NotificationKind.PAYMENT_FAILED, "payment:2", tenant_id, str(uuid4()), {
        "account_id": english.account_id, "amount": {"amount": "42.41", "currency": "EUR"},
        "method": "sepa_debit", "invoice_id": "", "reason": "insufficient_funds"})
    await stack.publish(NotificationKind.DUNNING_REMINDER, "payment:3", tenant_id, str(uuid4()), {
        "account_id": english.account_id, "episode": 1, "step": 2, "days_overdue": 21,
        "amount_overdue": EUR, "invoice_ids": [invoice.invoice_id for invoice in overdue]})
    await stack.publish(NotificationKind.ACCOUNT_SUSPENDED, "payment:4", tenant_id, str(uuid4()), {
        "account_id": german.account_id, "episode": 1, "days_overdue": 45, "amount_overdue": EUR,
        "invoice_ids": [issued.invoice_id]})

    await received(smtp, 5)
    await stack.settled(5)
    by_subject = {str(message["Subject"]): message for message in smtp.messages}
    assert set(by_subject) == {
        "Ihre Rechnung INV-2025-000107 für 1.\u201331. Jan. 2025",
        "Zahlung erhalten: 42,41\xa0€",
        "Your payment of €42.41 failed",
        "Payment reminder: €84.82 overdue",
        "Ihr Konto wurde gesperrt",
    }
    invoice_email = by_subject["Ihre Rechnung INV-2025-000107 für 1.\u201331. Jan. 2025"]
    assert invoice_email["To"] == "max@example.de"
    assert invoice_email["From"] == "billing@isp.example"
    assert "Zu zahlender Betrag: 42,41\xa0€, fällig am 15. Februar 2025" in body_text(invoice_email, "plain")
    assert pdf_attachments(invoice_email) == [("INV-2025-000107.pdf", b"%PDF-")]
    reminder = by_subject["Payment reminder: €84.82 overdue"]
    assert pdf_attachments(reminder) == [("INV-2025-000201.pdf", b"%PDF-"),
                                         ("INV-2025-000202.pdf", b"%PDF-")]
    assert "Invoice INV-2025-000202, due 15 February 2025: €42.41" in body_text(reminder, "plain")
    assert pdf_attachments(by_subject["Ihr Konto wurde gesperrt"]) == []
    assert "(insufficient_funds)" in body_text(by_subject["Your payment of €42.41 failed"], "html")
    rows = await stack.rows()
    assert {(row["kind"], row["status"], row["locale"]) for row in rows} == {
        ("invoice_issued", "sent", "de_DE"), ("payment_received", "sent", "de_DE"),
        ("payment_failed", "sent", "en_GB"), ("dunning_reminder", "sent", "en_GB"),
        ("account_suspended", "sent", "de_DE")}


async def test_a_redelivered_event_sends_nothing_twice(stack: NotifyStack, smtp: ScriptedSmtpServer) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id)
    invoice = stack.invoices.add_invoice(tenant_id, account)

    await stack.publish_finalized("invoice:5", tenant_id, invoice, msg_id="first")
    await received(smtp, 1)
    await stack.publish_finalized("invoice:5", tenant_id, invoice, msg_id="second")
    await eventually(stack.consumed_everything, what="both copies to be acked")
    await stack.settled(1)

    info = await stack.js.stream_info("EVENTS")
    assert info.state.messages == 2
    assert len(smtp.messages) == 1
    assert await stack.statuses() == [("sent", "", 1)]


async def test_a_transient_refusal_is_retried_after_the_backoff_without_holding_the_stream(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id)
    smtp.refuse_next(2)

    await stack.publish_payment("payment:10", tenant_id, account)
    await stack.settled(1)
    await eventually(stack.consumed_everything, what="the event to be acked while queued")
    [first] = await stack.rows()
    stack.advance(timedelta(minutes=15))
    await stack.settled(1)
    [second] = await stack.rows()
    stack.advance(timedelta(minutes=15))
    await received(smtp, 1)
    await stack.settled(1)

    assert (first["status"], first["attempts"], first["last_error"]) == (
        "queued", 1, f"smtp: {TRY_LATER}")
    assert first["next_attempt_at"] - first["updated_at"] >= timedelta(minutes=4)
    assert (second["status"], second["attempts"]) == ("queued", 2)
    assert second["next_attempt_at"] - second["updated_at"] >= timedelta(minutes=8)
    [sent] = await stack.rows()
    assert (sent["status"], sent["attempts"], sent["next_attempt_at"]) == ("sent", 3, None)
    assert len(smtp.messages) == 1


async def test_a_delivery_refused_on_every_attempt_fails_with_the_reason(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id)
    smtp.refuse_next(100)

    await stack.publish_payment("payment:11", tenant_id, account)
    for _ in range(3):
        await stack.settled(1)
        stack.advance(timedelta(hours=2))
    await stack.settled(1)

    assert await stack.statuses() == [("failed", f"smtp: {TRY_LATER}", 3)]
    assert smtp.handler.recipients_seen == 3


async def test_an_unknown_mailbox_bounces_and_the_next_email_still_goes_out(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    gone = stack.invoices.add_account(tenant_id, billing_email="gone@example.org")
    here = stack.invoices.add_account(tenant_id, billing_email="here@example.org")
    smtp.unknown_mailbox("gone@example.org")

    await stack.publish_payment("payment:20", tenant_id, gone)
    await stack.publish_payment("payment:21", tenant_id, here)
    await received(smtp, 1)
    await stack.settled(2)

    rows = {row["recipient"]: row for row in await stack.rows()}
    bounced = rows["gone@example.org"]
    assert (bounced["status"], bounced["reason"], bounced["next_attempt_at"]) == (
        "bounced", NO_SUCH_USER, None)
    assert rows["here@example.org"]["status"] == "sent"
    assert [m["To"] for m in smtp.messages] == ["here@example.org"]


async def test_an_invalid_address_is_recorded_and_the_next_email_still_goes_out(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    bad = stack.invoices.add_account(tenant_id, billing_email="ada at example")
    good = stack.invoices.add_account(tenant_id, billing_email="grace@example.org")

    await stack.publish_payment("payment:30", tenant_id, bad)
    await stack.publish_payment("payment:31", tenant_id, good)
    await received(smtp, 1)
    await stack.settled(2)
    await eventually(stack.consumed_everything, what="both events to be acked")

    rows = {row["recipient"]: row for row in await stack.rows()}
    assert (rows["ada at example"]["status"], rows["ada at example"]["reason"],
            rows["ada at example"]["attempts"]) == ("failed", "invalid_email", 0)
    assert rows["grace@example.org"]["status"] == "sent"
    info = await stack.js.consumer_info("EVENTS", SUBSCRIPTION_OF[NotificationKind.PAYMENT_RECEIVED].durable)
    assert info.num_redelivered == 0


async def test_a_broken_tenant_template_is_recorded_and_the_next_email_still_goes_out(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    french = stack.invoices.add_account(tenant_id, billing_email="zoe@example.fr", locale="fr")
    english = stack.invoices.add_account(tenant_id, billing_email="ada@example.org")
    await stack.pool.execute(
        "INSERT INTO notify.email_templates (tenant_id, kind, locale, subject, text_body, html_body,"
        " updated_at) VALUES ($1, 'payment_received', 'fr', 'Paiement {{ amount }}',"
        " '{{ amount.cents }}', '<p>{{ amount }}</p>', now())", tenant_id)

    await stack.publish_payment("payment:40", tenant_id, french)
    await stack.publish_payment("payment:41", tenant_id, english)
    await received(smtp, 1)
    await stack.settled(2)

    rows = {row["recipient"]: row for row in await stack.rows()}
    assert rows["zoe@example.fr"]["status"] == "failed"
    assert rows["zoe@example.fr"]["reason"] == (
        "template_error: text: UndefinedError: 'str object' has no attribute 'cents'")
    assert [m["To"] for m in smtp.messages] == ["ada@example.org"]


async def test_a_poison_message_does_not_block_the_next_event(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    account = stack.invoices.add_account(tenant_id)
    invoice = stack.invoices.add_invoice(tenant_id, account)
    subject = SUBSCRIPTION_OF[NotificationKind.INVOICE_ISSUED].subject

    await publish(stack.js, subject, b"{not json", msg_id="poison-1")
    await publish(stack.js, subject, b'{"id": "invoice:9"}', msg_id="poison-2")
    await stack.publish_finalized("invoice:10", tenant_id, invoice)

    await received(smtp, 1)
    await eventually(stack.consumed_everything, what="every message to be acked or terminated")
    await stack.settled(1)
    assert await stack.statuses() == [("sent", "", 1)]


async def test_an_unknown_invoice_is_recorded_failed_with_the_reason(
    stack: NotifyStack, smtp: ScriptedSmtpServer
) -> None:
    tenant_id = uuid4()
    missing = str(uuid4())

    await stack.publish(NotificationKind.INVOICE_ISSUED, "invoice:50", tenant_id, missing, {})
    await stack.settled(1)

    assert await stack.statuses() == [("failed", f"invoice_not_found: {missing}", 0)]
    await asyncio.sleep(0.1)
    assert smtp.messages == []
