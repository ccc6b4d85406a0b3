"""Queueing each event's email once and sending due deliveries, with in-memory ports."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from kernel.ids import derived_id
from services.notify.application import DeliveryQuery
from services.notify.domain import INVALID_EMAIL, DeliveryNotFoundError, DeliveryStatus
from services.notify.emails import MailBouncedError, TransientMailError
from services.notify.events import QUERY_KINDS, NotificationKind
from services.notify.retries import RetryPolicy
from services.notify.template_book import StoredTemplate
from services.notify.templating import EmailTemplate
from tests.unit.notify.notify_fakes import NOW, SENDER, World, an_event


@pytest.fixture
def world() -> World:
    return World()


def test_delivery_id_is_derived_from_the_kind_and_the_event_id(world: World) -> None:
    account = world.with_account()
    event = an_event(NotificationKind.INVOICE_ISSUED, world.tenant_id, account,
                     [world.with_invoice(account)], number=12)

    assert event.delivery_id == derived_id("email", "invoice_issued", "invoice:12")


async def test_finalized_invoice_is_emailed_to_the_account_with_the_invoice_pdf(world: World) -> None:
    account = world.with_account(billing_email="bills@ada.example")
    invoice = world.with_invoice(account, "INV-2025-000107")
    event = an_event(NotificationKind.INVOICE_ISSUED, world.tenant_id, account, [invoice])

    assert await world.notifier.accept(event)
    [delivery] = await world.deliver_all()

    [email] = world.mailer.sent
    assert (email.sender, email.recipient, email.reference) == (
        SENDER, "bills@ada.example", event.delivery_id)
    assert email.subject == "Invoice INV-2025-000107 for 1\u201331 Jan 2025"
    assert "Total: €42.41" in email.text
    [pdf] = email.attachments
    assert (pdf.filename, pdf.content_type) == ("INV-2025-000107.pdf", "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert (delivery.status, delivery.attempts, delivery.account_id, delivery.locale) == (
        DeliveryStatus.SENT, 1, account.account_id, "en_GB")
    assert (delivery.recipient, delivery.subject, delivery.sent_at) == (
        "bills@ada.example", email.subject, NOW)
    assert world.stored(event) == delivery


async def test_redelivered_event_is_queued_once_and_emailed_once(world: World) -> None:
    account = world.with_account()
    event = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account)
    assert await world.notifier.accept(event)
    await world.deliver_all()

    again = await world.notifier.accept(event)
    await world.deliver_all()

    assert not again
    assert len(world.mailer.sent) == 1
    assert world.stored(event).status is DeliveryStatus.SENT


@pytest.mark.parametrize("kind", [kind for kind in NotificationKind if kind not in QUERY_KINDS])
async def test_every_kind_is_emailed_in_german_to_a_german_account(
    world: World, kind: NotificationKind
) -> None:
    account = world.with_account(locale="de")
    invoices = [world.with_invoice(account, "INV-1"), world.with_invoice(account, "INV-2")]
    chosen = invoices[:1] if kind is NotificationKind.INVOICE_ISSUED else invoices
    await world.notifier.accept(an_event(kind, world.tenant_id, account, chosen))

    [delivery] = await world.deliver_all()

    [email] = world.mailer.sent
    assert delivery.status is DeliveryStatus.SENT
    assert delivery.locale == "de_DE"
    assert "Guten Tag Ada Networks" in email.text
    assert "<p>Guten Tag Ada Networks,</p>" in email.html
    attaches = kind in (NotificationKind.INVOICE_ISSUED, NotificationKind.DUNNING_REMINDER)
    assert [a.filename for a in email.attachments] == (
        [f"{invoice.number}.pdf" for invoice in chosen] if attaches else [])


async def test_payment_received_names_the_paid_invoice_only_when_there_is_one(world: World) -> None:
    account = world.with_account()
    invoice = world.with_invoice(account, "INV-2025-000099")
    await world.notifier.accept(an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id,
                                         account, [invoice], number=1))
    await world.notifier.accept(an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id,
                                         account, [], number=2))

    await world.deliver_all()

    with_invoice, without = world.mailer.sent
    assert "€42.41 for invoice INV-2025-000099 on" in with_invoice.text
    assert "invoice" not in without.text.lower()
    assert with_invoice.subject == "Payment received: €42.41"


async def test_dunning_reminder_lists_its_invoices_and_attaches_at_most_five(world: World) -> None:
    account = world.with_account()
    invoices = [world.with_invoice(account, f"INV-{n}") for n in range(7)]
    await world.notifier.accept(an_event(NotificationKind.DUNNING_REMINDER, world.tenant_id,
                                         account, invoices))

    await world.deliver_all()

    [email] = world.mailer.sent
    assert [a.filename for a in email.attachments] == [f"INV-{n}.pdf" for n in range(5)]
    assert all(f"Invoice INV-{n}, due 15 February 2025: €42.41" in email.text for n in range(7))
    assert email.subject == "Payment reminder: €84.82 overdue"


async def test_invalid_billing_email_fails_at_once_and_the_next_email_still_goes_out(
    world: World,
) -> None:
    bad = world.with_account(billing_email="ada at example")
    good = world.with_account(billing_email="grace@example.org")
    first = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, bad, number=1)
    second = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, good, number=2)
    await world.notifier.accept(first)
    await world.notifier.accept(second)

    await world.deliver_all()

    refused = world.stored(first)
    assert (refused.status, refused.reason, refused.attempts, refused.recipient) == (
        DeliveryStatus.FAILED, INVALID_EMAIL, 0, "ada at example")
    assert [email.recipient for email in world.mailer.sent] == ["grace@example.org"]


async def test_unknown_account_fails_with_the_reason(world: World) -> None:
    account = world.with_account()
    event = an_event(NotificationKind.PAYMENT_FAILED, world.tenant_id, account)
    world.billing.accounts.clear()
    await world.notifier.accept(event)

    [delivery] = await world.deliver_all()

    assert (delivery.status, delivery.reason) == (
        DeliveryStatus.FAILED, f"account_not_found: {account.account_id}")
    assert world.mailer.sent == []


async def test_transient_smtp_failure_stays_queued_until_its_backoff_is_over(world: World) -> None:
    account = world.with_account()
    event = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account)
    world.mailer.failures.append(TransientMailError("smtp: 451 4.3.0 try again later"))
    await world.notifier.accept(event)

    [failed] = await world.deliver_all()

    assert (failed.status, failed.attempts, failed.last_error, failed.reason) == (
        DeliveryStatus.QUEUED, 1, "smtp: 451 4.3.0 try again later", "")
    assert failed.next_attempt_at is not None
    assert NOW + timedelta(minutes=4) <= failed.next_attempt_at <= NOW + timedelta(minutes=8)
    world.clock.advance(timedelta(minutes=3))
    assert await world.dispatcher.deliver_next() is None
    world.clock.advance(timedelta(minutes=6))
    sent = await world.dispatcher.deliver_next()
    assert sent is not None
    assert (sent.status, sent.attempts, sent.last_error, sent.next_attempt_at) == (
        DeliveryStatus.SENT, 2, "smtp: 451 4.3.0 try again later", None)
    assert len(world.mailer.sent) == 1


async def test_delivery_fails_for_good_after_the_last_attempt() -> None:
    world = World(RetryPolicy(max_attempts=3))
    account = world.with_account()
    event = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account)
    world.mailer.failures.extend(TransientMailError(f"timeout {n}") for n in range(3))
    await world.notifier.accept(event)

    for _ in range(3):
        await world.deliver_all()
        world.clock.advance(timedelta(days=1))

    stored = world.stored(event)
    assert (stored.status, stored.attempts, stored.reason, stored.next_attempt_at) == (
        DeliveryStatus.FAILED, 3, "timeout 2", None)
    assert await world.dispatcher.deliver_next() is None


async def test_recipient_refused_for_good_is_bounced_with_the_reply(world: World) -> None:
    account = world.with_account()
    event = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account)
    world.mailer.failures.append(MailBouncedError("550 5.1.1 mailbox unavailable"))
    await world.notifier.accept(event)

    [delivery] = await world.deliver_all()

    assert (delivery.status, delivery.reason, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.BOUNCED, "550 5.1.1 mailbox unavailable", 1, None)


async def test_invoice_service_down_is_retried_later(world: World) -> None:
    account = world.with_account()
    invoice = world.with_invoice(account)
    event = an_event(NotificationKind.INVOICE_ISSUED, world.tenant_id, account, [invoice])
    world.billing.down = "UNAVAILABLE: connection refused"
    await world.notifier.accept(event)

    [delivery] = await world.deliver_all()
    world.billing.down = None
    world.clock.advance(timedelta(hours=1))
    [retried] = await world.deliver_all()

    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.QUEUED, "invoice_service_unavailable: UNAVAILABLE: connection refused")
    assert (retried.status, retried.attempts) == (DeliveryStatus.SENT, 2)


async def test_template_failing_at_send_time_fails_the_delivery_and_not_the_next(
    world: World,
) -> None:
    broken = world.with_account(locale="fr")
    fine = world.with_account(locale="en")
    await world.store.put(world.tenant_id, StoredTemplate(
        NotificationKind.PAYMENT_RECEIVED, "fr",
        EmailTemplate("Paiement {{ amount }}", "{{ amount / 2 }}", "<p>{{ amount }}</p>")))
    first = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, broken, number=1)
    second = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, fine, number=2)
    await world.notifier.accept(first)
    await world.notifier.accept(second)

    await world.deliver_all()

    failed = world.stored(first)
    assert failed.status is DeliveryStatus.FAILED
    assert failed.reason.startswith("template_error: text: TypeError")
    assert [email.recipient for email in world.mailer.sent] == [fine.billing_email]


async def test_unexpected_failure_is_recorded_and_retried(world: World) -> None:
    account = world.with_account()
    event = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account)
    world.mailer.failures.append(RuntimeError("bug"))
    await world.notifier.accept(event)

    [delivery] = await world.deliver_all()

    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.QUEUED, "internal_error: RuntimeError: bug")


async def test_deliveries_are_read_per_tenant_and_filtered(world: World) -> None:
    account = world.with_account()
    invoice = world.with_invoice(account)
    issued = an_event(NotificationKind.INVOICE_ISSUED, world.tenant_id, account, [invoice], 1)
    paid = an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account, [], 2)
    await world.notifier.accept(issued)
    await world.notifier.accept(paid)

    about_invoice = await world.notifier.list_deliveries(
        world.tenant_id, DeliveryQuery(invoice_id=invoice.invoice_id), 10)
    payments = await world.notifier.list_deliveries(
        world.tenant_id, DeliveryQuery(kind=NotificationKind.PAYMENT_RECEIVED), 10)

    assert [d.delivery_id for d in about_invoice] == [issued.delivery_id]
    assert [d.delivery_id for d in payments] == [paid.delivery_id]
    assert (await world.notifier.get_delivery(world.tenant_id, paid.delivery_id)).kind is (
        NotificationKind.PAYMENT_RECEIVED)
    with pytest.raises(DeliveryNotFoundError):
        await world.notifier.get_delivery(uuid4(), paid.delivery_id)
