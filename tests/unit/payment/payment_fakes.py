"""In-memory stand-ins for the payment service's ports, and request builders."""

from __future__ import annotations

from uuid import UUID, uuid4

from kernel.money import Money
from services.payment.application import PaymentApplication
from services.payment.domain.payments import InvoiceDue, InvoiceNotFoundError, PaymentRequest


class FakeInvoices:
    """The invoice service as a dictionary of each tenant's invoices."""

    def __init__(self) -> None:
        self.invoices: dict[tuple[UUID, UUID], InvoiceDue] = {}
        self.lookups = 0

    def add(
        self, tenant_id: UUID, status: str = "finalized", amount_due: str = "100.00",
        currency: str = "EUR",
    ) -> InvoiceDue:
        """Give the tenant an invoice."""
        invoice = InvoiceDue(uuid4(), uuid4(), status, Money.of(amount_due, currency))
        self.invoices[(tenant_id, invoice.invoice_id)] = invoice
        return invoice

    def set_status(self, tenant_id: UUID, invoice_id: UUID, status: str) -> None:
        """Move an invoice on (e.g. paid once the payment was applied)."""
        old = self.invoices[(tenant_id, invoice_id)]
        self.invoices[(tenant_id, invoice_id)] = InvoiceDue(
            old.invoice_id, old.account_id, status, old.amount_due
        )

    async def invoice_due(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceDue:
        """The tenant's invoice, or InvoiceNotFoundError."""
        self.lookups += 1
        try:
            return self.invoices[(tenant_id, invoice_id)]
        except KeyError:
            raise InvoiceNotFoundError(invoice_id) from None


def payment_request(
    tenant_id: UUID, invoice_id: UUID, amount: str = "25.00", currency: str = "EUR",
    method: str = "bank_transfer", reference: str = "SEPA-1", idempotency_key: str = "key-1",
) -> PaymentRequest:
    """A valid request unless told otherwise."""
    return PaymentRequest(
        tenant_id=tenant_id, invoice_id=invoice_id, amount=Money.of(amount, currency),
        method=method, reference=reference, idempotency_key=idempotency_key,
    )


def stored_event_count(app: PaymentApplication) -> int:
    """How many events the application has ever saved."""
    return len(app.notification_log.select(1, app.log_section_size))
