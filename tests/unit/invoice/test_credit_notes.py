"""Credit notes: which line amounts may be taken back, and the tax that goes with them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.money import Money
from services.invoice.domain.credit_notes import CreditedLine, CreditNote, credit_tax, credited_lines
from services.invoice.domain.errors import InvalidCreditError, InvoiceNotCreditableError
from services.invoice.domain.invoices import Invoice, InvoiceLine

NOW = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def tax_line(percent: str, included: bool, amount: str = "0.00") -> InvoiceLine:
    label = f"VAT {percent}%" + (" (included)" if included else "")
    return InvoiceLine(kind="tax", description=label, amount=eur(amount), tax_rate_percent=percent,
                       tax_included=included)


def invoice_of(*lines: InvoiceLine, finalize: bool = True) -> Invoice:
    invoice = Invoice(tenant_id=uuid4(), account_id=uuid4(), bill_run_id=uuid4(),
                      period_start=date(2026, 3, 1), period_end=date(2026, 4, 1), currency="EUR",
                      account_name="Ada Ltd", billing_email="billing@example.org",
                      lines=[line.as_dict() for line in lines])
    if finalize:
        invoice.finalize("INV-00000007", NOW, issue_date=date(2026, 4, 1), due_date=date(2026, 4, 15))
    return invoice


def charged(description: str, amount: str) -> InvoiceLine:
    return InvoiceLine(kind="recurring", description=description, amount=eur(amount))


def standard() -> Invoice:
    return invoice_of(charged("Basic", "30.00"), charged("Router", "49.99"),
                      InvoiceLine(kind="one_time", description="Goodwill", amount=eur("-5.00")),
                      tax_line("20", included=False, amount="15.00"))


def refused(invoice: Invoice, requested: list[tuple[int, str]]) -> InvalidCreditError:
    with pytest.raises(InvalidCreditError) as caught:
        credited_lines(invoice, requested)
    return caught.value


def test_a_stated_amount_is_credited_with_the_line_description() -> None:
    assert credited_lines(standard(), [(0, "10.00"), (1, "0.99")]) == [
        CreditedLine(0, "Basic", eur("10.00")), CreditedLine(1, "Router", eur("0.99"))]


def test_an_empty_amount_credits_all_that_is_left_on_the_line() -> None:
    invoice = standard()
    assert credited_lines(invoice, [(0, "")]) == [CreditedLine(0, "Basic", eur("30.00"))]
    invoice.apply_credit(uuid4(), {0: eur("12.50")}, eur("15.00"))
    assert credited_lines(invoice, [(0, "")]) == [CreditedLine(0, "Basic", eur("17.50"))]


def test_the_whole_line_may_be_credited_in_two_notes() -> None:
    invoice = standard()
    invoice.apply_credit(uuid4(), {0: eur("12.50")}, eur("15.00"))
    assert credited_lines(invoice, [(0, "17.50")]) == [CreditedLine(0, "Basic", eur("17.50"))]


def test_a_tax_line_is_refused() -> None:
    error = refused(standard(), [(0, "1.00"), (3, "1.00")])
    assert error.field == "lines[1].line_index"


def test_more_than_is_left_on_the_line_is_refused() -> None:
    error = refused(standard(), [(0, "30.01")])
    assert error.field == "lines[0].amount"
    invoice = standard()
    invoice.apply_credit(uuid4(), {0: eur("25.00")}, eur("30.00"))
    assert refused(invoice, [(0, "5.01")]).field == "lines[0].amount"


def test_a_fully_credited_line_has_nothing_left() -> None:
    invoice = standard()
    invoice.apply_credit(uuid4(), {0: eur("30.00")}, eur("36.00"))
    assert refused(invoice, [(0, "")]).field == "lines[0].amount"


def test_the_same_line_twice_in_one_note_is_refused() -> None:
    error = refused(standard(), [(0, "1.00"), (1, "1.00"), (0, "1.00")])
    assert error.field == "lines[2].line_index"


@pytest.mark.parametrize("amount", ["0", "0.00", "-1.00"])
def test_zero_or_negative_amounts_are_refused(amount: str) -> None:
    assert refused(standard(), [(0, amount)]).field == "lines[0].amount"


def test_a_credit_line_has_nothing_to_credit() -> None:
    assert refused(standard(), [(2, "")]).field == "lines[0].amount"


@pytest.mark.parametrize("amount", ["1.001", "ten", "NaN"])
def test_an_amount_that_is_not_money_of_the_currency_is_refused(amount: str) -> None:
    assert refused(standard(), [(0, amount)]).field == "lines[0].amount"


@pytest.mark.parametrize("index", [-1, 4])
def test_a_line_index_outside_the_invoice_is_refused(index: int) -> None:
    assert refused(standard(), [(index, "1.00")]).field == "lines.line_index"


def test_a_note_without_lines_is_refused() -> None:
    assert refused(standard(), []).field == "lines"


def test_a_draft_or_void_invoice_takes_no_credit_note() -> None:
    with pytest.raises(InvoiceNotCreditableError):
        credited_lines(invoice_of(charged("Basic", "30.00"), finalize=False), [(0, "")])
    voided = standard()
    voided.void("issued by mistake")
    with pytest.raises(InvoiceNotCreditableError):
        credited_lines(voided, [(0, "")])


def test_exclusive_tax_is_credited_at_the_invoice_rate_on_top() -> None:
    invoice = invoice_of(charged("Basic", "30.00"), tax_line("20", included=False))
    assert credit_tax(invoice, eur("10.00")) == (eur("2.00"), Decimal(20), False)
    assert credit_tax(invoice, eur("0.125")) == (eur("0.03"), Decimal(20), False)


def test_inclusive_tax_is_the_part_of_the_credit_that_was_tax() -> None:
    invoice = invoice_of(charged("Basic", "30.00"), tax_line("20", included=True))
    assert credit_tax(invoice, eur("12.00")) == (eur("2.00"), Decimal(20), True)


def test_inclusive_credit_tax_rounds_the_exact_share_half_up_once() -> None:
    invoice = invoice_of(charged("Basic", "30.00"), tax_line("12", included=True))
    assert credit_tax(invoice, eur("2.10")) == (eur("0.23"), Decimal(12), True)


def test_an_invoice_without_tax_credits_no_tax() -> None:
    assert credit_tax(invoice_of(charged("Basic", "30.00")), eur("10.00")) == (eur("0"), Decimal(0), False)


def note(lines: list[CreditedLine], tax: str, included: bool) -> CreditNote:
    return CreditNote(tenant_id=uuid4(), invoice_id=uuid4(), request_id="r1",
                      invoice_number="INV-00000007", account_id=uuid4(), number="CN-00000001",
                      reason="outage", lines=[line.as_dict() for line in lines], tax=eur(tax),
                      tax_percent="20", tax_included=included, issued_at=NOW)


def test_an_exclusive_credit_note_gives_back_the_lines_and_their_tax() -> None:
    credit = note([CreditedLine(0, "Basic", eur("10.00")), CreditedLine(1, "Router", eur("5.00"))],
                  "3.00", included=False)
    assert (credit.subtotal, credit.total) == (eur("15.00"), eur("18.00"))
    assert credit.credited()[1] == CreditedLine(1, "Router", eur("5.00"))


def test_an_inclusive_credit_note_gives_back_the_lines_only() -> None:
    credit = note([CreditedLine(0, "Basic", eur("12.00"))], "2.00", included=True)
    assert (credit.subtotal, credit.total) == (eur("12.00"), eur("12.00"))


def test_the_same_request_finds_the_same_credit_note() -> None:
    tenant, invoice = uuid4(), uuid4()
    assert CreditNote.create_id(tenant, invoice, "r1") == CreditNote.create_id(tenant, invoice, "r1")
    assert CreditNote.create_id(tenant, invoice, "r1") != CreditNote.create_id(tenant, invoice, "r2")


def test_crediting_every_line_in_separate_notes_gives_back_at_most_the_invoice_total() -> None:
    invoice = invoice_of(charged("Basic", "10.03"), charged("Extra", "10.03"),
                         tax_line("20", included=False, amount="4.01"))
    for index in (0, 1):
        (line,) = credited_lines(invoice, [(index, "")])
        tax, _, _ = credit_tax(invoice, line.amount)
        invoice.apply_credit(uuid4(), {index: line.amount}, line.amount + tax)
    assert invoice.total == eur("24.07")
    assert invoice.amount_credited <= invoice.total
