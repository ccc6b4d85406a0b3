"""Drafting: the lines of one invoice from recurring fees, usage, one-time charges and tax."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from kernel.money import Money
from services.invoice.domain.accounts import BillingDetails, OneTimeCharge
from services.invoice.domain.cycles import Period
from services.invoice.domain.drafting import (
    AccountSnapshot,
    DraftInputs,
    SubscriptionSnapshot,
    UsageGroup,
    draft_lines,
)
from services.invoice.domain.invoices import InvoiceLine, invoice_total
from services.invoice.domain.proration import desired_coverage
from services.invoice.domain.subscriptions import Discount, Segment, Subscription
from services.invoice.domain.taxes import TaxRate

MARCH = Period(date(2026, 3, 1), date(2026, 4, 1))
APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))
BASIC = UUID(int=1)
PARENT = uuid4()
CHILD = uuid4()


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def account(
    account_id: UUID = PARENT, name: str = "Ada Ltd", parent_id: UUID | None = None
) -> AccountSnapshot:
    return AccountSnapshot(account_id, name, "billing@example.org", "EUR", "Europe/London", 1,
                           BillingDetails(), parent_id)


def subscription(
    start: date, account_id: UUID = PARENT, fee: str = "31.00", end: date | None = None,
    discounts: tuple[Discount, ...] = (), subscription_id: UUID | None = None,
) -> SubscriptionSnapshot:
    return SubscriptionSnapshot(subscription_id or uuid4(), account_id,
                                (Segment(BASIC, "Basic", eur(fee), start, end),), discounts)


def inputs(**fields: object) -> DraftInputs:
    values: dict[str, object] = {"account": account(), "period": MARCH, "next_period": APRIL,
                                 "last_bill_date": None}
    values.update(fields)
    return DraftInputs(**values)  # type: ignore[arg-type]


def usage(
    amount: str, period_kind: str = "current", account_id: UUID = PARENT, service_type: str = "voice",
    destination_class: str = "UK Mobile",
) -> UsageGroup:
    first = datetime(2026, 2, 20, 10, 0, tzinfo=UTC)
    last = datetime(2026, 2, 27, 18, 30, tzinfo=UTC)
    return UsageGroup(account_id, period_kind, service_type, destination_class, "second",
                      Decimal(600), Money.of(amount, "EUR"), 4, "digest", first, last)


def charge(charge_id: str, amount: str, day: int, description: str = "Router") -> OneTimeCharge:
    return OneTimeCharge(charge_id, description, eur(amount), date(2026, 3, day))


def vat(percent: str = "20", mode: str = "exclusive") -> TaxRate:
    return TaxRate("VAT", Decimal(percent), mode, date(2026, 1, 1))


def summary(lines: list[InvoiceLine]) -> list[tuple[str, str, Money]]:
    return [(line.kind, line.description, line.amount) for line in lines]


def test_first_invoice_prorates_the_started_period_and_charges_the_next_in_advance() -> None:
    started = subscription(date(2026, 3, 11))
    lines = draft_lines(inputs(subscriptions=[started]))
    assert summary(lines) == [
        ("proration", "Basic, 2026-03-11 to 2026-03-31", eur("21.00")),
        ("recurring", "Basic, 2026-04-01 to 2026-04-30", eur("31.00")),
    ]
    first, advance = lines
    assert (first.quantity, first.unit) == (Decimal(21), "day")
    assert (first.covers_start, first.covers_end, first.cycle_start) == (
        "2026-03-11", "2026-04-01", "2026-03-01")
    assert (advance.quantity, advance.covers_start, advance.cycle_start) == (
        Decimal(30), "2026-04-01", "2026-04-01")
    assert advance.subscription_id == str(started.subscription_id)
    assert (advance.plan_id, advance.plan_name, advance.account_id) == (str(BASIC), "Basic", str(PARENT))


def test_a_cycle_billed_in_advance_before_is_not_charged_again() -> None:
    running = subscription(date(2026, 1, 1))
    billed = desired_coverage(running.subscription_id, list(running.segments), [MARCH])
    lines = draft_lines(inputs(subscriptions=[running], billed=billed, last_bill_date=MARCH.start))
    assert summary(lines) == [("recurring", "Basic, 2026-04-01 to 2026-04-30", eur("31.00"))]


def test_a_subscription_starting_after_the_next_period_is_not_charged_yet() -> None:
    assert draft_lines(inputs(subscriptions=[subscription(date(2026, 5, 1))])) == []


def test_a_subscription_ended_before_the_next_period_is_charged_for_its_days_only() -> None:
    ended = subscription(date(2026, 3, 1), end=date(2026, 3, 11))
    assert summary(draft_lines(inputs(subscriptions=[ended]))) == [
        ("proration", "Basic, 2026-03-01 to 2026-03-10", eur("10.00"))]


def test_discount_reduces_the_advance_charge_of_its_cycles() -> None:
    welcome = Discount("welcome", "percent", Decimal(10), 1, "Welcome 10%", APRIL.start)
    lines = draft_lines(inputs(subscriptions=[subscription(date(2026, 1, 1), discounts=(welcome,))],
                               last_bill_date=MARCH.start))
    discount = [line for line in lines if line.kind == "discount"]
    assert [(line.description, line.amount, line.discount_id, line.cycle_start) for line in discount] == [
        ("Welcome 10%", eur("-3.10"), "welcome", "2026-04-01")]


def test_discount_whose_cycles_are_over_gives_no_line() -> None:
    welcome = Discount("welcome", "fixed", Decimal(5), 1, "Welcome", MARCH.start)
    lines = draft_lines(inputs(subscriptions=[subscription(date(2026, 1, 1), discounts=(welcome,))],
                               last_bill_date=MARCH.start))
    assert [line.kind for line in lines if line.kind == "discount"] == []


def test_current_usage_is_one_line_per_group_rounded_once() -> None:
    (line,) = draft_lines(inputs(usage=[usage("1.234567")]))
    assert (line.kind, line.description, line.amount) == ("usage", "Voice, UK Mobile", eur("1.23"))
    assert (line.quantity, line.unit, line.record_count, line.digest) == (Decimal(600), "second", 4, "digest")
    assert (line.period_kind, line.service_type, line.destination_class) == ("current", "voice", "UK Mobile")


def test_usage_without_a_destination_class_is_named_by_its_service() -> None:
    (line,) = draft_lines(inputs(usage=[usage("0.50", service_type="sms", destination_class="")]))
    assert line.description == "Sms"


def test_prior_period_usage_is_labelled_with_its_dates() -> None:
    lines = draft_lines(inputs(usage=[usage("2.00", "prior"), usage("1.00", "current")]))
    assert summary(lines) == [
        ("usage", "Voice, UK Mobile", eur("1.00")),
        ("prior_period", "Prior-period usage: voice, UK Mobile, 2026-02-20 to 2026-02-27", eur("2.00")),
    ]


def test_one_time_charges_come_in_date_order_and_may_be_credits() -> None:
    lines = draft_lines(inputs(charges=[
        (PARENT, charge("c2", "-5.00", 20, "Goodwill credit")),
        (PARENT, charge("c1", "49.99", 5)),
    ]))
    assert summary(lines) == [("one_time", "Router", eur("49.99")),
                              ("one_time", "Goodwill credit", eur("-5.00"))]
    assert [(line.charge_id, line.unit) for line in lines] == [("c1", "charge"), ("c2", "charge")]


def test_child_account_lines_are_prefixed_with_the_child_name() -> None:
    child = account(CHILD, "Branch Office", parent_id=PARENT)
    lines = draft_lines(inputs(
        children=[child],
        subscriptions=[subscription(APRIL.start, account_id=CHILD)],
        usage=[usage("3.00", account_id=CHILD)],
        charges=[(CHILD, charge("c1", "10.00", 2))],
    ))
    assert [line.description for line in lines] == [
        "Branch Office: Basic, 2026-04-01 to 2026-04-30",
        "Branch Office: Voice, UK Mobile",
        "Branch Office: Router",
    ]
    assert {line.account_id for line in lines} == {str(CHILD)}


def test_parent_lines_carry_no_prefix_next_to_child_lines() -> None:
    child = account(CHILD, "Branch Office", parent_id=PARENT)
    lines = draft_lines(inputs(children=[child], usage=[usage("1.00"), usage("2.00", account_id=CHILD)]))
    descriptions = sorted(line.description for line in lines)
    assert descriptions == ["Branch Office: Voice, UK Mobile", "Voice, UK Mobile"]


def test_exclusive_tax_is_one_line_on_the_sum_of_the_lines_and_is_added() -> None:
    lines = draft_lines(inputs(usage=[usage("10.004"), usage("0.006", service_type="sms")],
                               charges=[(PARENT, charge("c1", "-2.00", 3))], tax=vat("20")))
    tax = lines[-1]
    assert (tax.kind, tax.description, tax.amount) == ("tax", "VAT 20%", eur("1.60"))
    assert (tax.quantity, tax.unit, tax.tax_rate_percent, tax.tax_included) == (
        Decimal("8.01"), "EUR", "20", False)
    assert invoice_total(lines, "EUR") == eur("9.61")


def test_inclusive_tax_is_shown_but_not_added() -> None:
    lines = draft_lines(inputs(usage=[usage("12.00")], tax=vat("20", "inclusive")))
    tax = lines[-1]
    assert (tax.description, tax.amount, tax.tax_included) == ("VAT 20% (included)", eur("2.00"), True)
    assert tax.is_included_tax
    assert invoice_total(lines, "EUR") == eur("12.00")


def test_tax_label_shows_the_rate_without_trailing_zeros() -> None:
    lines = draft_lines(inputs(usage=[usage("10.00")], tax=vat("8.10")))
    assert (lines[-1].description, lines[-1].tax_rate_percent) == ("VAT 8.1%", "8.1")


def test_tax_on_an_invoice_without_lines_is_a_zero_line() -> None:
    (tax,) = draft_lines(inputs(tax=vat()))
    assert (tax.kind, tax.amount) == ("tax", eur("0"))


def test_lines_are_indexed_in_print_order_with_the_tax_last() -> None:
    child = account(CHILD, "Branch Office", parent_id=PARENT)
    lines = draft_lines(inputs(
        children=[child],
        subscriptions=[subscription(date(2026, 3, 11)), subscription(date(2026, 3, 1), account_id=CHILD)],
        usage=[usage("1.00"), usage("2.00", "prior")],
        charges=[(PARENT, charge("c1", "3.00", 4))],
        tax=vat(),
    ))
    assert [line.index for line in lines] == list(range(len(lines)))
    assert [line.kind for line in lines] == [
        "proration", "recurring", "recurring", "recurring", "usage", "prior_period", "one_time", "tax"]


def test_a_subscription_cancelled_on_its_start_date_credits_what_was_billed() -> None:
    start = date(2026, 3, 11)
    tenant = uuid4()
    cancelled = Subscription(tenant_id=tenant, account_id=PARENT, plan_id=BASIC, plan_name="Basic",
                             recurring_fee=eur("31.00"), start_date=start)
    billed = desired_coverage(cancelled.id, list(cancelled.timeline()), [MARCH])
    cancelled.cancel(start, not_before=MARCH.start)
    snapshot = SubscriptionSnapshot(cancelled.id, PARENT, tuple(cancelled.timeline()))
    lines = draft_lines(inputs(subscriptions=[snapshot], billed=billed, last_bill_date=MARCH.start))
    assert summary(lines) == [
        ("proration", "Unused time on Basic, 2026-03-11 to 2026-03-31", eur("-21.00"))]


cents = st.integers(min_value=-1_000_000, max_value=1_000_000).map(lambda c: Decimal(c) / 100)
rated = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c) / 10**6)


@given(
    fees=st.lists(st.integers(min_value=1, max_value=100_000), max_size=3),
    usages=st.lists(rated, max_size=4),
    charges=st.lists(cents.filter(lambda c: c != 0), max_size=4),
    tax=st.none() | st.tuples(st.decimals(min_value=0, max_value=100, places=2),
                              st.sampled_from(["exclusive", "inclusive"])),
)
def test_invoice_total_is_the_exact_sum_of_the_lines_that_are_not_included_tax(
    fees: list[int], usages: list[Decimal], charges: list[Decimal], tax: tuple[Decimal, str] | None
) -> None:
    draft = inputs(
        subscriptions=[subscription(date(2026, 3, 7), fee=str(Decimal(f) / 100)) for f in fees],
        usage=[usage(str(amount), service_type=f"s{i}") for i, amount in enumerate(usages)],
        charges=[(PARENT, charge(f"c{i}", str(amount), 2)) for i, amount in enumerate(charges)],
        tax=None if tax is None else vat(str(tax[0]), tax[1]),
    )
    lines = draft_lines(draft)
    assert [line.index for line in lines] == list(range(len(lines)))
    assert all(line.amount.rounded() == line.amount for line in lines)
    counted = [line.amount.amount for line in lines if not line.is_included_tax]
    assert invoice_total(lines, "EUR").amount == sum(counted, Decimal(0))
    if tax is not None:
        *charged, tax_line = lines
        assert tax_line.kind == "tax"
        assert tax_line.quantity == sum((line.amount.amount for line in charged), Decimal(0))
        expected = vat(str(tax[0]), tax[1]).tax_on(Money(tax_line.quantity, "EUR"))
        assert tax_line.amount == expected
