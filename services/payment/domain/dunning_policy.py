"""Dunning policies: each tenant's reminder, retry, late-fee and suspension schedule.

Schedules count days after an invoice's due date. A tenant that never configured a policy
dunns by DEFAULT_TERMS: reminders 1, 7 and 14 days overdue, retries 3 and 10 days overdue,
no late fee, suspension 21 days overdue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.errors import InvalidInputError
from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money, MoneyError, check_currency, parse_decimal

MAX_STEPS = 10
MAX_DAYS = 365
MAX_PERCENT = Decimal(25)
HUNDRED = Decimal(100)


class InvalidDunningPolicyError(InvalidInputError):
    """A field of a dunning policy is not acceptable."""


@dataclass(frozen=True)
class LateFeeRequest:
    """A late fee as a client writes it: a percent and/or fixed amounts per currency, as text."""

    percent: str = ""
    fixed: Mapping[str, str] = field(default_factory=dict)
    after_days: int = 0


@dataclass(frozen=True)
class LateFee:
    """Charged once per overdue episode: a percent of the overdue amount plus a fixed amount."""

    percent: Decimal | None
    fixed: Mapping[str, Money]
    after_days: int

    def amount_for(self, overdue: Money) -> Money:
        """The fee on an overdue amount, in its currency, rounded once (zero when none applies)."""
        fee = Money.zero(overdue.currency)
        if self.percent is not None:
            fee = fee + (overdue * self.percent * Decimal("0.01")).rounded()
        fixed = self.fixed.get(overdue.currency)
        return fee if fixed is None else fee + fixed

    def as_dict(self) -> dict[str, Any]:
        """The stored form (permanent event schema): decimals as text."""
        return {
            "percent": None if self.percent is None else str(self.percent),
            "fixed": {currency: str(money.amount) for currency, money in sorted(self.fixed.items())},
        }

    @classmethod
    def from_stored(cls, data: Mapping[str, Any], after_days: int) -> LateFee:
        """Rebuild from the stored form."""
        percent = data.get("percent")
        return cls(
            percent=None if percent is None else Decimal(percent),
            fixed={currency: Money.of(amount, currency) for currency, amount in data["fixed"].items()},
            after_days=after_days,
        )


@dataclass(frozen=True)
class DunningTerms:
    """A dunning policy as used: days overdue for each reminder and retry, the fee, the suspension."""

    reminder_days: tuple[int, ...]
    retry_days: tuple[int, ...]
    late_fee: LateFee | None
    suspend_after_days: int | None
    is_default: bool = False

    def as_event(self) -> dict[str, Any]:
        """The data of a Configured event."""
        return {
            "reminder_days": list(self.reminder_days),
            "retry_days": list(self.retry_days),
            "late_fee": None if self.late_fee is None else self.late_fee.as_dict(),
            "late_fee_after_days": None if self.late_fee is None else self.late_fee.after_days,
            "suspend_after_days": self.suspend_after_days,
        }


DEFAULT_TERMS = DunningTerms(
    reminder_days=(1, 7, 14), retry_days=(3, 10), late_fee=None, suspend_after_days=21,
    is_default=True,
)


def parse_terms(
    reminder_days: Sequence[int],
    retry_days: Sequence[int],
    late_fee: LateFeeRequest | None,
    suspend_after_days: int | None,
) -> DunningTerms:
    """Validate a policy from a request; errors name the field (reminder_days[2], late_fee.percent)."""
    return DunningTerms(
        reminder_days=parse_schedule("reminder_days", reminder_days),
        retry_days=parse_schedule("retry_days", retry_days),
        late_fee=None if late_fee is None else parse_late_fee(late_fee),
        suspend_after_days=(
            None if suspend_after_days is None
            else check_day_count("suspend_after_days", suspend_after_days)
        ),
    )


def parse_schedule(name: str, days: Sequence[int]) -> tuple[int, ...]:
    """At most MAX_STEPS day counts, each 1..MAX_DAYS, strictly increasing."""
    if len(days) > MAX_STEPS:
        raise InvalidDunningPolicyError(name, f"at_most_{MAX_STEPS}_steps")
    for index, day in enumerate(days):
        check_day_count(f"{name}[{index}]", day)
        if index and day <= days[index - 1]:
            raise InvalidDunningPolicyError(f"{name}[{index}]", "must_increase")
    return tuple(days)


def check_day_count(name: str, days: int) -> int:
    """A whole number of days overdue, 1..MAX_DAYS."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidDunningPolicyError(name, f"must_be_between_1_and_{MAX_DAYS}")
    return days


def parse_late_fee(request: LateFeeRequest) -> LateFee:
    """A percent (0 < p <= 25) and/or fixed amounts, charged after_days overdue."""
    percent = parse_percent(request.percent) if request.percent.strip() else None
    fixed = {currency: parse_fixed_fee(currency, amount) for currency, amount in request.fixed.items()}
    if percent is None and not fixed:
        raise InvalidDunningPolicyError("late_fee", "percent_or_fixed_required")
    return LateFee(percent, fixed, check_day_count("late_fee.after_days", request.after_days))


def parse_percent(text: str) -> Decimal:
    """A percent of the overdue amount: more than 0, at most MAX_PERCENT."""
    try:
        percent = parse_decimal(text)
    except MoneyError:
        raise InvalidDunningPolicyError("late_fee.percent", "not_a_decimal") from None
    if not 0 < percent <= MAX_PERCENT:
        raise InvalidDunningPolicyError("late_fee.percent", f"must_be_above_0_and_at_most_{MAX_PERCENT}")
    return percent


def parse_fixed_fee(currency: str, text: str) -> Money:
    """A positive amount in a billing currency, in its minor unit."""
    name = f"late_fee.fixed.{currency}"
    try:
        check_currency(currency)
    except MoneyError:
        raise InvalidDunningPolicyError(name, "unsupported_currency") from None
    try:
        amount = Money(parse_decimal(text), currency)
    except MoneyError:
        raise InvalidDunningPolicyError(name, "not_a_decimal") from None
    if not amount.is_positive:
        raise InvalidDunningPolicyError(name, "must_be_positive")
    try:
        rounded = amount.rounded()
    except InvalidOperation:
        raise InvalidDunningPolicyError(name, "too_large") from None
    if rounded.amount != amount.amount:
        raise InvalidDunningPolicyError(name, "too_many_decimal_places")
    return rounded


class DunningPolicy(TenantAggregate):
    """A tenant's dunning policy (DEFAULT_TERMS until first configured)."""

    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        """One policy per tenant."""
        return derived_id(tenant_id, "dunning-policy")

    @event("Created")
    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.terms = DEFAULT_TERMS

    def configure(self, terms: DunningTerms) -> None:
        """Replace the whole policy; episodes in progress go on under the new one."""
        self._configured(**terms.as_event())

    @event("Configured")
    def _configured(
        self,
        reminder_days: list[int],
        retry_days: list[int],
        late_fee: dict[str, Any] | None,
        late_fee_after_days: int | None,
        suspend_after_days: int | None,
    ) -> None:
        self.terms = DunningTerms(
            reminder_days=tuple(reminder_days),
            retry_days=tuple(retry_days),
            late_fee=(
                None if late_fee is None or late_fee_after_days is None
                else LateFee.from_stored(late_fee, late_fee_after_days)
            ),
            suspend_after_days=suspend_after_days,
        )


def terms_of(policy: DunningPolicy | None) -> DunningTerms:
    """The terms a tenant dunns by: its configured policy, or the default."""
    return DEFAULT_TERMS if policy is None else policy.terms
