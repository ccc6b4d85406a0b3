"""Invoices: lines rounded once, a gapless number at finalization, payments until paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money, total
from services.invoice.domain.errors import (
    InvoiceAlreadyFinalizedError,
    InvoiceNotFinalizedError,
    PaymentCurrencyError,
)

NUMBER_PREFIX = "INV-"


@dataclass(frozen=True)
class InvoiceLine:
    """One charge on an invoice, already rounded to the currency's minor unit."""

    kind: str
    description: str
    amount: Money
    quantity: Decimal = Decimal(1)
    unit: str = "period"
    service_type: str = ""
    record_count: int = 0
    digest: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The stored form (part of the permanent event schema)."""
        return {
            "kind": self.kind, "description": self.description, "amount": self.amount,
            "quantity": str(self.quantity), "unit": self.unit,
            "service_type": self.service_type, "record_count": self.record_count,
            "digest": self.digest,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InvoiceLine:
        """Rebuild from the stored form."""
        return cls(
            kind=data["kind"], description=data["description"], amount=data["amount"],
            quantity=Decimal(data["quantity"]), unit=data["unit"],
            service_type=data["service_type"], record_count=int(data["record_count"]),
            digest=data["digest"],
        )


class Invoice(TenantAggregate):
    """A bill for one account and one period."""

    @staticmethod
    def create_id(
        tenant_id: UUID, account_id: UUID, period_start: date, period_end: date
    ) -> UUID:
        """One invoice per account and period, enforced by the id."""
        return derived_id(tenant_id, "invoice", account_id, period_start, period_end)

    @event("Drafted")
    def __init__(
        self,
        tenant_id: UUID,
        account_id: UUID,
        bill_run_id: UUID,
        period_start: date,
        period_end: date,
        currency: str,
        account_name: str,
        billing_email: str,
        lines: list[dict[str, Any]],
    ) -> None:
        self.tenant_id = tenant_id
        self.account_id = account_id
        self.bill_run_id = bill_run_id
        self.period_start = period_start
        self.period_end = period_end
        self.currency = currency
        self.account_name = account_name
        self.billing_email = billing_email
        self.lines = lines
        self.number = ""
        self.finalized_at: datetime | None = None
        self.status = "draft"
        self.amount_paid = Money.zero(currency)
        self.payment_ids: list[UUID] = []

    def invoice_lines(self) -> list[InvoiceLine]:
        """The lines as value objects."""
        return [InvoiceLine.from_dict(line) for line in self.lines]

    @property
    def total(self) -> Money:
        """The sum of the rounded lines: always exactly what the lines add up to."""
        return total([line.amount for line in self.invoice_lines()], self.currency)

    @property
    def amount_due(self) -> Money:
        """What is still to pay."""
        return self.total - self.amount_paid

    def finalize(self, number: str, finalized_at: datetime) -> None:
        """Give the draft its number; from now on it never changes."""
        self.check_is_draft()
        self._finalized(number=number, finalized_at=finalized_at, total=self.total)

    @event("Finalized")
    def _finalized(self, number: str, finalized_at: datetime, total: Money) -> None:
        self.number = number
        self.finalized_at = finalized_at
        self.status = "finalized"

    def apply_payment(self, payment_id: UUID, amount: Money) -> bool:
        """Apply a payment once; return False when it was already applied."""
        if payment_id in self.payment_ids:
            return False
        self.check_is_payable()
        self.check_currency_of(amount)
        self._payment_applied(payment_id=payment_id, amount=amount)
        if not self.amount_due.is_positive:
            self._paid(amount_paid=self.amount_paid)
        return True

    @event("PaymentApplied")
    def _payment_applied(self, payment_id: UUID, amount: Money) -> None:
        self.payment_ids.append(payment_id)
        self.amount_paid = self.amount_paid + amount

    @event("Paid")
    def _paid(self, amount_paid: Money) -> None:
        self.status = "paid"

    def check_is_draft(self) -> None:
        """Only a draft can be finalized."""
        if self.status != "draft":
            raise InvoiceAlreadyFinalizedError(f"invoice {self.id} is already {self.status}")

    def check_is_payable(self) -> None:
        """Payments go to finalized invoices."""
        if self.status == "draft":
            raise InvoiceNotFinalizedError(f"invoice {self.id} is not finalized")

    def check_currency_of(self, amount: Money) -> None:
        """No implicit currency conversion."""
        if amount.currency != self.currency:
            raise PaymentCurrencyError(
                f"payment in {amount.currency} for an invoice in {self.currency}"
            )


class InvoiceNumbering(TenantAggregate):
    """A tenant's gapless invoice number sequence.

    Numbers are allocated in the same atomic save as the invoices that take them, so a
    number is never skipped or reused: a concurrent allocation fails and is retried.
    """

    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        """One sequence per tenant."""
        return derived_id(tenant_id, "invoice-numbering")

    @event("Started")
    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.last_number = 0

    def allocate(self, count: int) -> list[str]:
        """Take the next count numbers."""
        first = self.last_number + 1
        self._numbers_allocated(first=first, count=count)
        return [f"{NUMBER_PREFIX}{n:08d}" for n in range(first, first + count)]

    @event("NumbersAllocated")
    def _numbers_allocated(self, first: int, count: int) -> None:
        self.last_number = first + count - 1
