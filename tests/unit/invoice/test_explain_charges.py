"""The arithmetic behind drafted lines, explained: fees by day rounded once, adjustments of earlier
charges, discounts with their cycles left, taxes both ways, late usage and the usage sum rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

from kernel.money import Money
from services.invoice.domain.accounts import BillingDetails
from services.invoice.domain.cycles import Period
from services.invoice.domain.drafting import (
    AccountSnapshot,
    DraftInputs,
    SubscriptionSnapshot,
    draft_lines,
    tax_line,
    usage_line,
)
from services.invoice.domain.invoices import InvoiceLine
from services.invoice.domain.subscriptions import Discount, Segment
from services.invoice.domain.taxes import TaxRate
from services.invoice.explaining.charges import (
    discount_terms,
    discount_text,
    one_time_text,
    prior_details,
    prior_text,
    recurring_arithmetic,
    recurring_text,
    tax_arithmetic,
    tax_text,
    usage_text,
)
from services.invoice.explaining.model import EarlierCharge, OneTimeDetails
from services.invoice.explaining.words import Words
from tests.unit.invoice.test_drafting import usage

D = Decimal
EN, DE = Words.of("en"), Words.of("de")
PLAN = uuid4()
MARCH, APRIL = Period(date(2026, 3, 1), date(2026, 4, 1)), Period(date(2026, 4, 1), date(2026, 5, 1))


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def drafted(start: date, fee: str = "31.00", discounts: tuple[Discount, ...] = (),
            last_bill_date: date | None = None) -> list[InvoiceLine]:
    """The lines a bill run drafts on 1 April for a subscription of the Basic plan."""
    account = AccountSnapshot(uuid4(), "Ada", "ada@example.org", "EUR", "Europe/London", 1, BillingDetails())
    subscription = SubscriptionSnapshot(uuid4(), account.account_id,
                                        (Segment(PLAN, "Basic", eur(fee), start, None),), discounts)
    return draft_lines(DraftInputs(account, MARCH, APRIL, last_bill_date, subscriptions=[subscription]))


def test_a_prorated_first_cycle_shows_fee_times_days_over_cycle_days_and_its_rounding() -> None:
    proration, advance = drafted(date(2026, 3, 11), fee="10.00")
    arithmetic = recurring_arithmetic(proration, eur("10.00"), MARCH, [])
    assert (arithmetic.days, arithmetic.cycle_days, arithmetic.unrounded) == (21, 31, D("6.774194"))
    assert Money(arithmetic.unrounded, "EUR").rounded() == proration.amount == eur("6.77")
    assert recurring_text(proration, arithmetic, EN) == (
        "Basic: 10.00 EUR per cycle x 21 of the 31 days of the cycle 1 Mar 2026 to 31 Mar 2026"
        " (11 Mar 2026 to 31 Mar 2026) = 6.774194 EUR, rounded half up to 6.77 EUR.")
    assert recurring_text(proration, arithmetic, DE) == (
        "Basic: 10,00 EUR je Abrechnungszeitraum x 21 von 31 Tagen des Zeitraums 01.03.2026 bis"
        " 31.03.2026 (11.03.2026 bis 31.03.2026) = 6,774194 EUR, kaufmännisch gerundet auf 6,77 EUR.")
    whole = recurring_arithmetic(advance, eur("10.00"), APRIL, [])
    assert (whole.unrounded, whole.days) == (D("10.00"), 30)
    assert recurring_text(advance, whole, EN) == (
        "Basic: 10.00 EUR per cycle for the whole cycle 1 Apr 2026 to 30 Apr 2026 (30 days) = 10.00 EUR.")


def test_an_adjustment_of_an_earlier_charge_shows_now_before_and_the_difference() -> None:
    line = InvoiceLine(kind="proration", description="Unused time on Basic", amount=eur("-20.00"),
                       quantity=D(20), unit="day", plan_id=str(PLAN), plan_name="Basic",
                       covers_start="2026-03-11", covers_end="2026-03-31", cycle_start="2026-03-01")
    earlier = [EarlierCharge("inv-1", date(2026, 3, 1), date(2026, 4, 1), eur("31.00"))]
    arithmetic = recurring_arithmetic(line, eur("31.00"), MARCH, earlier)
    assert arithmetic.unrounded == D("-20.00")
    assert recurring_text(line, arithmetic, EN) == (
        "Basic, cycle 1 Mar 2026 to 31 Mar 2026: charged now 11.00 EUR, charged before 31.00 EUR"
        " (invoiced earlier for 1 Mar 2026 to 31 Mar 2026); the difference is -20.00 EUR.")


def test_a_discount_names_its_terms_the_charge_it_reduces_and_the_cycles_left() -> None:
    welcome = Discount("welcome", "percent", D(10), 3, "Welcome 10%", APRIL.start)
    lines = drafted(date(2026, 1, 1), discounts=(welcome,), last_bill_date=MARCH.start)
    discount = next(line for line in lines if line.kind == "discount")
    terms = discount_terms(discount, welcome, lines, 1)
    assert (terms.kind, terms.value, terms.cycles, terms.cycles_left) == ("percent", D(10), 3, 2)
    assert terms.charge == eur("31.00")
    assert discount_text(discount, terms, EN) == (
        "10% off the advance charge 31.00 EUR of the cycle from 1 Apr 2026 = -3.10 EUR;"
        " 2 more cycle(s) to come.")
    unknown = discount_terms(discount, None, lines, 1)
    assert unknown.cycles_left == -1
    assert discount_text(discount, unknown, EN) == "Welcome 10%: -3.10 EUR."


def test_taxes_exclusive_and_inclusive_show_rate_base_and_rounding() -> None:
    lines = [InvoiceLine(kind="recurring", description="Basic", amount=eur("12.34"))]
    added = tax_line(TaxRate("VAT", D(20), "exclusive", date(2020, 1, 1)), lines, "EUR")
    tax = tax_arithmetic(added)
    assert (tax.rate_percent, tax.base, tax.included) == (D(20), eur("12.34"), False)
    assert tax.unrounded == D("2.468")
    assert tax_text(added, tax, EN) == "20% of 12.34 EUR = 2.468 EUR, rounded half up to 2.47 EUR."
    included = tax_line(TaxRate("MwSt", D(19), "inclusive", date(2020, 1, 1)), lines, "EUR")
    tax = tax_arithmetic(included)
    assert tax.unrounded == D("1.970252")
    assert Money(tax.unrounded, "EUR").rounded() == included.amount
    assert tax_text(included, tax, DE) == (
        "Die Preise enthalten 19 % Steuer: 12,34 EUR x 19 / (100 + 19) = 1,970252 EUR, kaufmännisch"
        " gerundet auf 1,97 EUR (ausgewiesen, nicht addiert).")


def test_a_one_time_charge_says_when_it_was_added() -> None:
    line = InvoiceLine(kind="one_time", description="Router", amount=eur("49.00"), charge_id="router")
    assert one_time_text(line, OneTimeDetails("router", date(2026, 3, 3)), EN) == (
        "One-time charge 'Router' of 3 Mar 2026: 49.00 EUR.")
    assert one_time_text(line, OneTimeDetails("router", None), DE) == "Einmalige Gebühr „Router“: 49,00 EUR."


def test_usage_entries_sum_to_the_unrounded_total_rounded_once_to_the_line() -> None:
    group = usage("0.207292")
    line = usage_line(group, "")
    assert line.amount == eur("0.21")
    first, last = datetime(2026, 3, 15, 12, tzinfo=UTC), datetime(2026, 3, 15, 12, 5, tzinfo=UTC)
    assert usage_text(line, 3, D("0.207292"), first, last, EN, "UTC") == (
        "Sum of 3 rated parts from 15 Mar 2026 12:00 to 15 Mar 2026 12:05: 0.207292 EUR,"
        " rounded once (half up) to 0.21 EUR.")
    assert usage_text(line, 3, D("0.207292"), first, last, DE, "UTC") == (
        "Summe von 3 bewerteten Positionen vom 15.03.2026 12:00 bis 15.03.2026 12:05: 0,207292 EUR,"
        " einmal kaufmännisch gerundet auf 0,21 EUR.")
    exact = usage_line(usage("0.20"), "")
    assert usage_text(exact, 1, D("0.20"), first, first, EN, "UTC") == (
        "Sum of 1 rated part from 15 Mar 2026 12:00 to 15 Mar 2026 12:00: 0.20 EUR.")
    assert usage_text(exact, 0, None, None, None, DE, "UTC") == "Keine bewerteten Positionen."


def test_late_usage_names_the_bill_periods_it_belongs_to() -> None:
    details = prior_details(datetime(2026, 2, 20, 23, 30, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC),
                            "Europe/Berlin", 15)
    assert (details.period_start, details.period_end) == (date(2026, 2, 15), date(2026, 3, 15))
    assert prior_text(details, EN) == (
        "Usage of the period 15 Feb 2026 to 14 Mar 2026, rated after that period was invoiced. ")
