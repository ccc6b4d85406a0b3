"""Invoices: lines rounded once, a gapless number at finalization, payments until paid."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money, total
from services.invoice.domain.errors import (
    InvalidCreditError,
    InvoiceAlreadyFinalizedError,
    InvoiceNotCreditableError,
    InvoiceNotFinalizedError,
    InvoiceNotVoidableError,
    PaymentCurrencyError,
)

NUMBER_PREFIX = "INV-"


TAX_KINDS = ("tax",)
USAGE_KINDS = ("usage", "prior_period")
LINE_FIELDS = {
    "index": 0, "period_kind": "", "destination_class": "", "account_id": "",
    "tax_rate_percent": "", "tax_included": False, "subscription_id": "", "plan_id": "",
    "plan_name": "",
    "covers_start": "", "covers_end": "", "cycle_start": "", "charge_id": "", "discount_id": "",
}
"""Line fields added after the first stored invoices, with the value old lines read as."""


class InvoiceLine(NamedTuple):
    """One charge on an invoice, already rounded to the currency's minor unit (an immutable tuple,
    cheap to make: a bill run makes a dozen per invoice). Its `index`, the line's place on the
    invoice, stands in for tuple.index."""

    kind: str
    description: str
    amount: Money
    quantity: Decimal = Decimal(1)
    unit: str = "period"
    service_type: str = ""
    record_count: int = 0
    digest: str = ""
    index: int = 0  # type: ignore[assignment]
    period_kind: str = ""
    destination_class: str = ""
    account_id: str = ""
    tax_rate_percent: str = ""
    tax_included: bool = False
    subscription_id: str = ""
    plan_id: str = ""
    plan_name: str = ""
    covers_start: str = ""
    covers_end: str = ""
    cycle_start: str = ""
    charge_id: str = ""
    discount_id: str = ""

    @property
    def is_included_tax(self) -> bool:
        """A tax the prices already include: shown, not added to the total."""
        return self.kind in TAX_KINDS and self.tax_included

    def as_dict(self) -> dict[str, Any]:
        """The stored form (part of the permanent event schema): every field in declaration order,
        the quantity as text."""
        data = dict(zip(self._fields, self, strict=True))
        data["quantity"] = str(self.quantity)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InvoiceLine:
        """Rebuild from the stored form."""
        return cls(
            kind=data["kind"], description=data["description"], amount=data["amount"],
            quantity=Decimal(data["quantity"]), unit=data["unit"],
            service_type=data["service_type"], record_count=int(data["record_count"]),
            digest=data["digest"],
            **{name: data.get(name, default) for name, default in LINE_FIELDS.items()},
        )


def invoice_total(lines: Sequence[InvoiceLine], currency: str) -> Money:
    """Every line counts except taxes the prices already include."""
    return total([line.amount for line in lines if not line.is_included_tax], currency)


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
        details: dict[str, Any] | None = None,
        usage: list[dict[str, Any]] | None = None,
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
        self.details = details or {}
        self.usage = usage or []
        self.number = ""
        self.finalized_at: datetime | None = None
        self.issue_date: date | None = None
        self.due_date: date | None = None
        self.document_digest = ""
        self.status = "draft"
        self.amount_paid = Money.zero(currency)
        self.amount_credited = Money.zero(currency)
        self.payment_ids: list[UUID] = []
        self.credit_note_ids: list[UUID] = []
        self.credited_by_line: dict[int, Money] = {}
        self.void_reason = ""

    @classmethod
    def drafted(cls, lines: Sequence[InvoiceLine], **fields: Any) -> Invoice:
        """A new draft of these lines: stored in their stored form, kept as the objects they are."""
        invoice = cls(lines=[line.as_dict() for line in lines], **fields)
        invoice.__dict__["line_items"] = tuple(lines)
        return invoice

    @cached_property
    def line_items(self) -> tuple[InvoiceLine, ...]:
        """The lines as value objects, read once (lines never change after the draft)."""
        return tuple(InvoiceLine.from_dict(line) for line in self.lines)

    def invoice_lines(self) -> list[InvoiceLine]:
        """The lines as value objects."""
        return list(self.line_items)

    @property
    def total(self) -> Money:
        """The sum of the rounded lines (included taxes aside): exactly what the lines add up to."""
        return invoice_total(self.line_items, self.currency)

    @property
    def tax_total(self) -> Money:
        """The tax lines, included or not."""
        return total([line.amount for line in self.line_items if line.kind in TAX_KINDS], self.currency)

    @property
    def subtotal(self) -> Money:
        """The lines before tax."""
        return total([line.amount for line in self.line_items if line.kind not in TAX_KINDS], self.currency)

    @property
    def amount_due(self) -> Money:
        """What is still to pay after payments and credit notes."""
        return self.total - self.amount_paid - self.amount_credited

    @property
    def locale(self) -> str:
        """The customer's locale the invoice is printed in."""
        return str(self.details.get("locale", "en"))

    def finalize(
        self, number: str, finalized_at: datetime, issue_date: date | None = None,
        due_date: date | None = None, document_digest: str = "",
    ) -> None:
        """Give the draft its number (and, from a bill run, issue it); from now on it never changes."""
        self.check_is_draft()
        self._finalized(number=number, finalized_at=finalized_at, total=self.total,
                        issue_date=issue_date, due_date=due_date, document_digest=document_digest)

    @event("Finalized")
    def _finalized(
        self, number: str, finalized_at: datetime, total: Money, issue_date: date | None = None,
        due_date: date | None = None, document_digest: str = "",
    ) -> None:
        self.number = number
        self.finalized_at = finalized_at
        self.issue_date = issue_date
        self.due_date = due_date
        self.document_digest = document_digest
        self.status = "finalized" if issue_date is None else "issued"

    def apply_payment(self, payment_id: UUID, amount: Money) -> bool:
        """Apply a payment once; return False when it was already applied."""
        if payment_id in self.payment_ids:
            return False
        self.check_is_payable()
        self.check_currency_of(amount)
        self._payment_applied(payment_id=payment_id, amount=amount)
        self._settle()
        return True

    def _settle(self) -> None:
        if not self.amount_due.is_positive:
            self._paid(amount_paid=self.amount_paid)
        elif self.amount_paid.is_positive and self.status != "partially_paid":
            self._partially_paid(amount_due=self.amount_due)

    def apply_allocation(self, allocation_id: UUID, amount: Money) -> bool:
        """The customer ledger settled (or, negative, re-opened) part of this invoice; applied once."""
        if allocation_id in self.payment_ids:
            return False
        self.check_currency_of(amount)
        if amount.is_positive:
            self._payment_applied(payment_id=allocation_id, amount=amount)
        else:
            self._payment_reversed(payment_id=allocation_id, amount=-amount)
        if self.status not in ("draft", "void"):
            self._resettle()
        return True

    def _resettle(self) -> None:
        if not self.amount_due.is_positive:
            if self.status != "paid":
                self._paid(amount_paid=self.amount_paid)
        elif self.amount_paid.is_positive:
            if self.status not in ("partially_paid", "overdue"):
                self._partially_paid(amount_due=self.amount_due)
        elif self.status in ("paid", "partially_paid"):
            self._reopened(amount_due=self.amount_due)

    @event("PaymentReversed")
    def _payment_reversed(self, payment_id: UUID, amount: Money) -> None:
        self.payment_ids.append(payment_id)
        self.amount_paid = self.amount_paid - amount

    @event("Reopened")
    def _reopened(self, amount_due: Money) -> None:
        self.status = "issued"

    @event("PaymentApplied")
    def _payment_applied(self, payment_id: UUID, amount: Money) -> None:
        self.payment_ids.append(payment_id)
        self.amount_paid = self.amount_paid + amount

    @event("PartiallyPaid")
    def _partially_paid(self, amount_due: Money) -> None:
        self.status = "partially_paid"

    @event("Paid")
    def _paid(self, amount_paid: Money) -> None:
        self.status = "paid"

    def mark_overdue(self, today: date) -> bool:
        """Past its due date with something still due: overdue (once)."""
        if self.status not in ("issued", "partially_paid") or self.due_date is None:
            return False
        if today <= self.due_date or not self.amount_due.is_positive:
            return False
        self._overdue(amount_due=self.amount_due, on=today)
        return True

    @event("BecameOverdue")
    def _overdue(self, amount_due: Money, on: date) -> None:
        self.status = "overdue"

    def void(self, reason: str) -> None:
        """Cancel a finalized invoice nothing was paid on or credited; its number stays used."""
        if self.status not in ("finalized", "issued", "overdue"):
            raise InvoiceNotVoidableError(f"invoice {self.id} is {self.status}")
        if self.payment_ids or self.credit_note_ids:
            raise InvoiceNotVoidableError(f"invoice {self.id} has payments or credit notes")
        if not reason.strip():
            raise InvalidCreditError("reason", "must not be empty")
        self._voided(reason=reason.strip())

    @event("Voided")
    def _voided(self, reason: str) -> None:
        self.status = "void"
        self.void_reason = reason

    def creditable(self, index: int) -> Money:
        """What line `index` charged and no credit note took back yet."""
        line = self.line_at(index)
        return line.amount - self.credited_by_line.get(index, Money.zero(self.currency))

    def line_at(self, index: int) -> InvoiceLine:
        """The line at that position."""
        lines = self.invoice_lines()
        if not 0 <= index < len(lines):
            raise InvalidCreditError("lines.line_index", f"the invoice has lines 0..{len(lines) - 1}")
        return lines[index]

    def check_creditable(self) -> None:
        """Credit notes go to finalized invoices that are not void."""
        if self.status in ("draft", "void"):
            raise InvoiceNotCreditableError(f"invoice {self.id} is {self.status}")

    def apply_credit(
        self, credit_note_id: UUID, line_amounts: dict[int, Money], total_credited: Money
    ) -> None:
        """A credit note took back these line amounts (and its tax); it reduces what is due."""
        if credit_note_id in self.credit_note_ids:
            return
        self._credit_applied(credit_note_id=credit_note_id,
                             lines={str(i): a for i, a in line_amounts.items()},
                             amount=total_credited)
        if self.status in ("issued", "finalized", "overdue", "partially_paid"):
            self._settle()

    @event("CreditApplied")
    def _credit_applied(self, credit_note_id: UUID, lines: dict[str, Money], amount: Money) -> None:
        self.credit_note_ids.append(credit_note_id)
        self.amount_credited = self.amount_credited + amount
        for index, credited in lines.items():
            before = self.credited_by_line.get(int(index), Money.zero(self.currency))
            self.credited_by_line[int(index)] = before + credited

    def check_is_draft(self) -> None:
        """Only a draft can be finalized."""
        if self.status != "draft":
            raise InvoiceAlreadyFinalizedError(f"invoice {self.id} is already {self.status}")

    def check_is_payable(self) -> None:
        """Payments go to finalized invoices that are not void."""
        if self.status == "draft":
            raise InvoiceNotFinalizedError(f"invoice {self.id} is not finalized")
        if self.status == "void":
            raise InvoiceNotFinalizedError(f"invoice {self.id} is void")

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

    def allocate(self, count: int, prefix: str = NUMBER_PREFIX) -> list[str]:
        """Take the next count numbers."""
        first = self.last_number + 1
        self._numbers_allocated(first=first, count=count)
        return [f"{prefix}{n:08d}" for n in range(first, first + count)]

    @event("NumbersAllocated")
    def _numbers_allocated(self, first: int, count: int) -> None:
        self.last_number = first + count - 1
