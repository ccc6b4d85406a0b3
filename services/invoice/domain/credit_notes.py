"""Credit notes: amounts taken back from invoice lines, with their tax, numbered apart from invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money, MoneyError, total
from services.invoice.domain.errors import InvalidCreditError
from services.invoice.domain.invoices import TAX_KINDS, Invoice, InvoiceNumbering

CREDIT_NOTE_PREFIX = "CN-"
MAX_REQUEST_ID = 200


class CreditNoteNumbering(InvoiceNumbering):
    """A tenant's gapless credit note number sequence."""

    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        """One sequence per tenant."""
        return derived_id(tenant_id, "credit-note-numbering")

    @event("Started")
    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.last_number = 0


@dataclass(frozen=True)
class CreditedLine:
    """An amount (before tax) taken back from one invoice line."""

    line_index: int
    description: str
    amount: Money

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"line_index": self.line_index, "description": self.description,
                "amount": self.amount}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CreditedLine:
        """Rebuild from the stored form."""
        return cls(int(data["line_index"]), data["description"], data["amount"])


def credited_lines(invoice: Invoice, requested: list[tuple[int, str]]) -> list[CreditedLine]:
    """Validate the lines to credit: charged lines, positive amounts, at most what is left."""
    invoice.check_creditable()
    if not requested:
        raise InvalidCreditError("lines", "credit at least one line")
    seen: set[int] = set()
    credited = []
    for position, (index, text) in enumerate(requested):
        field = f"lines[{position}]"
        line = invoice.line_at(index)
        if index in seen:
            raise InvalidCreditError(f"{field}.line_index", "credited twice in one note")
        seen.add(index)
        if line.kind in TAX_KINDS:
            raise InvalidCreditError(f"{field}.line_index", "tax follows the lines it is on")
        left = invoice.creditable(index)
        amount = left if not text else _amount(text, invoice.currency, f"{field}.amount")
        if not amount.is_positive:
            raise InvalidCreditError(f"{field}.amount", "nothing left to credit on that line")
        if left < amount:
            raise InvalidCreditError(f"{field}.amount", f"at most {left.amount} is left on the line")
        credited.append(CreditedLine(index, line.description, amount))
    return credited


def _amount(text: str, currency: str, field: str) -> Money:
    try:
        amount = Money.of(text, currency)
    except MoneyError as error:
        raise InvalidCreditError(field, str(error)) from None
    if amount.rounded() != amount:
        raise InvalidCreditError(field, f"more decimals than {currency} has")
    return amount


def credit_tax(invoice: Invoice, subtotal: Money) -> tuple[Money, Decimal, bool]:
    """The tax a credit note takes back, at the invoice's rate.

    Rounded cumulatively: the tax on everything credited so far minus the tax earlier notes took
    back, so the notes of an invoice never take back more tax than the invoice charged.
    """
    taxes = [line for line in invoice.invoice_lines() if line.kind in TAX_KINDS]
    if not taxes or not taxes[0].tax_rate_percent:
        return Money.zero(invoice.currency), Decimal(0), False
    percent = Decimal(taxes[0].tax_rate_percent)
    included = taxes[0].tax_included
    divisor = Decimal(100) + percent if included else Decimal(100)
    before = total(list(invoice.credited_by_line.values()), invoice.currency)

    def tax_on(amount: Money) -> Money:
        return Money(amount.amount * percent / divisor, amount.currency).rounded()

    return tax_on(before + subtotal) - tax_on(before), percent, included


class CreditNote(TenantAggregate):
    """Money given back on an invoice's lines, with a number of its own."""

    @staticmethod
    def create_id(tenant_id: UUID, invoice_id: UUID, request_id: str) -> UUID:
        """Issuing the same request again finds the same credit note."""
        return derived_id(tenant_id, "credit-note", invoice_id, request_id)

    @event("Issued")
    def __init__(
        self, tenant_id: UUID, invoice_id: UUID, request_id: str, invoice_number: str,
        account_id: UUID, number: str, reason: str, lines: list[dict[str, Any]], tax: Money,
        tax_percent: str, tax_included: bool, issued_at: datetime,
    ) -> None:
        self.tenant_id = tenant_id
        self.request_id = request_id
        self.invoice_id = invoice_id
        self.invoice_number = invoice_number
        self.account_id = account_id
        self.number = number
        self.reason = reason
        self.lines = lines
        self.tax = tax
        self.tax_percent = tax_percent
        self.tax_included = tax_included
        self.issued_at = issued_at

    def credited(self) -> list[CreditedLine]:
        """The lines as value objects."""
        return [CreditedLine.from_dict(line) for line in self.lines]

    @property
    def subtotal(self) -> Money:
        """The credited line amounts."""
        return total([line.amount for line in self.credited()], self.tax.currency)

    @property
    def total(self) -> Money:
        """What the invoice's amount due goes down by (included tax is inside the lines)."""
        return self.subtotal if self.tax_included else self.subtotal + self.tax
