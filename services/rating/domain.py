"""Rating rules: the price of a usage record under its account's plan (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from kernel.money import Money
from kernel.units import UNIT_SIZE


class RecordToRate(NamedTuple):
    """A usage record as published by the usage service, in its base unit (an immutable tuple,
    cheap to make: rating reads thousands a second)."""

    source: str
    record_id: str
    account_id: UUID
    service_type: str
    quantity: Decimal
    unit: str
    started_at: datetime
    destination: str = ""
    duration: Decimal | None = None
    upstream_price: Money | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The record's identity: (source, record_id)."""
        return self.source, self.record_id


@dataclass(frozen=True)
class UnitPrice:
    """A plan's price for one unit of a service type."""

    service_type: str
    unit: str
    unit_price: Decimal

    def per_base_unit(self) -> Decimal:
        """The price of one base unit (second, message, byte, unit)."""
        return self.unit_price / UNIT_SIZE[self.unit][1]


@dataclass(frozen=True)
class RatingContext:
    """What rating needs to know of an account: its plan, currency and prices."""

    account_id: UUID
    plan_id: UUID
    currency: str
    prices: dict[str, UnitPrice]
    rate_plan_id: UUID | None = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class RatedRecord:
    """A record with its price, kept to sub-cent precision (rounded only on invoices)."""

    record: RecordToRate
    amount: Money
    plan_id: UUID


class RatedPart(NamedTuple):
    """A stored rated part: a whole record (part 0) or the included / charged part of a split one
    (an immutable tuple, cheap to make: rating makes one or more per record)."""

    record: RecordToRate
    part: int
    quantity: Decimal
    amount: Money
    plan_id: UUID
    rate_plan_id: UUID | None = None
    tariff_version: int | None = None
    band: str | None = None
    destination_prefix: str | None = None
    allowance: str | None = None
    pre_rated: bool = False
    explanation: str = ""
    destination_class: str = ""

    @classmethod
    def whole(cls, rated: RatedRecord, price: UnitPrice) -> RatedPart:
        """A record priced by its plan's flat usage price, with the arithmetic spelled out."""
        record = rated.record
        explanation = (
            f"{record.quantity} {record.unit} at {price.unit_price} {rated.amount.currency} per "
            f"{price.unit} (plan usage price) = {rated.amount.amount} {rated.amount.currency}")
        return cls(record, 0, record.quantity, rated.amount, rated.plan_id,
                   explanation=explanation)


@dataclass(frozen=True)
class UnratedRecord:
    """A record that could not be priced, and why; never priced as zero."""

    record: RecordToRate
    reason: str


def rate(record: RecordToRate, context: RatingContext | None) -> RatedRecord | UnratedRecord:
    """Price a record: quantity in base units times the plan's price per base unit."""
    if context is None:
        return UnratedRecord(record, "unknown_account")
    price = context.prices.get(record.service_type)
    if price is None:
        return UnratedRecord(record, "no_price_for_service_type")
    amount = Money(record.quantity * price.per_base_unit(), context.currency).rated()
    return RatedRecord(record, amount, context.plan_id)
