"""The customer ledger: what an account owes and holds, in double entry, and how money settles invoices.

One ledger per account. Every change is an event carrying its decision: the allocations it made
(positive settles an invoice, negative re-opens one) and its postings (debit, credit, amount).
Accounts: receivable (what the customer owes), customer_credit (money held for the customer),
cash, sales and credit_notes. The balance, receivable minus customer credit, always equals the
open invoices' amounts due minus the credit held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money
from services.payment.domain.errors import (
    CurrencyMismatchError,
    InvoiceNotPayableError,
    NotRefundableError,
    UnknownInvoiceError,
)

RECEIVABLE = "receivable"
CUSTOMER_CREDIT = "customer_credit"
CASH = "cash"
SALES = "sales"
CREDIT_NOTES = "credit_notes"
ZERO = Decimal(0)


def ledger_id(tenant_id: UUID, account_id: UUID) -> UUID:
    """The one ledger of an account."""
    return derived_id(tenant_id, "ledger", account_id)


@dataclass
class Receivable:
    """An invoice as the ledger sees it: its total and how much of it is settled."""

    invoice_id: UUID
    number: str
    issue_date: date
    due_date: date | None
    total: Decimal
    allocated: Decimal = ZERO
    credited: Decimal = ZERO
    void: bool = False

    @property
    def due(self) -> Decimal:
        """What is still to pay (never below zero; a void invoice owes nothing)."""
        return ZERO if self.void else max(self.total - self.allocated - self.credited, ZERO)

    @property
    def is_open(self) -> bool:
        """Something is still due."""
        return self.due > 0

    def sort_key(self) -> tuple[date, str, str]:
        """Oldest first: by issue date, then number."""
        return (self.issue_date, self.number, str(self.invoice_id))


@dataclass
class Received:
    """A payment the ledger holds: what came in, what went back, and where it was allocated."""

    amount: Decimal
    reversed: Decimal = ZERO

    @property
    def refundable(self) -> Decimal:
        """What can still be refunded or charged back."""
        return self.amount - self.reversed


class Decision:
    """The allocations and postings one ledger change makes, built before its event is triggered."""

    def __init__(self, ledger: CustomerLedger) -> None:
        self.currency = ledger.currency
        self.allocations: dict[UUID, Decimal] = {}
        self.postings: list[tuple[str, str, Decimal]] = []
        self.credit = ledger.credit
        self.dues = {r.invoice_id: r.due for r in ledger.receivables.values()}
        self.order = sorted(ledger.receivables.values(), key=Receivable.sort_key)

    def include(self, receivable: Receivable) -> None:
        """An invoice this change adds takes its place in the settlement order."""
        self.dues[receivable.invoice_id] = receivable.due
        self.order = sorted([*self.order, receivable], key=Receivable.sort_key)

    def post(self, debit: str, credit: str, amount: Decimal) -> None:
        """Record a double entry (nothing for zero)."""
        if amount:
            self.postings.append((debit, credit, amount))

    def allocate(self, invoice_id: UUID, amount: Decimal) -> None:
        """Settle (or, negative, re-open) part of an invoice."""
        if amount:
            self.allocations[invoice_id] = self.allocations.get(invoice_id, ZERO) + amount
            self.dues[invoice_id] -= amount

    def spread(self, amount: Decimal, first: UUID | None = None) -> Decimal:
        """Allocate money to the target, then the oldest open invoices; return what is left."""
        ordered = [r.invoice_id for r in self.order]
        if first in self.dues:
            ordered.remove(first)
            ordered.insert(0, first)
        for invoice_id in ordered:
            take = min(amount, self.dues[invoice_id])
            if take > 0:
                self.allocate(invoice_id, take)
                amount -= take
        return amount

    def apply_credit(self) -> None:
        """Credit held for the customer settles open invoices, oldest first."""
        if self.credit <= 0:
            return
        left = self.spread(self.credit)
        self.from_credit(self.credit - left, RECEIVABLE)

    def to_credit(self, amount: Decimal, debit: str) -> None:
        """Hold money for the customer."""
        self.post(debit, CUSTOMER_CREDIT, amount)
        self.credit += amount

    def from_credit(self, amount: Decimal, credit: str) -> None:
        """Spend money held for the customer."""
        self.post(CUSTOMER_CREDIT, credit, amount)
        self.credit -= amount

    def event_data(self) -> dict[str, Any]:
        """The allocations and postings as stored in the event."""
        return {
            "allocations": [{"invoice_id": str(invoice_id), "amount": Money(amount, self.currency)}
                            for invoice_id, amount in self.allocations.items() if amount],
            "postings": [{"debit": d, "credit": c, "amount": Money(a, self.currency)}
                         for d, c, a in self.postings],
        }


class CustomerLedger(TenantAggregate):
    """An account's receivables, payments and credit, kept in double entry."""

    @staticmethod
    def create_id(tenant_id: UUID, account_id: UUID, currency: str) -> UUID:
        """One ledger per account."""
        return ledger_id(tenant_id, account_id)

    @event("Opened")
    def __init__(self, tenant_id: UUID, account_id: UUID, currency: str) -> None:
        self.tenant_id = tenant_id
        self.account_id = account_id
        self.currency = currency
        self.receivables: dict[UUID, Receivable] = {}
        self.received: dict[UUID, Received] = {}
        self.balances: dict[str, Decimal] = {}
        self.charges_in_flight: dict[UUID, UUID | None] = {}
        self.credit_notes: set[UUID] = set()

    # --- reading --------------------------------------------------------------------------------

    def money(self, amount: Decimal) -> Money:
        """An amount in the ledger's currency, in its minor unit (all the ledger ever holds)."""
        return Money(amount, self.currency).rounded()

    @property
    def balance(self) -> Money:
        """What the customer owes, net: open invoices' amounts due minus the credit held."""
        owed = self.balances.get(RECEIVABLE, ZERO) + self.balances.get(CUSTOMER_CREDIT, ZERO)
        return self.money(owed)

    @property
    def credit(self) -> Decimal:
        """Money held for the customer (the customer_credit account is a liability: credit balance)."""
        return -self.balances.get(CUSTOMER_CREDIT, ZERO)

    @property
    def credit_held(self) -> Money:
        """Money held for the customer, applied to the next invoice."""
        return self.money(self.credit)

    def open_receivables(self) -> list[Receivable]:
        """Invoices with something due, oldest first."""
        return sorted((r for r in self.receivables.values() if r.is_open), key=Receivable.sort_key)

    def receivable(self, invoice_id: UUID) -> Receivable:
        """An invoice the ledger knows."""
        found = self.receivables.get(invoice_id)
        if found is None:
            raise UnknownInvoiceError(invoice_id)
        return found

    def knows_invoice(self, invoice_id: UUID) -> bool:
        """True once the invoice was added."""
        return invoice_id in self.receivables

    def has_payment(self, payment_id: UUID) -> bool:
        """True once the payment was received."""
        return payment_id in self.received

    def charges_blocking(self, invoice_id: UUID | None) -> list[UUID]:
        """Charges in flight that could pay the same debt: same invoice, or either one untargeted."""
        return [p for p, target in self.charges_in_flight.items()
                if target == invoice_id or target is None or invoice_id is None]

    # --- rules ----------------------------------------------------------------------------------

    def check_currency_of(self, amount: Money) -> None:
        """No implicit currency conversion."""
        if amount.currency != self.currency:
            raise CurrencyMismatchError(amount.currency, self.currency)

    def check_payable(self, invoice_id: UUID) -> None:
        """A targeted invoice must be known and not void."""
        if self.receivable(invoice_id).void:
            raise InvoiceNotPayableError(invoice_id, "void")

    # --- commands -------------------------------------------------------------------------------

    def add_invoice(
        self, invoice_id: UUID, number: str, issue_date: date, due_date: date | None, total: Money
    ) -> bool:
        """A finalized invoice becomes receivable (once); held credit settles it at once."""
        if invoice_id in self.receivables:
            return False
        self.check_currency_of(total)
        decision = Decision(self)
        decision.include(Receivable(invoice_id, number, issue_date, due_date, total.amount))
        if total.amount >= 0:
            decision.post(RECEIVABLE, SALES, total.amount)
        else:
            decision.to_credit(-total.amount, SALES)
        decision.apply_credit()
        self._invoice_added(invoice_id=invoice_id, number=number, issue_date=issue_date,
                            due_date=due_date, total=total, **decision.event_data())
        return True

    def receive_payment(self, payment_id: UUID, amount: Money, invoice_id: UUID | None) -> bool:
        """Money came in: it settles the target (if any), then the oldest invoices; the rest is credit."""
        if payment_id in self.received:
            return False
        self.check_currency_of(amount)
        decision = Decision(self)
        left = decision.spread(amount.amount, invoice_id)
        decision.post(CASH, RECEIVABLE, amount.amount - left)
        decision.to_credit(left, CASH)
        self._payment_received(payment_id=payment_id, amount=amount, invoice_id=invoice_id,
                               **decision.event_data())
        return True

    def reverse_payment(self, payment_id: UUID, amount: Money, reason: str, reference: str) -> None:
        """Money went back (refund or chargeback): credit held first, then re-open invoices, newest first."""
        self.check_currency_of(amount)
        received = self.received.get(payment_id)
        if received is None or amount.amount > received.refundable:
            raise NotRefundableError(payment_id, self.money(received.refundable if received else ZERO))
        decision = Decision(self)
        held = min(amount.amount, decision.credit)
        decision.from_credit(held, CASH)
        left = amount.amount - held
        for receivable in sorted(self.receivables.values(), key=Receivable.sort_key, reverse=True):
            take = min(left, receivable.allocated + decision.allocations.get(receivable.invoice_id, ZERO))
            if take > 0 and not receivable.void:
                decision.allocate(receivable.invoice_id, -take)
                left -= take
        decision.post(RECEIVABLE, CASH, amount.amount - held)
        self._payment_reversed(payment_id=payment_id, amount=amount, reason=reason,
                               reference=reference, **decision.event_data())

    def credit_invoice(self, invoice_id: UUID, credit_note_id: UUID, amount: Money) -> bool:
        """A credit note took back part of an invoice; what was already paid beyond it becomes credit."""
        if credit_note_id in self.credit_notes:
            return False
        self.check_currency_of(amount)
        receivable = self.receivable(invoice_id)
        decision = Decision(self)
        decision.post(CREDIT_NOTES, RECEIVABLE, amount.amount)
        overpaid = max(amount.amount - receivable.due, ZERO)
        released = min(overpaid, receivable.allocated)
        decision.allocate(invoice_id, -released)
        decision.dues[invoice_id] = max(receivable.due - amount.amount, ZERO)
        decision.to_credit(released, RECEIVABLE)
        decision.apply_credit()
        self._invoice_credited(invoice_id=invoice_id, credit_note_id=credit_note_id, amount=amount,
                               **decision.event_data())
        return True

    def void_invoice(self, invoice_id: UUID) -> bool:
        """A void invoice owes nothing; anything allocated to it becomes credit."""
        receivable = self.receivable(invoice_id)
        if receivable.void:
            return False
        decision = Decision(self)
        if receivable.total >= 0:
            decision.post(SALES, RECEIVABLE, receivable.total - receivable.credited)
        else:
            decision.from_credit(-receivable.total, SALES)
        decision.allocate(invoice_id, -receivable.allocated)
        decision.dues[invoice_id] = ZERO
        decision.to_credit(receivable.allocated, RECEIVABLE)
        decision.apply_credit()
        self._invoice_voided(invoice_id=invoice_id, **decision.event_data())
        return True

    def start_charge(self, payment_id: UUID, invoice_id: UUID | None) -> None:
        """A card charge is about to go to the payment gateway."""
        self._charge_started(payment_id=payment_id, invoice_id=invoice_id)

    def end_charge(self, payment_id: UUID) -> None:
        """A card charge failed: nothing came in."""
        if payment_id in self.charges_in_flight:
            self._charge_ended(payment_id=payment_id)

    # --- events ---------------------------------------------------------------------------------

    @event("InvoiceAdded")
    def _invoice_added(
        self, invoice_id: UUID, number: str, issue_date: date, due_date: date | None, total: Money,
        allocations: list[dict[str, Any]], postings: list[dict[str, Any]],
    ) -> None:
        self.receivables[invoice_id] = Receivable(invoice_id, number, issue_date, due_date, total.amount)
        self._apply(allocations, postings)

    @event("PaymentReceived")
    def _payment_received(
        self, payment_id: UUID, amount: Money, invoice_id: UUID | None,
        allocations: list[dict[str, Any]], postings: list[dict[str, Any]],
    ) -> None:
        self.received[payment_id] = Received(amount.amount)
        self.charges_in_flight.pop(payment_id, None)
        self._apply(allocations, postings)

    @event("PaymentReversed")
    def _payment_reversed(
        self, payment_id: UUID, amount: Money, reason: str, reference: str,
        allocations: list[dict[str, Any]], postings: list[dict[str, Any]],
    ) -> None:
        self.received[payment_id].reversed += amount.amount
        self._apply(allocations, postings)

    @event("InvoiceCredited")
    def _invoice_credited(
        self, invoice_id: UUID, credit_note_id: UUID, amount: Money,
        allocations: list[dict[str, Any]], postings: list[dict[str, Any]],
    ) -> None:
        self.credit_notes.add(credit_note_id)
        self.receivables[invoice_id].credited += amount.amount
        self._apply(allocations, postings)

    @event("InvoiceVoided")
    def _invoice_voided(
        self, invoice_id: UUID, allocations: list[dict[str, Any]], postings: list[dict[str, Any]],
    ) -> None:
        self.receivables[invoice_id].void = True
        self._apply(allocations, postings)

    @event("ChargeStarted")
    def _charge_started(self, payment_id: UUID, invoice_id: UUID | None) -> None:
        self.charges_in_flight[payment_id] = invoice_id

    @event("ChargeEnded")
    def _charge_ended(self, payment_id: UUID) -> None:
        self.charges_in_flight.pop(payment_id, None)

    def _apply(self, allocations: list[dict[str, Any]], postings: list[dict[str, Any]]) -> None:
        for allocation in allocations:
            self.receivables[UUID(str(allocation["invoice_id"]))].allocated += allocation["amount"].amount
        for posting in postings:
            amount = posting["amount"].amount
            self.balances[posting["debit"]] = self.balances.get(posting["debit"], ZERO) + amount
            self.balances[posting["credit"]] = self.balances.get(posting["credit"], ZERO) - amount
