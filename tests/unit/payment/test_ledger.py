"""The customer ledger: allocation oldest first, credit, refunds, credit notes, voids, double entry."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.money import Money
from services.payment.domain.errors import (
    CurrencyMismatchError,
    NotRefundableError,
    UnknownInvoiceError,
)
from services.payment.domain.ledger import CUSTOMER_CREDIT, RECEIVABLE, CustomerLedger

TENANT = uuid4()


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def ledger() -> CustomerLedger:
    return CustomerLedger(tenant_id=TENANT, account_id=uuid4(), currency="GBP")


def invoice(book: CustomerLedger, total: str, day: int = 1) -> UUID:
    invoice_id = uuid4()
    issued = date(2026, 1, 1) + timedelta(days=day)
    book.add_invoice(invoice_id, f"INV-{day:04d}", issued, issued + timedelta(days=14), gbp(total))
    return invoice_id


def due(book: CustomerLedger, invoice_id: UUID) -> Decimal:
    return book.receivable(invoice_id).due


def check_invariants(book: CustomerLedger) -> None:
    """Double entry balances; receivable = open dues; balance = open dues minus credit."""
    assert sum(book.balances.values(), Decimal(0)) == 0
    open_due = sum((r.due for r in book.receivables.values()), Decimal(0))
    assert book.balances.get(RECEIVABLE, Decimal(0)) == open_due
    assert -book.balances.get(CUSTOMER_CREDIT, Decimal(0)) == book.credit
    assert book.balance == gbp(str(open_due - book.credit))
    for receivable in book.receivables.values():
        assert receivable.allocated >= 0
        if not receivable.void:
            assert receivable.allocated + receivable.credited <= max(receivable.total, Decimal(0))


def test_payment_settles_oldest_invoice_first_and_leaves_the_rest_partly_paid() -> None:
    book = ledger()
    old, new = invoice(book, "30.00", day=1), invoice(book, "50.00", day=20)
    book.receive_payment(uuid4(), gbp("40.00"), None)
    assert due(book, old) == 0
    assert due(book, new) == Decimal("40.00")
    check_invariants(book)


def test_targeted_payment_settles_its_invoice_first() -> None:
    book = ledger()
    old, new = invoice(book, "30.00", day=1), invoice(book, "50.00", day=20)
    book.receive_payment(uuid4(), gbp("60.00"), new)
    assert due(book, new) == 0
    assert due(book, old) == Decimal("20.00")
    check_invariants(book)


def test_overpayment_becomes_credit_that_settles_the_next_invoice() -> None:
    book = ledger()
    first = invoice(book, "30.00", day=1)
    book.receive_payment(uuid4(), gbp("45.00"), first)
    assert book.credit_held == gbp("15.00")
    assert book.balance == gbp("-15.00")
    following = invoice(book, "20.00", day=31)
    assert due(book, following) == Decimal("5.00")
    assert book.credit_held == gbp("0")
    check_invariants(book)


def test_refund_takes_held_credit_first_then_reopens_the_newest_invoice() -> None:
    book = ledger()
    first = invoice(book, "30.00", day=1)
    payment = uuid4()
    book.receive_payment(payment, gbp("40.00"), None)
    book.reverse_payment(payment, gbp("25.00"), "refund", "r1")
    assert book.credit_held == gbp("0")
    assert due(book, first) == Decimal("15.00")
    check_invariants(book)


def test_refund_beyond_what_is_left_of_the_payment_is_refused() -> None:
    book = ledger()
    invoice(book, "30.00")
    payment = uuid4()
    book.receive_payment(payment, gbp("30.00"), None)
    book.reverse_payment(payment, gbp("20.00"), "refund", "r1")
    with pytest.raises(NotRefundableError):
        book.reverse_payment(payment, gbp("10.01"), "refund", "r2")


def test_credit_note_on_a_paid_invoice_becomes_credit() -> None:
    book = ledger()
    paid = invoice(book, "30.00")
    book.receive_payment(uuid4(), gbp("30.00"), None)
    book.credit_invoice(paid, uuid4(), gbp("12.00"))
    assert book.credit_held == gbp("12.00")
    assert book.receivable(paid).allocated == Decimal("18.00")
    check_invariants(book)


def test_credit_note_on_an_open_invoice_reduces_what_is_due() -> None:
    book = ledger()
    open_invoice = invoice(book, "30.00")
    book.credit_invoice(open_invoice, uuid4(), gbp("10.00"))
    assert due(book, open_invoice) == Decimal("20.00")
    assert book.credit_held == gbp("0")
    check_invariants(book)


def test_voiding_a_paid_invoice_moves_its_money_to_the_other_open_invoices() -> None:
    book = ledger()
    paid = invoice(book, "30.00", day=1)
    book.receive_payment(uuid4(), gbp("30.00"), paid)
    other = invoice(book, "50.00", day=20)
    book.void_invoice(paid)
    assert due(book, other) == Decimal("20.00")
    assert due(book, paid) == 0
    check_invariants(book)


def test_each_event_carries_its_allocations_and_balanced_postings() -> None:
    book = ledger()
    first = invoice(book, "30.00")
    book.receive_payment(uuid4(), gbp("35.00"), None)
    received = book.pending_events[-1]
    assert received.allocations == [{"invoice_id": str(first), "amount": gbp("30.00")}]  # type: ignore[attr-defined]
    debits = sum(p["amount"].amount for p in received.postings)  # type: ignore[attr-defined]
    assert debits == Decimal("35.00")


def test_money_in_another_currency_is_refused() -> None:
    book = ledger()
    with pytest.raises(CurrencyMismatchError):
        book.receive_payment(uuid4(), Money.of("1", "EUR"), None)


def test_unknown_invoice_is_named() -> None:
    with pytest.raises(UnknownInvoiceError):
        ledger().credit_invoice(uuid4(), uuid4(), gbp("1"))


def test_the_same_payment_is_received_once() -> None:
    book = ledger()
    invoice(book, "30.00")
    payment = uuid4()
    assert book.receive_payment(payment, gbp("10.00"), None)
    assert not book.receive_payment(payment, gbp("10.00"), None)
    assert book.balance == gbp("20.00")


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), AMOUNTS),
        st.tuples(st.just("pay"), AMOUNTS),
        st.tuples(st.just("refund"), AMOUNTS),
        st.tuples(st.just("credit_note"), AMOUNTS),
        st.tuples(st.just("void"), AMOUNTS),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(STEPS)
def test_any_history_keeps_the_books_balanced(steps: list[tuple[str, Decimal]]) -> None:
    """Whatever happens, double entry holds and the balance is open dues minus credit."""
    book = ledger()
    invoices: list[UUID] = []
    payments: list[UUID] = []
    for day, (kind, amount) in enumerate(steps):
        money = Money(amount, "GBP")
        if kind == "invoice":
            invoices.append(invoice(book, str(amount), day=day))
        elif kind == "pay":
            payments.append(uuid4())
            book.receive_payment(payments[-1], money, invoices[-1] if invoices else None)
        elif kind == "refund" and payments:
            left = book.received[payments[0]].refundable
            if left > 0:
                book.reverse_payment(payments[0], Money(min(amount, left), "GBP"), "refund", str(day))
        elif kind == "credit_note" and invoices:
            target = book.receivable(invoices[0])
            creditable = target.total - target.credited
            if creditable > 0 and not target.void:
                book.credit_invoice(invoices[0], uuid4(), Money(min(amount, creditable), "GBP"))
        elif kind == "void" and invoices:
            book.void_invoice(invoices[-1])
        check_invariants(book)
