"""Usage records and the rules a received record must pass (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from uuid import UUID

from kernel.units import BASE_UNIT

MAX_QUANTITY: dict[str, Decimal] = {
    "second": Decimal(31 * 86400),
    "message": Decimal(10) ** 6,
    "byte": Decimal(10) ** 15,
    "unit": Decimal(10) ** 12,
}
"""Largest believable quantity in one record per base unit (a month of call, 1 PB, ...)."""
MAX_TEXT = 200
MAX_BATCH = 10_000


class Outcome(Enum):
    """What became of a received record: exactly one of these."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ReceivedRecord:
    """A record as received: text fields, so a rejection can name the field at fault."""

    record_id: str
    source: str
    account_id: str
    service_type: str
    quantity: str
    unit: str
    started_at: str
    attributes: dict[str, str] = field(default_factory=dict)
    unknown_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class UsageRecord:
    """A valid usage record, measured in its service type's base unit."""

    record_id: str
    source: str
    account_id: UUID
    service_type: str
    quantity: Decimal
    unit: str
    started_at: datetime
    attributes: dict[str, str]

    @property
    def key(self) -> tuple[str, str]:
        """Dedup key within a tenant: (source, record id)."""
        return (self.source, self.record_id)


@dataclass(frozen=True)
class Rejection:
    """Why a record was rejected: the field and a machine-readable reason."""

    field: str
    reason: str


class RecordRejectedError(Exception):
    """Raised inside validation; carries the rejection."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.rejection = Rejection(field, reason)


def validate(received: ReceivedRecord, now: datetime, max_skew: timedelta) -> UsageRecord:
    """Check every rule; raise RecordRejectedError naming the first field at fault."""
    if received.unknown_fields:
        raise RecordRejectedError(received.unknown_fields[0], "unknown_field")
    record_id = check_text(received.record_id, "record_id")
    source = check_text(received.source, "source")
    account_id = check_account_id(received.account_id)
    service_type = check_service_type(received.service_type)
    unit = check_unit(received.unit, service_type)
    quantity = check_quantity(received.quantity, unit)
    started_at = check_started_at(received.started_at, now, max_skew)
    return UsageRecord(record_id, source, account_id, service_type, quantity, unit, started_at,
                       dict(received.attributes))


def check_text(value: str, field_name: str) -> str:
    """A required short identifier."""
    if not value.strip():
        raise RecordRejectedError(field_name, "required")
    if len(value) > MAX_TEXT:
        raise RecordRejectedError(field_name, "too_long")
    return value


def check_account_id(value: str) -> UUID:
    """An account id."""
    if not value:
        raise RecordRejectedError("account_id", "required")
    try:
        return UUID(value)
    except ValueError:
        raise RecordRejectedError("account_id", "not_a_valid_id") from None


def check_service_type(value: str) -> str:
    """voice, sms, data or custom."""
    if value not in BASE_UNIT:
        raise RecordRejectedError("service_type", "unknown_service_type")
    return value


def check_unit(value: str, service_type: str) -> str:
    """Records are measured in the service type's base unit."""
    if value != BASE_UNIT[service_type]:
        raise RecordRejectedError("unit", f"must_be_{BASE_UNIT[service_type]}")
    return value


def check_quantity(value: str, unit: str) -> Decimal:
    """A finite, non-negative, believable decimal."""
    try:
        quantity = Decimal(value)
    except InvalidOperation:
        raise RecordRejectedError("quantity", "not_a_number") from None
    if not quantity.is_finite():
        raise RecordRejectedError("quantity", "not_a_number")
    if quantity < 0:
        raise RecordRejectedError("quantity", "negative")
    if quantity > MAX_QUANTITY[unit]:
        raise RecordRejectedError("quantity", "absurd")
    return quantity


def check_started_at(value: str, now: datetime, max_skew: timedelta) -> datetime:
    """An RFC 3339 instant with an offset, not beyond the allowed clock skew into the future."""
    try:
        started_at = datetime.fromisoformat(value)
    except ValueError:
        raise RecordRejectedError("started_at", "not_a_timestamp") from None
    if started_at.tzinfo is None:
        raise RecordRejectedError("started_at", "missing_timezone")
    if started_at > now + max_skew:
        raise RecordRejectedError("started_at", "in_the_future")
    return started_at


def partition_of(account_id: UUID, partitions: int) -> int:
    """The usage partition of an account: one rating worker owns each partition."""
    return account_id.int % partitions
