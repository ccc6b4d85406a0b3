"""Subscriptions: an account on a plan from a start date, with plan changes, an end and discounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.money import Money, MoneyError, parse_decimal
from services.invoice.domain.errors import InvalidSubscriptionError, SubscriptionEndedError

MAX_DISCOUNT_CYCLES = 120
DISCOUNT_KINDS = ("percent", "fixed")


@dataclass(frozen=True)
class Segment:
    """A stretch [start, end) of a subscription on one plan; end None while open."""

    plan_id: UUID
    plan_name: str
    fee: Money
    start: date
    end: date | None

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"plan_id": str(self.plan_id), "plan_name": self.plan_name, "fee": self.fee,
                "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """Rebuild from the stored form."""
        return cls(UUID(str(data["plan_id"])), data["plan_name"], data["fee"], data["start"],
                   data["end"])


@dataclass(frozen=True)
class Discount:
    """A percent or fixed reduction of the recurring charge of `cycles` cycles from a cycle start."""

    discount_id: str
    kind: str
    value: Decimal
    cycles: int
    description: str
    first_cycle_start: date

    @classmethod
    def parse(
        cls, discount_id: str, kind: str, value: str, cycles: int, description: str,
        first_cycle_start: date, currency: str,
    ) -> Discount:
        """Validate a discount from a request; errors name the field."""
        if kind not in DISCOUNT_KINDS:
            raise InvalidSubscriptionError("kind", f"one of {', '.join(DISCOUNT_KINDS)}")
        try:
            amount = parse_decimal(value)
        except MoneyError as error:
            raise InvalidSubscriptionError("value", str(error)) from None
        if amount <= 0 or (kind == "percent" and amount > 100):
            raise InvalidSubscriptionError("value", "a percent is 0 < v <= 100, an amount > 0")
        if kind == "fixed" and Money(amount, currency).rounded().amount != amount:
            raise InvalidSubscriptionError("value", f"more decimals than {currency} has")
        if not 1 <= cycles <= MAX_DISCOUNT_CYCLES:
            raise InvalidSubscriptionError("cycles", f"must be 1..{MAX_DISCOUNT_CYCLES}")
        if not description.strip():
            raise InvalidSubscriptionError("description", "must not be empty")
        return cls(discount_id, kind, amount, cycles, description.strip(), first_cycle_start)

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"discount_id": self.discount_id, "kind": self.kind, "value": str(self.value),
                "cycles": self.cycles, "description": self.description,
                "first_cycle_start": self.first_cycle_start}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Discount:
        """Rebuild from the stored form."""
        return cls(data["discount_id"], data["kind"], Decimal(data["value"]), int(data["cycles"]),
                   data["description"], data["first_cycle_start"])


class Subscription(TenantAggregate):
    """An account's subscription to a plan, billed in advance per bill cycle."""

    @event("Started")
    def __init__(
        self, tenant_id: UUID, account_id: UUID, plan_id: UUID, plan_name: str,
        recurring_fee: Money, start_date: date,
    ) -> None:
        self.tenant_id = tenant_id
        self.account_id = account_id
        self.start_date = start_date
        self.end_date: date | None = None
        self.segments = [Segment(plan_id, plan_name, recurring_fee, start_date, None)]
        self.discounts: list[Discount] = []

    @property
    def plan_id(self) -> UUID:
        """The plan of the latest segment."""
        return self.segments[-1].plan_id

    def status_on(self, today: date) -> str:
        """active, cancelled (an end is set but not reached) or ended."""
        if self.end_date is None:
            return "active"
        return "ended" if self.end_date <= today else "cancelled"

    def timeline(self) -> list[Segment]:
        """The plan segments, the last one ending at the subscription's end."""
        segments = list(self.segments)
        last = segments[-1]
        segments[-1] = Segment(last.plan_id, last.plan_name, last.fee, last.start, self.end_date)
        return [segment for segment in segments if segment.end is None or segment.start < segment.end]

    def overlaps(self, start: date, end: date | None) -> bool:
        """True when the subscription runs on some day of [start, end)."""
        ends_after_start = self.end_date is None or self.end_date > start
        return ends_after_start and (end is None or self.start_date < end)

    def check_changeable_on(self, day: date, not_before: date | None, field: str) -> None:
        """A change is dated inside the subscription and not before the last bill date."""
        if not_before is not None and day < not_before:
            raise InvalidSubscriptionError(
                field, f"the account was billed up to {not_before.isoformat()}; date it on or after"
            )
        if day < self.segments[-1].start:
            raise InvalidSubscriptionError(
                field, f"before the current plan's start {self.segments[-1].start.isoformat()}"
            )
        if self.end_date is not None and day >= self.end_date:
            raise SubscriptionEndedError(f"subscription {self.id} ends {self.end_date.isoformat()}")

    def change_plan(
        self, plan_id: UUID, plan_name: str, recurring_fee: Money, effective: date,
        not_before: date | None,
    ) -> None:
        """Upgrade or downgrade from a date; the days from then are billed on the new plan."""
        self.check_changeable_on(effective, not_before, "effective_date")
        if plan_id == self.plan_id:
            raise InvalidSubscriptionError("plan_id", "the subscription is already on that plan")
        if recurring_fee.currency != self.segments[-1].fee.currency:
            raise InvalidSubscriptionError("plan_id", "the plan bills in another currency")
        self._plan_changed(plan_id=plan_id, plan_name=plan_name, recurring_fee=recurring_fee,
                           effective=effective)

    @event("PlanChanged")
    def _plan_changed(
        self, plan_id: UUID, plan_name: str, recurring_fee: Money, effective: date
    ) -> None:
        last = self.segments[-1]
        if last.start == effective:
            self.segments.pop()
        else:
            self.segments[-1] = Segment(last.plan_id, last.plan_name, last.fee, last.start, effective)
        self.segments.append(Segment(plan_id, plan_name, recurring_fee, effective, None))

    def cancel(self, end_date: date, not_before: date | None) -> None:
        """End the subscription: end_date is the first day no longer billed."""
        if self.end_date is not None and self.end_date <= end_date:
            raise SubscriptionEndedError(f"subscription {self.id} already ends {self.end_date}")
        if not_before is not None and end_date < not_before:
            raise InvalidSubscriptionError(
                "end_date", f"the account was billed up to {not_before.isoformat()}; date it on or after"
            )
        if end_date < self.segments[-1].start:
            raise InvalidSubscriptionError("end_date", "before the current plan's start")
        self._cancelled(end_date=end_date)

    @event("Cancelled")
    def _cancelled(self, end_date: date) -> None:
        self.end_date = end_date

    def add_discount(self, discount: Discount) -> None:
        """Reduce the recurring charge of the next cycles charged."""
        if self.end_date is not None and self.end_date <= discount.first_cycle_start:
            raise SubscriptionEndedError(f"subscription {self.id} ends {self.end_date}")
        self._discount_added(discount=discount.as_dict())

    @event("DiscountAdded")
    def _discount_added(self, discount: dict[str, Any]) -> None:
        self.discounts.append(Discount.from_dict(discount))
