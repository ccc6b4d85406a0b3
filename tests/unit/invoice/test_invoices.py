"""Invoices: lines add up to the total, gapless numbers, payments until paid."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.money import Money
from services.invoice.domain.billing import parse_bill_date
from services.invoice.domain.cycles import Period
from services.invoice.domain.drafting import UsageGroup, usage_line
from services.invoice.domain.errors import (
    BillRunInFutureError,
    InvalidPeriodError,
    InvoiceAlreadyFinalizedError,
    InvoiceNotFinalizedError,
    PaymentCurrencyError,
)
from services.invoice.domain.invoices import LINE_FIELDS, Invoice, InvoiceLine, InvoiceNumbering

TENANT = uuid4()
PERIOD = Period(date(2026, 1, 31), date(2026, 2, 28))


def draft(*amounts: str) -> Invoice:
    lines = [InvoiceLine(kind="recurring", description="Home",
                         amount=Money.of(amount, "EUR").rounded()).as_dict() for amount in amounts]
    return Invoice(tenant_id=TENANT, account_id=uuid4(), bill_run_id=uuid4(),
                   period_start=PERIOD.start, period_end=PERIOD.end, currency="EUR",
                   account_name="Ada", billing_email="ada@example.org", lines=lines)


def test_total_is_the_sum_of_rounded_lines() -> None:
    now = datetime.now(UTC)
    usage = UsageGroup(uuid4(), "current", "voice", "", "second", Decimal(125),
                       Money.of("0.041667", "EUR"), 1, "d", now, now)
    invoice = draft("10.004", "0.006")
    invoice.lines.append(usage_line(usage, "").as_dict())
    assert [line.amount.amount for line in invoice.invoice_lines()] == [
        Money.of("10.00", "EUR").amount, Money.of("0.01", "EUR").amount,
        Money.of("0.04", "EUR").amount]
    assert invoice.total == Money.of("10.05", "EUR")


def test_one_invoice_per_account_and_period_by_id() -> None:
    account = uuid4()
    first = Invoice.create_id(TENANT, account, PERIOD.start, PERIOD.end)
    assert first == Invoice.create_id(TENANT, account, PERIOD.start, PERIOD.end)
    assert first != Invoice.create_id(TENANT, account, PERIOD.start, date(2026, 3, 31))


def test_numbers_are_consecutive_across_allocations() -> None:
    numbering = InvoiceNumbering(tenant_id=TENANT)
    assert numbering.allocate(2) == ["INV-00000001", "INV-00000002"]
    assert numbering.allocate(1) == ["INV-00000003"]


def test_finalized_invoice_is_never_finalized_again() -> None:
    invoice = draft("5")
    invoice.finalize("INV-00000001", datetime.now(UTC))
    with pytest.raises(InvoiceAlreadyFinalizedError):
        invoice.finalize("INV-00000002", datetime.now(UTC))


def test_partial_then_full_payment_marks_paid_and_ignores_a_repeat() -> None:
    invoice = draft("10.24")
    invoice.finalize("INV-00000001", datetime.now(UTC))
    first, second = uuid4(), uuid4()
    assert invoice.apply_payment(first, Money.of("4.00", "EUR"))
    assert invoice.status == "partially_paid"
    assert invoice.amount_due == Money.of("6.24", "EUR")
    assert not invoice.apply_payment(first, Money.of("4.00", "EUR"))
    assert invoice.apply_payment(second, Money.of("6.24", "EUR"))
    assert invoice.status == "paid"
    assert [type(e).__name__ for e in invoice.collect_events()][-2:] == ["PaymentApplied", "Paid"]


def test_drafts_and_other_currencies_take_no_payment() -> None:
    invoice = draft("1")
    with pytest.raises(InvoiceNotFinalizedError):
        invoice.apply_payment(uuid4(), Money.of("1", "EUR"))
    invoice.finalize("INV-00000001", datetime.now(UTC))
    with pytest.raises(PaymentCurrencyError):
        invoice.apply_payment(uuid4(), Money.of("1", "USD"))


def test_period_is_half_open_in_the_account_timezone() -> None:
    start, end = Period(date(2026, 3, 1), date(2026, 4, 1)).instants("Europe/Berlin")
    assert start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "field", "error"), [
    ("2026-13-01", "bill_date", InvalidPeriodError),
    ("2026-12-01", "bill_date", BillRunInFutureError),
])
def test_bad_bill_dates_name_the_field(text: str, field: str, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        parse_bill_date(text, today=date(2026, 11, 24))
    assert raised.value.field == field  # type: ignore[attr-defined]


def test_a_drafted_invoice_keeps_its_lines_exactly_as_its_stored_form_reads_back() -> None:
    now = datetime.now(UTC)
    usage = UsageGroup(uuid4(), "current", "data", "", "byte", Decimal("1506216433"),
                       Money.of("0.7531082165", "EUR"), 3, "d", now, now)
    lines = [InvoiceLine(kind="recurring", description="Home", amount=Money.of("10.00", "EUR"),
                         quantity=Decimal("28"), unit="day", plan_name="Home"),
             usage_line(usage, "")]

    invoice = Invoice.drafted(lines, tenant_id=TENANT, account_id=uuid4(), bill_run_id=uuid4(),
                              period_start=PERIOD.start, period_end=PERIOD.end, currency="EUR",
                              account_name="Ada", billing_email="ada@example.org")

    assert invoice.line_items == tuple(lines)
    assert tuple(InvoiceLine.from_dict(line) for line in invoice.lines) == tuple(lines)
    assert invoice.total == Money.of("10.75", "EUR")


def test_a_line_is_stored_with_its_fields_in_the_permanent_order_and_read_back_equal() -> None:
    line = InvoiceLine(kind="usage", description="Voice", amount=Money.of("1.23", "EUR"),
                       quantity=Decimal("120.5"), unit="second", service_type="voice", record_count=3,
                       digest="ab", index=2, period_kind="current", destination_class="UK Mobile",
                       account_id="a", covers_start="2026-10-01", charge_id="c")
    stored = line.as_dict()
    assert list(stored) == ["kind", "description", "amount", "quantity", "unit", "service_type",
                            "record_count", "digest", *LINE_FIELDS]
    assert stored["quantity"] == "120.5" and stored["amount"] == Money.of("1.23", "EUR")
    assert stored["index"] == 2 and stored["charge_id"] == "c" and stored["tax_included"] is False
    assert InvoiceLine.from_dict(stored) == line
