"""Subscriptions: plan changes, cancellation, the plan timeline and discounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from kernel.money import Money
from services.invoice.domain.errors import InvalidSubscriptionError, SubscriptionEndedError
from services.invoice.domain.subscriptions import Discount, Segment, Subscription

BASIC = UUID(int=1)
PREMIUM = UUID(int=2)
FAMILY = UUID(int=3)
START = date(2026, 1, 10)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def subscribed(start: date = START) -> Subscription:
    return Subscription(tenant_id=uuid4(), account_id=uuid4(), plan_id=BASIC, plan_name="Basic",
                        recurring_fee=eur("30.00"), start_date=start)


def upgrade(subscription: Subscription, effective: date, not_before: date | None = None,
            plan_id: UUID = PREMIUM) -> None:
    subscription.change_plan(plan_id, "Premium", eur("60.00"), effective, not_before)


def test_a_new_subscription_is_one_open_segment_on_its_plan() -> None:
    subscription = subscribed()
    assert subscription.timeline() == [Segment(BASIC, "Basic", eur("30.00"), START, None)]
    assert subscription.plan_id == BASIC
    assert subscription.status_on(START) == "active"


def test_a_plan_change_ends_the_old_segment_where_the_new_one_starts() -> None:
    subscription = subscribed()
    upgrade(subscription, date(2026, 3, 17))
    assert subscription.timeline() == [
        Segment(BASIC, "Basic", eur("30.00"), START, date(2026, 3, 17)),
        Segment(PREMIUM, "Premium", eur("60.00"), date(2026, 3, 17), None),
    ]
    assert subscription.plan_id == PREMIUM


def test_a_change_effective_on_the_segment_start_replaces_that_segment() -> None:
    subscription = subscribed()
    upgrade(subscription, START)
    assert subscription.timeline() == [Segment(PREMIUM, "Premium", eur("60.00"), START, None)]


def test_a_second_change_on_the_same_day_replaces_the_first() -> None:
    subscription = subscribed()
    upgrade(subscription, date(2026, 3, 17))
    subscription.change_plan(FAMILY, "Family", eur("80.00"), date(2026, 3, 17), None)
    assert [(s.plan_id, s.start, s.end) for s in subscription.timeline()] == [
        (BASIC, START, date(2026, 3, 17)), (FAMILY, date(2026, 3, 17), None)]


def test_a_change_to_the_current_plan_is_refused() -> None:
    with pytest.raises(InvalidSubscriptionError) as caught:
        upgrade(subscribed(), date(2026, 3, 17), plan_id=BASIC)
    assert caught.value.field == "plan_id"


def test_a_change_to_a_plan_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidSubscriptionError) as caught:
        subscribed().change_plan(PREMIUM, "Premium", Money.of("60.00", "USD"), date(2026, 3, 17), None)
    assert caught.value.field == "plan_id"


def test_a_change_before_the_last_bill_date_is_refused() -> None:
    with pytest.raises(InvalidSubscriptionError) as caught:
        upgrade(subscribed(), date(2026, 2, 28), not_before=date(2026, 3, 1))
    assert caught.value.field == "effective_date"


def test_a_change_on_the_last_bill_date_is_accepted() -> None:
    subscription = subscribed()
    upgrade(subscription, date(2026, 3, 1), not_before=date(2026, 3, 1))
    assert subscription.plan_id == PREMIUM


def test_a_change_before_the_current_plan_started_is_refused() -> None:
    subscription = subscribed()
    upgrade(subscription, date(2026, 3, 17))
    with pytest.raises(InvalidSubscriptionError) as caught:
        subscription.change_plan(FAMILY, "Family", eur("80.00"), date(2026, 3, 16), None)
    assert caught.value.field == "effective_date"


@pytest.mark.parametrize("effective", [date(2026, 4, 1), date(2026, 5, 1)])
def test_a_change_on_or_after_the_end_is_refused(effective: date) -> None:
    subscription = subscribed()
    subscription.cancel(date(2026, 4, 1), None)
    with pytest.raises(SubscriptionEndedError):
        upgrade(subscription, effective)


def test_a_change_before_a_set_end_keeps_the_end() -> None:
    subscription = subscribed()
    subscription.cancel(date(2026, 4, 1), None)
    upgrade(subscription, date(2026, 3, 17))
    assert subscription.timeline()[-1] == Segment(PREMIUM, "Premium", eur("60.00"), date(2026, 3, 17),
                                                  date(2026, 4, 1))


def test_cancel_sets_the_first_day_no_longer_billed() -> None:
    subscription = subscribed()
    subscription.cancel(date(2026, 4, 1), not_before=date(2026, 3, 1))
    assert subscription.end_date == date(2026, 4, 1)
    assert subscription.timeline() == [Segment(BASIC, "Basic", eur("30.00"), START, date(2026, 4, 1))]
    assert subscription.status_on(date(2026, 3, 31)) == "cancelled"
    assert subscription.status_on(date(2026, 4, 1)) == "ended"


def test_a_cancel_can_move_the_end_earlier_but_not_later() -> None:
    subscription = subscribed()
    subscription.cancel(date(2026, 4, 1), None)
    subscription.cancel(date(2026, 3, 20), None)
    assert subscription.end_date == date(2026, 3, 20)
    for later in (date(2026, 3, 20), date(2026, 5, 1)):
        with pytest.raises(SubscriptionEndedError):
            subscription.cancel(later, None)


def test_a_cancel_before_the_last_bill_date_is_refused() -> None:
    with pytest.raises(InvalidSubscriptionError) as caught:
        subscribed().cancel(date(2026, 2, 28), not_before=date(2026, 3, 1))
    assert caught.value.field == "end_date"


def test_a_cancel_before_the_current_plan_started_is_refused() -> None:
    subscription = subscribed()
    upgrade(subscription, date(2026, 3, 17))
    with pytest.raises(InvalidSubscriptionError) as caught:
        subscription.cancel(date(2026, 3, 16), None)
    assert caught.value.field == "end_date"


def test_a_cancel_on_the_current_plan_start_drops_that_plan_from_the_timeline() -> None:
    subscription = subscribed()
    upgrade(subscription, date(2026, 3, 17))
    subscription.cancel(date(2026, 3, 17), None)
    assert subscription.timeline() == [
        Segment(BASIC, "Basic", eur("30.00"), START, date(2026, 3, 17))]


def test_overlaps_any_day_of_a_half_open_range() -> None:
    subscription = subscribed()
    subscription.cancel(date(2026, 4, 1), None)
    assert subscription.overlaps(date(2026, 3, 31), date(2026, 5, 1))
    assert subscription.overlaps(date(2025, 1, 1), None)
    assert subscription.overlaps(date(2025, 12, 1), date(2026, 1, 11))
    assert not subscription.overlaps(date(2026, 4, 1), None)
    assert not subscription.overlaps(date(2025, 12, 1), START)


def test_an_open_subscription_overlaps_everything_from_its_start() -> None:
    subscription = subscribed()
    assert subscription.overlaps(date(2030, 1, 1), None)
    assert not subscription.overlaps(date(2025, 1, 1), date(2025, 2, 1))


def test_a_discount_is_kept_with_its_cycles() -> None:
    subscription = subscribed()
    discount = Discount.parse("d1", "percent", "12.5", 3, " Welcome ", date(2026, 2, 10), "EUR")
    subscription.add_discount(discount)
    assert subscription.discounts == [
        Discount("d1", "percent", Decimal("12.5"), 3, "Welcome", date(2026, 2, 10))]


def test_a_discount_starting_at_or_after_the_end_is_refused() -> None:
    subscription = subscribed()
    subscription.cancel(date(2026, 4, 1), None)
    discount = Discount.parse("d1", "fixed", "5.00", 1, "Five off", date(2026, 4, 1), "EUR")
    with pytest.raises(SubscriptionEndedError):
        subscription.add_discount(discount)


def test_a_discount_survives_its_stored_form() -> None:
    discount = Discount.parse("d1", "fixed", "5.50", 120, "Loyalty", date(2026, 2, 10), "EUR")
    assert Discount.from_dict(discount.as_dict()) == discount


@pytest.mark.parametrize(
    ("kind", "value", "cycles", "description", "currency", "field"),
    [
        ("amount", "5", 1, "x", "EUR", "kind"),
        ("percent", "five", 1, "x", "EUR", "value"),
        ("percent", "0", 1, "x", "EUR", "value"),
        ("percent", "100.01", 1, "x", "EUR", "value"),
        ("fixed", "-5", 1, "x", "EUR", "value"),
        ("fixed", "5.001", 1, "x", "EUR", "value"),
        ("fixed", "5.5", 1, "x", "JPY", "value"),
        ("percent", "10", 0, "x", "EUR", "cycles"),
        ("percent", "10", 121, "x", "EUR", "cycles"),
        ("percent", "10", 1, "  ", "EUR", "description"),
    ],
)
def test_discount_parse_refuses_a_bad_field_naming_it(
    kind: str, value: str, cycles: int, description: str, currency: str, field: str
) -> None:
    with pytest.raises(InvalidSubscriptionError) as caught:
        Discount.parse("d1", kind, value, cycles, description, date(2026, 2, 10), currency)
    assert caught.value.field == field


def test_discount_parse_accepts_100_percent_and_whole_yen() -> None:
    assert Discount.parse("d", "percent", "100", 1, "Free", START, "EUR").value == Decimal(100)
    assert Discount.parse("d", "fixed", "500", 1, "Off", START, "JPY").value == Decimal(500)
