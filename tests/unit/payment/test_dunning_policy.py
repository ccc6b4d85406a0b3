"""Dunning policies: validation with field paths, the default, late fees and the Configured event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from kernel.eventstore import event_envelope
from kernel.money import Money
from services.payment.domain.dunning_policy import (
    DEFAULT_TERMS,
    DunningPolicy,
    InvalidDunningPolicyError,
    LateFee,
    LateFeeRequest,
    parse_terms,
    terms_of,
)


def terms(**overrides: Any) -> Any:
    """Parse a valid policy unless told otherwise."""
    fields: dict[str, Any] = {"reminder_days": [1, 7, 14], "retry_days": [3, 10], "late_fee": None,
                              "suspend_after_days": 21}
    fields.update(overrides)
    return parse_terms(**fields)


def refusal(**overrides: Any) -> tuple[str, str]:
    """The field and reason a policy is refused for."""
    with pytest.raises(InvalidDunningPolicyError) as caught:
        terms(**overrides)
    return caught.value.field, caught.value.reason


def test_default_terms_remind_on_days_1_7_14_retry_on_3_10_suspend_after_21_without_fee() -> None:
    assert DEFAULT_TERMS.reminder_days == (1, 7, 14)
    assert DEFAULT_TERMS.retry_days == (3, 10)
    assert DEFAULT_TERMS.late_fee is None
    assert DEFAULT_TERMS.suspend_after_days == 21
    assert DEFAULT_TERMS.is_default
    assert terms_of(None) is DEFAULT_TERMS


def test_a_valid_policy_parses_with_fee_and_no_suspension() -> None:
    parsed = terms(late_fee=LateFeeRequest("2.5", {"GBP": "5.00"}, 15), suspend_after_days=None)
    assert parsed.reminder_days == (1, 7, 14)
    assert parsed.late_fee == LateFee(Decimal("2.5"), {"GBP": Money.of("5.00", "GBP")}, 15)
    assert parsed.suspend_after_days is None
    assert not parsed.is_default


def test_empty_schedules_mean_no_reminders_and_no_retries() -> None:
    parsed = terms(reminder_days=[], retry_days=[])
    assert (parsed.reminder_days, parsed.retry_days) == ((), ())


@pytest.mark.parametrize(("overrides", "field", "reason"), [
    ({"reminder_days": [1, 7, 7]}, "reminder_days[2]", "must_increase"),
    ({"reminder_days": [5, 3]}, "reminder_days[1]", "must_increase"),
    ({"reminder_days": [0]}, "reminder_days[0]", "must_be_between_1_and_365"),
    ({"reminder_days": [1, 366]}, "reminder_days[1]", "must_be_between_1_and_365"),
    ({"reminder_days": list(range(1, 12))}, "reminder_days", "at_most_10_steps"),
    ({"reminder_days": [True]}, "reminder_days[0]", "must_be_between_1_and_365"),
    ({"retry_days": [3, -1]}, "retry_days[1]", "must_be_between_1_and_365"),
    ({"retry_days": list(range(1, 12))}, "retry_days", "at_most_10_steps"),
    ({"suspend_after_days": 0}, "suspend_after_days", "must_be_between_1_and_365"),
    ({"suspend_after_days": 400}, "suspend_after_days", "must_be_between_1_and_365"),
])
def test_schedule_errors_name_the_exact_field(overrides: dict[str, Any], field: str, reason: str) -> None:
    assert refusal(**overrides) == (field, reason)


@pytest.mark.parametrize(("fee", "field", "reason"), [
    (LateFeeRequest("", {}, 10), "late_fee", "percent_or_fixed_required"),
    (LateFeeRequest("0", {}, 10), "late_fee.percent", "must_be_above_0_and_at_most_25"),
    (LateFeeRequest("25.01", {}, 10), "late_fee.percent", "must_be_above_0_and_at_most_25"),
    (LateFeeRequest("-1", {}, 10), "late_fee.percent", "must_be_above_0_and_at_most_25"),
    (LateFeeRequest("two", {}, 10), "late_fee.percent", "not_a_decimal"),
    (LateFeeRequest("NaN", {}, 10), "late_fee.percent", "not_a_decimal"),
    (LateFeeRequest("2", {}, 0), "late_fee.after_days", "must_be_between_1_and_365"),
    (LateFeeRequest("", {"XXX": "5"}, 10), "late_fee.fixed.XXX", "unsupported_currency"),
    (LateFeeRequest("", {"GBP": "0"}, 10), "late_fee.fixed.GBP", "must_be_positive"),
    (LateFeeRequest("", {"GBP": "-5"}, 10), "late_fee.fixed.GBP", "must_be_positive"),
    (LateFeeRequest("", {"GBP": "5.001"}, 10), "late_fee.fixed.GBP", "too_many_decimal_places"),
    (LateFeeRequest("", {"JPY": "5.5"}, 10), "late_fee.fixed.JPY", "too_many_decimal_places"),
    (LateFeeRequest("", {"GBP": "five"}, 10), "late_fee.fixed.GBP", "not_a_decimal"),
    (LateFeeRequest("", {"GBP": "1E+40"}, 10), "late_fee.fixed.GBP", "too_large"),
])
def test_late_fee_errors_name_the_exact_field(fee: LateFeeRequest, field: str, reason: str) -> None:
    assert refusal(late_fee=fee) == (field, reason)


def test_percent_fee_is_rounded_once_and_the_fixed_part_applies_only_in_its_currency() -> None:
    fee = LateFee(Decimal("2.5"), {"GBP": Money.of("5.00", "GBP")}, 10)
    assert fee.amount_for(Money.of("100.10", "GBP")) == Money.of("7.50", "GBP")
    assert fee.amount_for(Money.of("100.10", "EUR")) == Money.of("2.50", "EUR")
    assert fee.amount_for(Money.of("0.10", "EUR")) == Money.of("0.00", "EUR")


def test_fixed_only_fee_is_zero_in_another_currency() -> None:
    fee = LateFee(None, {"GBP": Money.of("5.00", "GBP")}, 10)
    assert fee.amount_for(Money.of("80.00", "GBP")) == Money.of("5.00", "GBP")
    assert not fee.amount_for(Money.of("80.00", "EUR")).is_positive


def test_configured_policy_is_one_per_tenant_and_its_event_carries_the_whole_policy() -> None:
    tenant = uuid4()
    policy = DunningPolicy(tenant_id=tenant)
    policy.configure(terms(late_fee=LateFeeRequest("2.5", {"GBP": "5.00"}, 15), suspend_after_days=30))
    assert policy.id == DunningPolicy.create_id(tenant) != DunningPolicy.create_id(uuid4())
    _created, configured = policy.collect_events()
    envelope = event_envelope("payment", 7, configured)
    assert envelope["type"] == "DunningPolicy.Configured"
    assert envelope["data"] == {
        "reminder_days": [1, 7, 14], "retry_days": [3, 10],
        "late_fee": {"percent": "2.5", "fixed": {"GBP": "5.00"}}, "late_fee_after_days": 15,
        "suspend_after_days": 30,
    }
    assert policy.terms.late_fee == LateFee(Decimal("2.5"), {"GBP": Money.of("5.00", "GBP")}, 15)
    assert policy.terms.suspend_after_days == 30


def test_reconfiguring_without_fee_or_suspension_removes_them() -> None:
    policy = DunningPolicy(tenant_id=uuid4())
    policy.configure(terms(late_fee=LateFeeRequest("3", {}, 5)))
    policy.configure(terms(reminder_days=[2], retry_days=[], suspend_after_days=None))
    assert policy.terms.late_fee is None
    assert policy.terms.suspend_after_days is None
    assert policy.terms.reminder_days == (2,)
    assert not terms_of(policy).is_default
