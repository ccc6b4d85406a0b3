"""Rating: quantity in base units times the plan's price per base unit; never zero by default."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from services.rating.domain import (
    RatedRecord,
    RatingContext,
    RecordToRate,
    UnitPrice,
    UnratedRecord,
    rate,
)

ACCOUNT, PLAN = uuid4(), uuid4()
CONTEXT = RatingContext(ACCOUNT, PLAN, "EUR", {
    "voice": UnitPrice("voice", "minute", Decimal("0.02")),
    "data": UnitPrice("data", "gigabyte", Decimal("0.50")),
})


def record(service_type: str, quantity: str) -> RecordToRate:
    return RecordToRate("cdr", "r1", ACCOUNT, service_type, Decimal(quantity), "second",
                        datetime(2026, 11, 1, tzinfo=UTC))


def test_per_minute_price_applies_per_second_with_sub_cent_precision() -> None:
    rated = rate(record("voice", "125"), CONTEXT)
    assert isinstance(rated, RatedRecord)
    assert rated.amount.amount == Decimal("0.041667")
    assert rated.plan_id == PLAN


def test_data_is_priced_in_decimal_gigabytes() -> None:
    rated = rate(record("data", "3000000000"), CONTEXT)
    assert isinstance(rated, RatedRecord)
    assert rated.amount.amount == Decimal("1.500000")


def test_unpriced_service_or_unknown_account_is_unrated_with_a_reason() -> None:
    unpriced = rate(record("sms", "1"), CONTEXT)
    assert isinstance(unpriced, UnratedRecord)
    assert unpriced.reason == "no_price_for_service_type"
    unknown = rate(record("voice", "1"), None)
    assert isinstance(unknown, UnratedRecord)
    assert unknown.reason == "unknown_account"
