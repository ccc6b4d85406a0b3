"""Usage records and the rules a received record must pass (no I/O)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from uuid import UUID

from kernel.money import MINOR_UNITS, Money
from kernel.units import BASE_UNIT

MAX_QUANTITY: dict[str, Decimal] = {
    "second": Decimal(31 * 86400),
    "message": Decimal(10) ** 6,
    "byte": Decimal(10) ** 15,
    "unit": Decimal(10) ** 12,
}
"""Largest believable quantity in one record per base unit (a month of call, 1 PB, ...)."""
MAX_PRICE = Decimal(10) ** 9
"""Largest believable upstream price of one record."""
MAX_SESSION_SECONDS = Decimal(10 * 366 * 86400)
"""Longest believable accounting session (an always-on line)."""
MAX_TEXT = 200
MAX_ATTRIBUTES = 32
MAX_ATTRIBUTE_TEXT = 1000
MAX_BATCH = 10_000


class Outcome(Enum):
    """What became of a received record: exactly one of these."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(slots=True)
class ReceivedRecord:
    """A record as received: text fields, so a rejection can name the field at fault.

    The record names its customer by account_id or by subscriber (an identity such as an
    E.164 number, a username or a circuit id, resolved to an account). ended_at and duration
    are optional; price and currency are given only for records priced upstream. A record
    with a session carries cumulative counters of that accounting session (RADIUS) in
    quantity and duration: the store turns them into per-interval deltas.
    """

    record_id: str
    source: str
    service_type: str
    quantity: str
    unit: str
    started_at: str
    account_id: str = ""
    subscriber: str = ""
    ended_at: str = ""
    duration: str = ""
    price: str = ""
    currency: str = ""
    session: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    unknown_fields: tuple[str, ...] = ()


@dataclass(slots=True)
class UsageRecord:
    """A valid usage record, measured in its service type's base unit.

    account_id is None until the subscriber identity is resolved. For session records
    (RADIUS), quantity and duration are cumulative until the store turns them into deltas.
    key is the dedup key within a tenant: (source, record id).
    """

    record_id: str
    source: str
    account_id: UUID | None
    subscriber: str
    service_type: str
    quantity: Decimal
    unit: str
    started_at: datetime
    ended_at: datetime | None
    duration: Decimal | None
    price: Money | None
    session: str
    attributes: dict[str, str]
    content_hash: bytes
    key: tuple[str, str]


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


@dataclass(frozen=True)
class TimeWindow:
    """Event times a record may carry: not older than max_age, not beyond max_skew ahead."""

    now: datetime
    max_skew: timedelta
    max_age: timedelta

    @property
    def latest(self) -> datetime:
        """The latest acceptable event time."""
        return self.now + self.max_skew

    @property
    def earliest(self) -> datetime:
        """The earliest acceptable event time."""
        return self.now - self.max_age


def validate(received: ReceivedRecord, window: TimeWindow) -> UsageRecord:
    """Check every rule; raise RecordRejectedError naming the first field at fault."""
    if received.unknown_fields:
        raise RecordRejectedError(received.unknown_fields[0], "unknown_field")
    record_id = check_text(received.record_id, "record_id")
    source = check_text(received.source, "source")
    account_id, subscriber = check_customer(received.account_id, received.subscriber)
    service_type = check_service_type(received.service_type)
    unit = check_unit(received.unit, service_type)
    quantity = check_quantity(received.quantity, unit)
    started_at = check_started_at(received.started_at, window)
    ended_at = check_ended_at(received.ended_at, started_at)
    session = check_optional_text(received.session, "session")
    duration = check_duration(received.duration, session)
    price = check_price(received.price, received.currency)
    attributes = check_attributes(received.attributes)
    digest = content_hash(account_id, subscriber, service_type, quantity, unit, started_at,
                          ended_at, duration, price, session, attributes)
    return UsageRecord(
        record_id, source, account_id, subscriber, service_type, quantity, unit, started_at,
        ended_at, duration, price, session, attributes, digest, (source, record_id),
    )


