"""Use cases of notify: email a finalized invoice exactly once, list the deliveries."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from kernel.clock import Clock
from services.notify.domain import (
    INVALID_EMAIL,
    Delivery,
    DeliveryFailedError,
    Email,
    InvoiceDocument,
    InvoiceFinalized,
    Step,
    compose_invoice_email,
)


class MailTransportError(Exception):
    """The mail server could not be reached or did not accept the message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvoiceSource(Protocol):
    """Where finalized invoices are read from (the invoice service)."""

    async def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceDocument:
        """The tenant's invoice; raises InvoiceNotFoundError when there is none."""
        ...


class Mailer(Protocol):
    """Sends emails; raises MailTransportError when the message was not accepted."""

    async def send(self, email: Email) -> None: ...


class DeliveryClaim(Protocol):
    """A delivery held for sending: nobody else can send it until the claim ends."""

    @property
    def delivery(self) -> Delivery:
        """The delivery as stored when it was claimed."""
        ...

    async def save(self, delivery: Delivery) -> None:
        """Record the new state; it is kept when the claim ends normally."""
        ...


class DeliveryLog(Protocol):
    """The record of every delivery, one per delivery id."""

    async def find(self, delivery_id: UUID) -> Delivery | None: ...

    def claim(self, delivery: Delivery) -> AbstractAsyncContextManager[DeliveryClaim]:
        """Store the delivery unless it exists, then hold it until the context ends."""
        ...

    async def list_deliveries(
        self, tenant_id: UUID, invoice_id: UUID | None
    ) -> list[Delivery]: ...


class Notifier:
    """Emails customers their finalized invoices and keeps the delivery log."""

    def __init__(
        self, invoices: InvoiceSource, mailer: Mailer, deliveries: DeliveryLog, clock: Clock,
        sender: str,
    ) -> None:
        self.invoices = invoices
        self.mailer = mailer
        self.deliveries = deliveries
        self.clock = clock
        self.sender = sender

    async def notify_invoice_finalized(self, event: InvoiceFinalized) -> Delivery:
        """Send the invoice email once; raise DeliveryFailedError when it should be retried."""
        existing = await self.deliveries.find(event.delivery_id)
        if existing is not None and existing.is_sent:
            return existing
        invoice = await self.invoices.get_invoice(event.tenant_id, event.invoice_id)
        email = compose_invoice_email(invoice, self.sender, event.delivery_id)
        async with self.deliveries.claim(Delivery.queue(event, email, self.clock.now())) as claim:
            delivery = await self._attempt(claim, email)
        if delivery.will_retry:
            raise DeliveryFailedError(delivery.delivery_id, delivery.reason)
        return delivery

    async def _attempt(self, claim: DeliveryClaim, email: Email) -> Delivery:
        """Send unless already sent or undeliverable; record the outcome in the claim."""
        delivery = claim.delivery.addressed(email)
        step = delivery.next_step()
        if step is Step.SKIP:
            return claim.delivery
        if step is Step.REFUSE:
            outcome = delivery.refused(INVALID_EMAIL, self.clock.now())
        else:
            outcome = await self._send(delivery, email)
        await claim.save(outcome)
        return outcome

    async def _send(self, delivery: Delivery, email: Email) -> Delivery:
        """One SMTP attempt, as the delivery's next state."""
        try:
            await self.mailer.send(email)
        except MailTransportError as error:
            return delivery.failed(error.reason, self.clock.now())
        return delivery.sent(self.clock.now())

    async def list_deliveries(self, tenant_id: UUID, invoice_id: UUID | None) -> list[Delivery]:
        """The tenant's deliveries, optionally only those about one invoice."""
        return await self.deliveries.list_deliveries(tenant_id, invoice_id)
