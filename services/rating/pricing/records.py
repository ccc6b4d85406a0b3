"""What the pricing engine takes (a usage record) and gives (priced parts, or the reason it could not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple, Protocol
from uuid import UUID

from kernel.money import Money


class UsageRecord(Protocol):
    """What the engine reads of a usage record: a UsageToPrice, or any record with these fields
    (started_at aware, quantity in the service's base unit)."""

    @property
    def service_type(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def destination(self) -> str: ...
    @property
    def upstream_price(self) -> Money | None: ...
    @property
    def key(self) -> tuple[str, str]: ...


@dataclass(frozen=True, slots=True)
class UsageToPrice:
    """A usage record to price: its quantity in the service's base unit, when it started, where to."""

    source: str
    record_id: str
    account_id: UUID
    service_type: str
    quantity: Decimal
    started_at: datetime
    destination: str = ""
    upstream_price: Money | None = None
    session_id: str | None = None

    def __post_init__(self) -> None:
        if self.started_at.utcoffset() is None:
            raise ValueError("started_at must be an aware datetime")

    @property
    def key(self) -> tuple[str, str]:
        """The record's identity: (source, record_id)."""
        return self.source, self.record_id

    @property
    def event_order(self) -> tuple[datetime, str, str]:
        """The order records of an account are priced in: (started_at, source, record_id)."""
        return self.started_at, self.source, self.record_id


class Priced(NamedTuple):
    """One priced part of a record: a whole record, or the included or charged part of a split one.

    quantity is the part's measured quantity and billed_quantity the quantity charged after
    increments or session rounding, both in the service's base unit; amount keeps 6 decimals.
    An immutable tuple, cheap to make: a batch makes one or more per record.
    """

    record_key: tuple[str, str]
    part: int
    service_type: str
    quantity: Decimal
    billed_quantity: Decimal
    amount: Money
    band: str | None
    destination_prefix: str | None
    destination_name: str | None
    allowance: str | None
    rate_plan_id: UUID
    tariff_version: int
    pre_rated: bool
    explanation: str


class Reason(StrEnum):
    """Why a record could not be priced; such a record is never priced as zero."""

    NO_TARIFF_VERSION = "no_tariff_version"
    TARIFF_NOT_IN_EFFECT = "tariff_not_in_effect"
    UNKNOWN_TIMEZONE = "unknown_timezone"
    INVALID_QUANTITY = "invalid_quantity"
    CURRENCY_MISMATCH = "currency_mismatch"
    NO_TARIFF_FOR_SERVICE_TYPE = "no_tariff_for_service_type"
    MISSING_DESTINATION = "missing_destination"
    INVALID_DESTINATION = "invalid_destination"
    NO_DESTINATION_RATE = "no_destination_rate"


@dataclass(frozen=True, slots=True)
class Unrated:
    """A record that could not be priced, the reason, and a detail for people."""

    record: UsageRecord
    reason: Reason
    detail: str = ""
