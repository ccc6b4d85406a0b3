"""In-memory stand-ins for notify's ports, and builders of invoices and events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from kernel.money import Money
from services.notify.application import MailTransportError
from services.notify.domain import (
    Delivery,
    Email,
    InvoiceDocument,
    InvoiceFinalized,
    InvoiceLine,
    InvoiceNotFoundError,
)


def an_invoice(
    billing_email: str = "ada@example.org", number: str = "INV-2025-000042",
    account_name: str = "Ada Networks",
) -> InvoiceDocument:
    """A finalized invoice with a recurring and a usage line."""
    return InvoiceDocument(
        invoice_id=uuid4(),
        number=number,
        account_name=account_name,
        billing_email=billing_email,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 2, 1),
        lines=(
            InvoiceLine("Fibre 1G monthly fee", Decimal(1), "period", Money.of("39.90", "EUR")),
            InvoiceLine("Voice calls", Decimal("125.5"), "minute", Money.of("2.51", "EUR")),
        ),
        total=Money.of("42.41", "EUR"),
        amount_due=Money.of("42.41", "EUR"),
    )


def finalized_event(tenant_id: UUID, invoice: InvoiceDocument, number: int = 7) -> InvoiceFinalized:
    """The Invoice.Finalized event of an invoice, as notify reads it."""
    return InvoiceFinalized(f"invoice:{number}", tenant_id, invoice.invoice_id)


class FakeInvoices:
    """The invoice service as a dictionary of each tenant's invoices."""

    def __init__(self) -> None:
        self.invoices: dict[tuple[UUID, UUID], InvoiceDocument] = {}
        self.lookups = 0

    def add(self, tenant_id: UUID, invoice: InvoiceDocument) -> InvoiceDocument:
        """Give the tenant an invoice."""
        self.invoices[(tenant_id, invoice.invoice_id)] = invoice
        return invoice

    async def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceDocument:
        self.lookups += 1
        try:
            return self.invoices[(tenant_id, invoice_id)]
        except KeyError:
            raise InvoiceNotFoundError(invoice_id) from None


class FakeMailer:
    """Keeps sent emails in a list; refuses everything while 'down' is set."""

    def __init__(self) -> None:
        self.sent: list[Email] = []
        self.down: str | None = None

    async def send(self, email: Email) -> None:
        if self.down is not None:
            raise MailTransportError(self.down)
        self.sent.append(email)


class FakeClaim:
    """A claimed delivery in the in-memory log."""

    def __init__(self, log: InMemoryDeliveryLog, delivery: Delivery) -> None:
        self.log = log
        self._delivery = delivery

    @property
    def delivery(self) -> Delivery:
        return self._delivery

    async def save(self, delivery: Delivery) -> None:
        self.log.rows[delivery.delivery_id] = delivery


class InMemoryDeliveryLog:
    """The delivery log as a dictionary keyed by delivery id."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Delivery] = {}

    async def find(self, delivery_id: UUID) -> Delivery | None:
        return self.rows.get(delivery_id)

    @asynccontextmanager
    async def claim(self, delivery: Delivery) -> AsyncIterator[FakeClaim]:
        self.rows.setdefault(delivery.delivery_id, delivery)
        yield FakeClaim(self, self.rows[delivery.delivery_id])

    async def list_deliveries(self, tenant_id: UUID, invoice_id: UUID | None) -> list[Delivery]:
        return [
            row for row in self.rows.values()
            if row.tenant_id == tenant_id and invoice_id in (None, row.invoice_id)
        ]
