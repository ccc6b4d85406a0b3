"""How lines are worded for print: readable quantities, localized service titles and tax names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kernel.money import Money
from services.invoice.documents import tax_name
from services.invoice.domain.invoices import InvoiceLine
from services.invoice.rendering.context import Formats, printed_line, shown_quantity
from services.invoice.rendering.document import DocumentLine
from services.invoice.rendering.locales import negotiate

D = Decimal
EN = Formats(negotiate("en"))
DE = Formats(negotiate("de"))


def usage(service_type: str, quantity: str, unit: str, destination_class: str = "") -> DocumentLine:
    return DocumentLine("usage", f"{service_type.capitalize()}", D(quantity), unit, Money(D("3.01"), "GBP"),
                        service_type=service_type, destination_class=destination_class, records=6)


def test_bytes_are_shown_in_the_largest_decimal_unit_to_two_places() -> None:
    assert shown_quantity(D(1_506_216_433), "byte") == (D("1.51"), "GB")
    assert shown_quantity(D(356_664_003), "byte") == (D("356.66"), "MB")
    assert shown_quantity(D(1_500), "byte") == (D("1.50"), "kB")
    assert shown_quantity(D(999), "byte") == (D(999), "byte")


def test_seconds_are_shown_in_minutes_and_other_units_as_they_are() -> None:
    assert shown_quantity(D(10_761), "second") == (D("179.35"), "minute")
    assert shown_quantity(D(13), "message") == (D(13), "message")


def test_a_usage_line_is_titled_by_its_service_in_the_documents_language() -> None:
    data = printed_line(usage("data", "1506216433", "byte"), EN)
    assert (data.description, data.quantity, data.unit, data.note) == (
        "Data", "1.51", "GB", "Usage · 6 records")
    calls = printed_line(usage("voice", "10761", "second", "United Kingdom Mobile"), DE)
    assert (calls.description, calls.quantity, calls.unit, calls.note) == (
        "Anrufe, United Kingdom Mobile", "179,35", "Min.", "Verbrauch · 6 Datensätze")
    assert printed_line(usage("sms", "13", "message"), EN).description == "SMS"


def test_other_lines_keep_their_description_and_a_worded_unit() -> None:
    fee = DocumentLine("recurring", "Mobile 10GB, 2026-10-01 to 2026-10-31", D(31), "day",
                       Money(D("15.00"), "GBP"))
    printed = printed_line(fee, DE)
    assert (printed.description, printed.quantity, printed.unit) == (
        "Mobile 10GB, 2026-10-01 to 2026-10-31", "31", "Tage")
    custom = printed_line(usage("custom", "4", "unit"), EN)
    assert (custom.description, custom.unit) == ("Custom", "unit")


def test_a_tax_is_named_without_the_rate_its_description_carries() -> None:
    added = InvoiceLine(kind="tax", description="VAT 20%", amount=Money(D("8.66"), "GBP"),
                        quantity=D("43.28"), unit="GBP", tax_rate_percent="20")
    included = InvoiceLine(kind="tax", description="MwSt 19% (included)", amount=Money(D("1.90"), "EUR"),
                           quantity=D(10), unit="EUR", tax_rate_percent="19", tax_included=True)
    assert (tax_name(added), tax_name(included)) == ("VAT", "MwSt")


def test_a_whole_cycle_fee_is_titled_by_its_plan_with_its_days_in_the_period_column() -> None:
    fee = DocumentLine("recurring", "Business Voice, 2026-10-01 to 2026-10-31", D(31), "day",
                       Money(D("49.00"), "GBP"), covers=(date(2026, 10, 1), date(2026, 11, 1)))
    assert (printed_line(fee, DE).description, printed_line(fee, DE).period) == (
        "Business Voice", "1.–31. Okt. 2026")
    assert printed_line(fee, EN).period == "1–31 Oct 2026"
