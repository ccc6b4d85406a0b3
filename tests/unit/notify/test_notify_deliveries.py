"""Delivery states and the exactly-once email use case, with in-memory ports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kernel.clock import FixedClock
from kernel.ids import derived_id
from services.notify.application import Notifier
from services.notify.domain import (
    INVALID_EMAIL,
    Delivery,
    DeliveryFailedError,
    DeliveryStatus,
    InvoiceNotFoundError,
    Step,
    compose_invoice_email,
)
from tests.unit.notify.notify_fakes import (
    FakeInvoices,
    FakeMailer,
    InMemoryDeliveryLog,
    an_invoice,
    finalized_event,
)

NOW = datetime(2025, 2, 1, 6, 0, tzinfo=UTC)
SENDER = "billing@isp.example"


class World:
    """A notifier wired to fakes, and the fakes."""

    def __init__(self) -> None:
        self.invoices = FakeInvoices()
        self.mailer = FakeMailer()
        self.log = InMemoryDeliveryLog()
        self.clock = FixedClock(NOW)
        self.notifier = Notifier(self.invoices, self.mailer, self.log, self.clock, SENDER)
        self.tenant_id = uuid4()


@pytest.fixture
def world() -> World:
    return World()


def queued_delivery(recipient: str = "ada@example.org") -> Delivery:
    invoice = an_invoice(billing_email=recipient)
    event = finalized_event(uuid4(), invoice)
    return Delivery.queue(event, compose_invoice_email(invoice, SENDER, event.delivery_id), NOW)


def test_delivery_id_is_derived_from_the_event_id() -> None:
    event = finalized_event(uuid4(), an_invoice(), number=12)

    assert event.delivery_id == derived_id("email", "invoice:12")


def test_queued_delivery_with_a_valid_recipient_is_sent() -> None:
    assert queued_delivery().next_step() is Step.SEND


def test_sent_delivery_is_skipped() -> None:
    assert queued_delivery().sent(NOW).next_step() is Step.SKIP


def test_failed_delivery_is_sent_again() -> None:
    assert queued_delivery().failed("timeout", NOW).next_step() is Step.SEND


def test_delivery_to_an_invalid_recipient_is_refused() -> None:
    assert queued_delivery("not-an-address").next_step() is Step.REFUSE


def test_each_attempt_counts_and_failures_keep_the_reason() -> None:
    failed = queued_delivery().failed("connection refused", NOW)
    sent = failed.sent(NOW + timedelta(minutes=1))

    assert (failed.status, failed.reason, failed.attempts) == (
        DeliveryStatus.FAILED, "connection refused", 1)
    assert (sent.status, sent.reason, sent.attempts) == (DeliveryStatus.SENT, "", 2)


def test_transient_failure_is_retried_but_an_invalid_email_is_not() -> None:
    assert queued_delivery().failed("connection refused", NOW).will_retry
    assert not queued_delivery().refused(INVALID_EMAIL, NOW).will_retry
    assert not queued_delivery().sent(NOW).will_retry


async def test_finalized_invoice_is_emailed_once_and_recorded_sent(world: World) -> None:
    invoice = world.invoices.add(world.tenant_id, an_invoice())
    event = finalized_event(world.tenant_id, invoice)

    delivery = await world.notifier.notify_invoice_finalized(event)

    [email] = world.mailer.sent
    assert email.recipient == "ada@example.org"
    assert email.reference == event.delivery_id
    assert (delivery.status, delivery.attempts, delivery.event_id) == (
        DeliveryStatus.SENT, 1, "invoice:7")
    assert world.log.rows[event.delivery_id] == delivery


async def test_redelivered_event_sends_nothing_and_skips_the_invoice_lookup(world: World) -> None:
    invoice = world.invoices.add(world.tenant_id, an_invoice())
    event = finalized_event(world.tenant_id, invoice)
    await world.notifier.notify_invoice_finalized(event)

    again = await world.notifier.notify_invoice_finalized(event)

    assert len(world.mailer.sent) == 1
    assert world.invoices.lookups == 1
    assert again.status is DeliveryStatus.SENT


async def test_delivery_sent_while_the_event_was_being_handled_is_not_sent_again(
    world: World,
) -> None:
    invoice = world.invoices.add(world.tenant_id, an_invoice())
    event = finalized_event(world.tenant_id, invoice)
    email = compose_invoice_email(invoice, SENDER, event.delivery_id)
    concurrent = Delivery.queue(event, email, NOW).sent(NOW)
    world.log.find = _never_found  # type: ignore[method-assign]
    world.log.rows[event.delivery_id] = concurrent

    delivery = await world.notifier.notify_invoice_finalized(event)

    assert world.mailer.sent == []
    assert delivery == concurrent


async def _never_found(delivery_id: UUID) -> None:
    return None


async def test_smtp_failure_is_recorded_with_the_reason_and_raised_for_retry(
    world: World,
) -> None:
    invoice = world.invoices.add(world.tenant_id, an_invoice())
    event = finalized_event(world.tenant_id, invoice)
    world.mailer.down = "SMTPConnectError: connection refused"

    with pytest.raises(DeliveryFailedError) as failed:
        await world.notifier.notify_invoice_finalized(event)

    stored = world.log.rows[event.delivery_id]
    assert failed.value.reason == "SMTPConnectError: connection refused"
    assert (stored.status, stored.reason, stored.attempts) == (
        DeliveryStatus.FAILED, "SMTPConnectError: connection refused", 1)


async def test_retry_after_a_failure_sends_and_records_sent(world: World) -> None:
    invoice = world.invoices.add(world.tenant_id, an_invoice())
    event = finalized_event(world.tenant_id, invoice)
    world.mailer.down = "timeout"
    with pytest.raises(DeliveryFailedError):
        await world.notifier.notify_invoice_finalized(event)
    world.mailer.down = None
    world.clock.advance(timedelta(minutes=2))

    delivery = await world.notifier.notify_invoice_finalized(event)

    assert len(world.mailer.sent) == 1
    assert (delivery.status, delivery.reason, delivery.attempts) == (DeliveryStatus.SENT, "", 2)
    assert delivery.updated_at == NOW + timedelta(minutes=2)


async def test_invalid_billing_email_is_recorded_failed_and_not_retried(world: World) -> None:
    invoice = world.invoices.add(world.tenant_id, an_invoice(billing_email="ada at example"))
    event = finalized_event(world.tenant_id, invoice)

    delivery = await world.notifier.notify_invoice_finalized(event)

    assert world.mailer.sent == []
    assert (delivery.status, delivery.reason, delivery.attempts) == (
        DeliveryStatus.FAILED, INVALID_EMAIL, 0)
    assert world.log.rows[event.delivery_id] == delivery


async def test_unknown_invoice_is_a_named_not_found_error(world: World) -> None:
    event = finalized_event(world.tenant_id, an_invoice())

    with pytest.raises(InvoiceNotFoundError):
        await world.notifier.notify_invoice_finalized(event)

    assert world.log.rows == {}


async def test_deliveries_are_listed_per_tenant_and_invoice(world: World) -> None:
    first = world.invoices.add(world.tenant_id, an_invoice())
    second = world.invoices.add(world.tenant_id, an_invoice(number="INV-2"))
    await world.notifier.notify_invoice_finalized(finalized_event(world.tenant_id, first, 1))
    await world.notifier.notify_invoice_finalized(finalized_event(world.tenant_id, second, 2))

    everything = await world.notifier.list_deliveries(world.tenant_id, None)
    about_second = await world.notifier.list_deliveries(world.tenant_id, second.invoice_id)
    other_tenant = await world.notifier.list_deliveries(uuid4(), None)

    assert len(everything) == 2
    assert [d.invoice_id for d in about_second] == [second.invoice_id]
    assert other_tenant == []
