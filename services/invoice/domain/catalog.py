"""Plans: a recurring fee and a price per unit of each service type."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.money import Money, MoneyError, check_currency, parse_decimal
from kernel.units import UNIT_SIZE, base_quantity
from services.invoice.domain.errors import InvalidPlanError


@dataclass(frozen=True)
class UsagePrice:
    """The price of one unit of a service type, in the plan's currency."""

    service_type: str
    unit: str
    unit_price: Decimal

    @classmethod
    def parse(cls, index: int, service_type: str, unit: str, unit_price: str) -> UsagePrice:
        """Validate a price from a request; errors name usage_prices[index].<field>."""
        field = f"usage_prices[{index}]"
        if unit not in UNIT_SIZE:
            raise InvalidPlanError(f"{field}.unit", f"unknown unit {unit!r}")
        if UNIT_SIZE[unit][0] != service_type:
            raise InvalidPlanError(f"{field}.unit", f"{unit!r} is not a unit of {service_type!r}")
        try:
            price = parse_decimal(unit_price)
        except MoneyError as error:
            raise InvalidPlanError(f"{field}.unit_price", str(error)) from None
        if price < 0:
            raise InvalidPlanError(f"{field}.unit_price", "must not be negative")
        return cls(service_type, unit, price)

    def price_per_base_unit(self) -> Decimal:
        """The price of one base unit (second, message, byte, unit)."""
        return self.unit_price / base_quantity(Decimal(1), self.unit)

    def as_dict(self) -> dict[str, str]:
        """The stored form (part of the permanent event schema)."""
        return {"service_type": self.service_type, "unit": self.unit,
                "unit_price": str(self.unit_price)}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> UsagePrice:
        """Rebuild from the stored form."""
        return cls(data["service_type"], data["unit"], Decimal(data["unit_price"]))


def parse_plan_fields(
    name: str, currency: str, recurring_fee: str
) -> tuple[str, str, Money]:
    """Validate a plan's name, currency and recurring fee."""
    if not name.strip():
        raise InvalidPlanError("name", "must not be empty")
    try:
        check_currency(currency)
    except MoneyError as error:
        raise InvalidPlanError("currency", str(error)) from None
    try:
        fee = Money.of(recurring_fee, currency)
    except MoneyError as error:
        raise InvalidPlanError("recurring_fee", str(error)) from None
    if fee.amount < 0:
        raise InvalidPlanError("recurring_fee", "must not be negative")
    return name.strip(), currency, fee


def check_one_price_per_service(prices: list[UsagePrice]) -> None:
    """A plan prices each service type once."""
    seen: set[str] = set()
    for index, price in enumerate(prices):
        if price.service_type in seen:
            raise InvalidPlanError(f"usage_prices[{index}].service_type", "priced twice")
        seen.add(price.service_type)


class Plan(TenantAggregate):
    """What a subscriber pays: a recurring fee per period and usage prices."""

    @event("Created")
    def __init__(
        self,
        tenant_id: UUID,
        name: str,
        currency: str,
        recurring_fee: Money,
        usage_prices: list[dict[str, str]],
    ) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.currency = currency
        self.recurring_fee = recurring_fee
        self.usage_prices = usage_prices
        self.rate_plan_id: UUID | None = None

    @event("RatePlanLinked")
    def link_rate_plan(self, rate_plan_id: UUID) -> None:
        """Price usage with a versioned rate plan of the rating service instead of usage_prices."""
        self.rate_plan_id = rate_plan_id

    def prices(self) -> list[UsagePrice]:
        """The usage prices as value objects."""
        return [UsagePrice.from_dict(price) for price in self.usage_prices]
