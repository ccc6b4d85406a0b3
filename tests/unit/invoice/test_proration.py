"""Proration: day-based charges rounded once, reconciled with what earlier invoices billed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.money import Money
from services.invoice.domain.cycles import Period, periods_between
from services.invoice.domain.proration import (
    Coverage,
    RecurringDelta,
    desired_coverage,
    discount_amount,
    prorated,
    reconcile,
)
from services.invoice.domain.subscriptions import Discount, Segment

SUBSCRIPTION = uuid4()
BASIC = UUID(int=1)
PREMIUM = UUID(int=2)
MARCH = Period(date(2026, 3, 1), date(2026, 4, 1))
APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def basic(start: date, end: date | None = None, fee: str = "31.00") -> Segment:
    return Segment(BASIC, "Basic", eur(fee), start, end)


def premium(start: date, end: date | None = None, fee: str = "62.00") -> Segment:
    return Segment(PREMIUM, "Premium", eur(fee), start, end)


def coverage(segments: list[Segment], cycles: list[Period]) -> list[Coverage]:
    return desired_coverage(SUBSCRIPTION, segments, cycles)


def by_plan(deltas: list[RecurringDelta]) -> dict[UUID, RecurringDelta]:
    return {delta.plan_id: delta for delta in deltas}


def test_whole_cycle_is_charged_the_exact_fee() -> None:
    assert prorated(eur("29.999"), MARCH, MARCH) == eur("29.999")
    assert prorated(eur("30.00"), MARCH, MARCH) == eur("30.00")


def test_fifteen_of_thirty_days_is_half_the_fee() -> None:
    cycle = Period(date(2026, 4, 1), date(2026, 5, 1))
    covers = Period(date(2026, 4, 16), date(2026, 5, 1))
    assert prorated(eur("30.00"), covers, cycle) == eur("15.00")


def test_proration_rounds_half_up_to_the_minor_unit() -> None:
    cycle = Period(date(2026, 4, 1), date(2026, 5, 1))
    assert prorated(eur("0.05"), Period(date(2026, 4, 1), date(2026, 4, 16)), cycle) == eur("0.03")
    assert prorated(eur("10.00"), Period(date(2026, 4, 1), date(2026, 4, 11)), cycle) == eur("3.33")


def test_proration_rounds_the_exact_value_once_not_a_rounded_day_fraction() -> None:
    cycle = Period(date(2026, 4, 1), date(2026, 5, 1))
    assert prorated(eur("29.85"), Period(date(2026, 4, 1), date(2026, 4, 2)), cycle) == eur("1.00")
    assert prorated(eur("29.85"), Period(date(2026, 4, 1), date(2026, 4, 8)), cycle) == eur("6.97")


def test_proration_rounds_to_the_currency_minor_unit() -> None:
    yen = Money.of("1000", "JPY")
    assert prorated(yen, Period(date(2026, 3, 1), date(2026, 3, 11)), MARCH) == Money.of("323", "JPY")


def test_desired_coverage_splits_a_cycle_at_a_plan_change() -> None:
    change = date(2026, 3, 17)
    desired = coverage([basic(date(2026, 1, 1), change), premium(change)], [MARCH, APRIL])
    assert [(c.plan_id, c.cycle, c.covers, c.amount) for c in desired] == [
        (BASIC, MARCH, Period(MARCH.start, change), eur("16.00")),
        (PREMIUM, MARCH, Period(change, MARCH.end), eur("30.00")),
        (PREMIUM, APRIL, APRIL, eur("62.00")),
    ]


def test_desired_coverage_starts_at_the_subscription_start_and_stops_at_its_end() -> None:
    desired = coverage([basic(date(2026, 3, 11), date(2026, 4, 11))], [MARCH, APRIL])
    assert [(c.covers, c.amount) for c in desired] == [
        (Period(date(2026, 3, 11), MARCH.end), eur("21.00")),
        (Period(APRIL.start, date(2026, 4, 11)), eur("10.33")),
    ]


def test_desired_coverage_outside_the_segments_is_empty() -> None:
    assert coverage([basic(date(2026, 5, 1))], [MARCH, APRIL]) == []


def test_first_charge_of_a_whole_cycle_is_a_recurring_line() -> None:
    deltas = reconcile(coverage([basic(date(2026, 1, 1))], [APRIL]), [])
    assert deltas == [RecurringDelta(SUBSCRIPTION, BASIC, "Basic", APRIL, APRIL, eur("31.00"),
                                     "recurring", "Basic, 2026-04-01 to 2026-04-30", 30)]


def test_first_charge_of_a_part_cycle_is_a_proration_line() -> None:
    (delta,) = reconcile(coverage([basic(date(2026, 3, 22))], [MARCH]), [])
    assert (delta.kind, delta.amount) == ("proration", eur("10.00"))
    assert delta.covers == Period(date(2026, 3, 22), MARCH.end)
    assert delta.description == "Basic, 2026-03-22 to 2026-03-31"


def test_upgrade_mid_cycle_credits_unused_time_and_charges_new_plan() -> None:
    billed = coverage([basic(date(2026, 1, 1))], [MARCH])
    change = date(2026, 3, 17)
    desired = coverage([basic(date(2026, 1, 1), change), premium(change)], [MARCH])
    deltas = by_plan(reconcile(desired, billed))
    assert deltas[BASIC].amount == eur("-15.00")
    assert deltas[BASIC].kind == "proration"
    assert deltas[BASIC].covers == Period(MARCH.start, change)
    assert "was 2026-03-01 to 2026-03-31" in deltas[BASIC].description
    assert deltas[PREMIUM].amount == eur("30.00")
    assert deltas[PREMIUM].kind == "proration"
    assert deltas[PREMIUM].covers == Period(change, MARCH.end)


def test_downgrade_mid_cycle_credits_more_than_it_charges() -> None:
    billed = coverage([premium(date(2026, 1, 1))], [MARCH])
    change = date(2026, 3, 17)
    desired = coverage([premium(date(2026, 1, 1), change), basic(change)], [MARCH])
    deltas = by_plan(reconcile(desired, billed))
    assert deltas[PREMIUM].amount == eur("-30.00")
    assert deltas[BASIC].amount == eur("15.00")


def test_cancellation_mid_cycle_credits_the_days_after_the_end() -> None:
    billed = coverage([basic(date(2026, 1, 1))], [MARCH])
    desired = coverage([basic(date(2026, 1, 1), date(2026, 3, 11))], [MARCH])
    (delta,) = reconcile(desired, billed)
    assert (delta.kind, delta.amount) == ("proration", eur("-21.00"))


def test_cancellation_at_the_cycle_start_credits_the_whole_billed_cycle_as_unused_time() -> None:
    billed = coverage([basic(date(2026, 1, 1))], [MARCH])
    desired = coverage([basic(date(2026, 1, 1), MARCH.start)], [MARCH])
    assert reconcile(desired, billed) == [RecurringDelta(
        SUBSCRIPTION, BASIC, "Basic", MARCH, MARCH, eur("-31.00"), "proration",
        "Unused time on Basic, 2026-03-01 to 2026-03-31", 31)]


def test_unchanged_billing_gives_no_line() -> None:
    segments = [basic(date(2026, 1, 1), date(2026, 3, 17)), premium(date(2026, 3, 17))]
    billed = coverage(segments, [MARCH, APRIL])
    assert reconcile(coverage(segments, [MARCH, APRIL]), billed) == []


def test_reconcile_lists_cycles_in_order() -> None:
    desired = coverage([basic(date(2026, 3, 11))], [APRIL, MARCH])
    assert [d.cycle for d in reconcile(desired, [])] == [MARCH, APRIL]


@pytest.mark.parametrize("kind", ["percent", "fixed"])
def test_discount_before_its_first_cycle_is_zero(kind: str) -> None:
    discount = Discount("d1", kind, Decimal(10), 3, "Welcome", APRIL.start)
    assert discount_amount(discount, MARCH.start, 0, eur("30.00")) == eur("0")


@pytest.mark.parametrize(("kind", "last"), [("percent", "-3.00"), ("fixed", "-10.00")])
def test_discount_after_its_cycles_is_zero(kind: str, last: str) -> None:
    discount = Discount("d1", kind, Decimal(10), 3, "Welcome", MARCH.start)
    assert discount_amount(discount, APRIL.start, 2, eur("30.00")) == eur(last)
    assert discount_amount(discount, APRIL.start, 3, eur("30.00")) == eur("0")


def test_percent_discount_is_a_rounded_negative_share_of_the_charge() -> None:
    ten = Discount("d1", "percent", Decimal(10), 1, "Welcome", MARCH.start)
    assert discount_amount(ten, MARCH.start, 0, eur("29.99")) == eur("-3.00")
    half_cent = Discount("d2", "percent", Decimal("12.5"), 1, "Loyalty", MARCH.start)
    assert discount_amount(half_cent, MARCH.start, 0, eur("0.20")) == eur("-0.03")
    whole = Discount("d3", "percent", Decimal(100), 1, "Free month", MARCH.start)
    assert discount_amount(whole, MARCH.start, 0, eur("29.99")) == eur("-29.99")


def test_fixed_discount_is_capped_at_the_charge() -> None:
    five = Discount("d1", "fixed", Decimal(5), 1, "Five off", MARCH.start)
    assert discount_amount(five, MARCH.start, 0, eur("30.00")) == eur("-5.00")
    fifty = Discount("d2", "fixed", Decimal(50), 1, "Fifty off", MARCH.start)
    assert discount_amount(fifty, MARCH.start, 0, eur("30.00")) == eur("-30.00")


@pytest.mark.parametrize("charge", ["0", "-5.00"])
def test_discount_on_no_charge_or_a_credit_is_zero(charge: str) -> None:
    discount = Discount("d1", "fixed", Decimal(5), 1, "Five off", MARCH.start)
    assert discount_amount(discount, MARCH.start, 0, eur(charge)) == eur("0")


def key_sums(items: list[Coverage] | list[RecurringDelta]) -> dict[tuple[Period, UUID], Money]:
    sums: dict[tuple[Period, UUID], Money] = defaultdict(lambda: eur("0"))
    for item in items:
        sums[(item.cycle, item.plan_id)] += item.amount
    return sums


fees = st.integers(min_value=1, max_value=100_000).map(lambda cents: Money(Decimal(cents) / 100, "EUR"))
offsets = st.integers(min_value=0, max_value=120)


@given(cycle_day=st.integers(1, 31), old_fee=fees, new_fee=fees, start=offsets, change=offsets,
       end=st.none() | offsets)
def test_billed_plus_deltas_is_what_is_desired_exactly(
    cycle_day: int, old_fee: Money, new_fee: Money, start: int, change: int, end: int | None
) -> None:
    origin = date(2026, 1, 1)
    first = origin + timedelta(days=start)
    cycles = periods_between(first, origin + timedelta(days=150), cycle_day)
    billed = coverage([Segment(BASIC, "Basic", old_fee, first, None)], cycles)
    changed = max(first, first + timedelta(days=change))
    ends = None if end is None else changed + timedelta(days=end)
    segments = [Segment(PREMIUM, "Premium", new_fee, first, ends)] if changed == first else [
        Segment(BASIC, "Basic", old_fee, first, changed),
        Segment(PREMIUM, "Premium", new_fee, changed, ends)]
    desired = coverage(segments, cycles)
    deltas = reconcile(desired, billed)
    assert all(delta.amount.amount != 0 for delta in deltas)
    assert all(delta.amount.rounded() == delta.amount for delta in deltas)
    wanted, charged, moved = key_sums(desired), key_sums(billed), key_sums(deltas)
    for key in set(wanted) | set(charged) | set(moved):
        assert charged[key] + moved[key] == wanted[key]
    assert sum((d.amount for d in deltas), eur("0")) == (
        sum((c.amount for c in desired), eur("0")) - sum((c.amount for c in billed), eur("0")))


def test_a_plan_left_and_rejoined_within_a_cycle_is_not_charged_as_the_whole_cycle() -> None:
    segments = [basic(date(2026, 1, 1), date(2026, 3, 10)), premium(date(2026, 3, 10), date(2026, 3, 20)),
                basic(date(2026, 3, 20))]
    back = by_plan(reconcile(coverage(segments, [MARCH]), []))[BASIC]
    assert back.amount == eur("21.00")
    assert back.kind == "proration"
    assert back.description != "Basic, 2026-03-01 to 2026-03-31"