def content_hash(
    account_id: UUID | None, subscriber: str, service_type: str, quantity: Decimal, unit: str,
    started_at: datetime, ended_at: datetime | None, duration: Decimal | None,
    price: Money | None, session: str, attributes: dict[str, str],
) -> bytes:
    """A digest of a record's normalised content: the same id with another digest is a conflict."""
    text = (
        f"{account_id}\x1f{subscriber}\x1f{service_type}\x1f{quantity.normalize()}\x1f{unit}"
        f"\x1f{utc_text(started_at)}\x1f{utc_text(ended_at)}"
        f"\x1f{'' if duration is None else duration.normalize()}"
        f"\x1f{'' if price is None else f'{price.amount.normalize()} {price.currency}'}"
        f"\x1f{session}\x1f{sorted(attributes.items()) if len(attributes) > 1 else attributes}"
    )
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def utc_text(instant: datetime | None) -> str:
    """An instant as UTC text, so the same instant in two offsets compares equal."""
    if instant is None:
        return ""
    return (instant.astimezone(UTC) if instant.utcoffset() else instant).isoformat()


def check_text(value: str, field_name: str) -> str:
    """A required short identifier."""
    if not value.strip():
        raise RecordRejectedError(field_name, "required")
    if len(value) > MAX_TEXT:
        raise RecordRejectedError(field_name, "too_long")
    return value


def check_optional_text(value: str, field_name: str) -> str:
    """An optional short identifier."""
    if len(value) > MAX_TEXT:
        raise RecordRejectedError(field_name, "too_long")
    return value.strip()


def check_customer(account_id: str, subscriber: str) -> tuple[UUID | None, str]:
    """An account id, or a subscriber identity resolved to an account later."""
    subscriber = check_optional_text(subscriber, "subscriber")
    if account_id:
        try:
            return UUID(account_id), subscriber
        except ValueError:
            raise RecordRejectedError("account_id", "not_a_valid_id") from None
    if not subscriber:
        raise RecordRejectedError("subscriber", "required")
    return None, subscriber


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


def check_number(value: str, field_name: str, limit: Decimal) -> Decimal:
    """A finite, non-negative, believable decimal."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RecordRejectedError(field_name, "not_a_number") from None
    if not number.is_finite():
        raise RecordRejectedError(field_name, "not_a_number")
    if number < 0:
        raise RecordRejectedError(field_name, "negative")
    if number > limit:
        raise RecordRejectedError(field_name, "absurd")
    return number


def check_quantity(value: str, unit: str) -> Decimal:
    """The quantity in the base unit."""
    return check_number(value, "quantity", MAX_QUANTITY[unit])


def check_duration(value: str, session: str) -> Decimal | None:
    """Optional duration in seconds (cumulative over a whole session for session records)."""
    if not value:
        return None
    return check_number(value, "duration", MAX_SESSION_SECONDS if session else MAX_QUANTITY["second"])


def parse_instant(value: str, field_name: str) -> datetime:
    """An RFC 3339 instant with an offset."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise RecordRejectedError(field_name, "not_a_timestamp") from None
    if instant.tzinfo is None:
        raise RecordRejectedError(field_name, "missing_timezone")
    return instant


def check_started_at(value: str, window: TimeWindow) -> datetime:
    """When the usage started: inside the accepted time window."""
    if not value:
        raise RecordRejectedError("started_at", "required")
    started_at = parse_instant(value, "started_at")
    if started_at > window.latest:
        raise RecordRejectedError("started_at", "in_the_future")
    if started_at < window.earliest:
        raise RecordRejectedError("started_at", "too_old")
    return started_at


def check_ended_at(value: str, started_at: datetime) -> datetime | None:
    """Optional end of the usage: never before its start."""
    if not value:
        return None
    ended_at = parse_instant(value, "ended_at")
    if ended_at < started_at:
        raise RecordRejectedError("ended_at", "end_before_start")
    return ended_at


def check_price(amount: str, currency: str) -> Money | None:
    """Optional upstream price: a non-negative amount with its currency."""
    if not amount:
        if currency:
            raise RecordRejectedError("price", "required")
        return None
    if not currency:
        raise RecordRejectedError("currency", "required")
    if currency not in MINOR_UNITS:
        raise RecordRejectedError("currency", "unsupported_currency")
    return Money(check_number(amount, "price", MAX_PRICE), currency)


def check_attributes(attributes: dict[str, str]) -> dict[str, str]:
    """A few short attributes (origin, destination, direction, location, ...)."""
    if len(attributes) > MAX_ATTRIBUTES:
        raise RecordRejectedError("attributes", "too_many")
    for name, value in attributes.items():
        if len(name) > MAX_TEXT or len(value) > MAX_ATTRIBUTE_TEXT:
            raise RecordRejectedError(f"attributes.{name[:MAX_TEXT]}", "too_long")
    return attributes


def partition_of(account_id: UUID, partitions: int) -> int:
    """The usage partition of an account: one rating worker owns each partition."""
    return account_id.int % partitions
