"""Invoice lifecycle: issued, partially paid, paid, overdue, void, credited; old lines still load."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.money import Money
from services.invoice.domain.errors import (
    InvalidCreditError,
    InvoiceNotCreditableError,
    InvoiceNotFinalizedError,
    InvoiceNotVoidableError,
    PaymentCurrencyError,
)
from services.invoice.domain.invoices import Invoice, InvoiceLine

FINALIZED_AT = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
ISSUED = date(2026, 4, 1)
DUE = date(2026, 4, 15)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def draft(*amounts: str, tax: InvoiceLine | None = None) -> Invoice:
    lines = [InvoiceLine(kind="recurring", description="Basic", amount=eur(a), index=i)
             for i, a in enumerate(amounts)]
    if tax is not None:
        lines.append(tax)
    return Invoice(tenant_id=uuid4(), account_id=uuid4(), bill_run_id=uuid4(),
                   period_start=date(2026, 3, 1), period_end=date(2026, 4, 1), currency="EUR",
                   account_name="Ada Ltd", billing_email="billing@example.org",
                   lines=[line.as_dict() for line in lines])


def issued(*amounts: str) -> Invoice:
    invoice = draft(*amounts)
    invoice.finalize("INV-00000001", FINALIZED_AT, issue_date=ISSUED, due_date=DUE)
    return invoice


def event_names(invoice: Invoice) -> list[str]:
    return [type(event).__name__ for event in invoice.collect_events()]


def test_finalize_with_an_issue_date_issues_the_invoice() -> None:
    invoice = issued("30.00")
    assert invoice.status == "issued"
    assert (invoice.number, invoice.issue_date, invoice.due_date) == ("INV-00000001", ISSUED, DUE)
    assert invoice.finalized_at == FINALIZED_AT


def test_finalize_without_an_issue_date_leaves_it_finalized() -> None:
    invoice = draft("30.00")
    invoice.finalize("INV-00000001", FINALIZED_AT, document_digest="abc")
    assert (invoice.status, invoice.issue_date, invoice.document_digest) == ("finalized", None, "abc")


def test_a_part_payment_makes_the_invoice_partially_paid() -> None:
    invoice = issued("30.00")
    assert invoice.apply_payment(uuid4(), eur("10.00"))
    assert invoice.status == "partially_paid"
    assert invoice.amount_due == eur("20.00")


def test_payments_that_cover_the_total_make_it_paid() -> None:
    invoice = issued("30.00")
    invoice.apply_payment(uuid4(), eur("10.00"))
    invoice.apply_payment(uuid4(), eur("20.00"))
    assert invoice.status == "paid"
    assert invoice.amount_due == eur("0.00")
    assert event_names(invoice)[-4:] == ["PaymentApplied", "PartiallyPaid", "PaymentApplied", "Paid"]


def test_a_second_part_payment_records_partially_paid_once() -> None:
    invoice = issued("30.00")
    invoice.apply_payment(uuid4(), eur("5.00"))
    invoice.apply_payment(uuid4(), eur("5.00"))
    assert event_names(invoice).count("PartiallyPaid") == 1
    assert invoice.amount_paid == eur("10.00")


def test_the_same_payment_is_applied_once() -> None:
    invoice = issued("30.00")
    payment = uuid4()
    assert invoice.apply_payment(payment, eur("10.00"))
    assert not invoice.apply_payment(payment, eur("10.00"))
    assert invoice.amount_paid == eur("10.00")


def test_a_draft_takes_no_payment() -> None:
    with pytest.raises(InvoiceNotFinalizedError):
        draft("30.00").apply_payment(uuid4(), eur("30.00"))


def test_a_payment_in_another_currency_is_refused() -> None:
    with pytest.raises(PaymentCurrencyError):
        issued("30.00").apply_payment(uuid4(), Money.of("30.00", "USD"))


def test_an_unpaid_invoice_past_its_due_date_becomes_overdue_once() -> None:
    invoice = issued("30.00")
    assert not invoice.mark_overdue(DUE)
    assert invoice.mark_overdue(date(2026, 4, 16))
    assert invoice.status == "overdue"
    assert not invoice.mark_overdue(date(2026, 4, 17))
    assert event_names(invoice).count("BecameOverdue") == 1


def test_a_partially_paid_invoice_past_its_due_date_becomes_overdue() -> None:
    invoice = issued("30.00")
    invoice.apply_payment(uuid4(), eur("10.00"))
    assert invoice.mark_overdue(date(2026, 4, 16))
    assert invoice.status == "overdue"


def test_paid_drafts_and_invoices_without_due_date_never_become_overdue() -> None:
    paid = issued("30.00")
    paid.apply_payment(uuid4(), eur("30.00"))
    assert not paid.mark_overdue(date(2027, 1, 1))
    assert not draft("30.00").mark_overdue(date(2027, 1, 1))
    undated = draft("30.00")
    undated.finalize("INV-00000001", FINALIZED_AT, issue_date=ISSUED)
    assert not undated.mark_overdue(date(2027, 1, 1))


def test_an_overdue_invoice_paid_in_full_is_paid() -> None:
    invoice = issued("30.00")
    invoice.mark_overdue(date(2026, 4, 16))
    invoice.apply_payment(uuid4(), eur("30.00"))
    assert invoice.status == "paid"


@pytest.mark.parametrize("status_after", ["issued", "overdue"])
def test_an_unpaid_invoice_can_be_voided_with_a_reason(status_after: str) -> None:
    invoice = issued("30.00")
    if status_after == "overdue":
        invoice.mark_overdue(date(2026, 4, 16))
    invoice.void("  billed twice ")
    assert (invoice.status, invoice.void_reason) == ("void", "billed twice")
    assert invoice.number == "INV-00000001"


def test_a_void_needs_a_reason() -> None:
    with pytest.raises(InvalidCreditError) as caught:
        issued("30.00").void("  ")
    assert caught.value.field == "reason"


def test_a_draft_cannot_be_voided() -> None:
    with pytest.raises(InvoiceNotVoidableError):
        draft("30.00").void("mistake")


def test_an_invoice_with_a_payment_cannot_be_voided() -> None:
    invoice = issued("30.00")
    invoice.apply_payment(uuid4(), eur("10.00"))
    with pytest.raises(InvoiceNotVoidableError):
        invoice.void("mistake")
    paid = issued("30.00")
    paid.apply_payment(uuid4(), eur("30.00"))
    with pytest.raises(InvoiceNotVoidableError):
        paid.void("mistake")


def test_an_invoice_with_a_credit_note_cannot_be_voided() -> None:
    invoice = issued("30.00")
    invoice.apply_credit(uuid4(), {0: eur("5.00")}, eur("5.00"))
    assert invoice.status == "issued"
    with pytest.raises(InvoiceNotVoidableError):
        invoice.void("mistake")


def test_a_void_invoice_takes_no_payment_nor_credit_note_and_cannot_be_voided_again() -> None:
    invoice = issued("30.00")
    invoice.void("mistake")
    with pytest.raises(InvoiceNotFinalizedError):
        invoice.apply_payment(uuid4(), eur("30.00"))
    with pytest.raises(InvoiceNotCreditableError):
        invoice.check_creditable()
    with pytest.raises(InvoiceNotVoidableError):
        invoice.void("again")


def test_a_credit_reduces_the_amount_due_and_is_remembered_per_line() -> None:
    invoice = issued("30.00", "10.00")
    invoice.apply_credit(uuid4(), {0: eur("5.00")}, eur("6.00"))
    assert invoice.amount_credited == eur("6.00")
    assert invoice.amount_due == eur("34.00")
    assert invoice.creditable(0) == eur("25.00")
    assert invoice.creditable(1) == eur("10.00")


def test_the_same_credit_note_is_applied_once() -> None:
    invoice = issued("30.00")
    note = uuid4()
    invoice.apply_credit(note, {0: eur("5.00")}, eur("5.00"))
    invoice.apply_credit(note, {0: eur("5.00")}, eur("5.00"))
    assert invoice.amount_due == eur("25.00")
    assert invoice.creditable(0) == eur("25.00")


def test_a_credit_that_settles_what_is_left_marks_the_invoice_paid() -> None:
    invoice = issued("30.00")
    invoice.apply_payment(uuid4(), eur("20.00"))
    invoice.apply_credit(uuid4(), {0: eur("10.00")}, eur("10.00"))
    assert invoice.status == "paid"
    assert invoice.amount_due == eur("0.00")


def test_a_draft_takes_no_credit_note() -> None:
    with pytest.raises(InvoiceNotCreditableError):
        draft("30.00").check_creditable()


def test_included_tax_is_shown_but_not_in_the_total() -> None:
    tax = InvoiceLine(kind="tax", description="VAT 20% (included)", amount=eur("5.00"), index=1,
                      tax_rate_percent="20", tax_included=True)
    invoice = draft("30.00", tax=tax)
    assert (invoice.total, invoice.subtotal, invoice.tax_total) == (eur("30.00"), eur("30.00"), eur("5.00"))


def test_exclusive_tax_is_added_to_the_total() -> None:
    tax = InvoiceLine(kind="tax", description="VAT 20%", amount=eur("6.00"), index=1,
                      tax_rate_percent="20")
    invoice = draft("30.00", tax=tax)
    assert (invoice.total, invoice.subtotal, invoice.tax_total) == (eur("36.00"), eur("30.00"), eur("6.00"))


def test_a_line_stored_before_the_new_fields_still_loads_with_defaults() -> None:
    stored = {"kind": "usage", "description": "Voice", "amount": eur("1.23"), "quantity": "60",
              "unit": "second", "service_type": "voice", "record_count": 3, "digest": "d"}
    line = InvoiceLine.from_dict(stored)
    assert line == InvoiceLine(kind="usage", description="Voice", amount=eur("1.23"),
                               quantity=Decimal(60), unit="second", service_type="voice",
                               record_count=3, digest="d")
    assert (line.index, line.account_id, line.tax_included, line.period_kind) == (0, "", False, "")
    assert not line.is_included_tax


def test_an_invoice_of_old_lines_adds_them_up() -> None:
    stored = {"kind": "recurring", "description": "Basic", "amount": eur("30.00"), "quantity": "1",
              "unit": "period", "service_type": "", "record_count": 0, "digest": ""}
    invoice = draft()
    invoice.lines = [stored, dict(stored, amount=eur("0.50"))]
    assert invoice.total == eur("30.50")
    assert [line.kind for line in invoice.invoice_lines()] == ["recurring", "recurring"]


def test_a_line_survives_its_stored_form() -> None:
    line = InvoiceLine(kind="proration", description="Basic", amount=eur("-3.10"), quantity=Decimal(3),
                       unit="day", index=4, account_id="a", subscription_id="s", plan_id="p",
                       plan_name="Basic", covers_start="2026-03-01", covers_end="2026-03-04",
                       cycle_start="2026-03-01", charge_id="", discount_id="d")
    assert InvoiceLine.from_dict(line.as_dict()) == line
