"""Pre-rated records pass through; every record that cannot be priced is unrated with a reason, never zero."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.money import Money
from services.rating.pricing import (
    Allowance,
    CycleState,
    Reason,
    TariffVersion,
    Unrated,
    UsageToPrice,
    price,
    price_batch,
)
from tests.unit.rating.pricing.tariffs import ACCOUNT, LONDON, UK, amount, one, priced, tariff, usage

D = Decimal


def unrated(record: UsageToPrice, version: TariffVersion = UK, timezone: str = LONDON) -> Unrated:
    state = CycleState.of(used={"x": D(1)})
    result, after = price(record, version, timezone, state)
    assert isinstance(result, Unrated), result
    assert after is state
    return result


def test_a_pre_rated_record_keeps_its_upstream_price() -> None:
    part = one(usage("voice", 75, "+999", upstream_price=Money.of("0.1234567", "GBP")))
    assert (part.pre_rated, part.amount, part.quantity, part.band, part.destination_prefix) == (
        True, amount("0.123457"), 75, None, None)
    assert part.explanation == "pre-rated upstream at 0.123457 GBP"
    other = one(usage("roaming", 1, upstream_price=Money.of("2", "GBP")))
    assert other.pre_rated


@pytest.mark.parametrize(("record", "reason"), [
    (usage("voice", 60, "+442079460001", upstream_price=Money.of("0.30", "EUR")), Reason.CURRENCY_MISMATCH),
    (usage("voice", 60, "+4930123456"), Reason.NO_DESTINATION_RATE),
    (usage("sms", 1, "+4930123456"), Reason.NO_DESTINATION_RATE),
    (usage("voice", 60, ""), Reason.MISSING_DESTINATION),
    (usage("sms", 1, ""), Reason.MISSING_DESTINATION),
    (usage("voice", 60, "+44 20 7946 0001"), Reason.INVALID_DESTINATION),
    (usage("voice", 60, "anonymous"), Reason.INVALID_DESTINATION),
    (usage("roaming", 1), Reason.NO_TARIFF_FOR_SERVICE_TYPE),
    (usage("voice", -1, "+442079460001"), Reason.INVALID_QUANTITY),
    (usage("voice", "NaN", "+442079460001"), Reason.INVALID_QUANTITY),
    (usage("voice", 60, "+442079460001", at=datetime(2025, 12, 31, 23, 59, tzinfo=UTC)),
     Reason.TARIFF_NOT_IN_EFFECT),
])
def test_unpriceable_records_are_unrated_with_a_reason(record: UsageToPrice, reason: Reason) -> None:
    result = unrated(record)
    assert result.reason == reason
    assert result.record == record
    assert result.detail


def test_a_service_the_version_does_not_price_is_unrated() -> None:
    no_sms = tariff(sms=())
    assert unrated(usage("sms", 1, "+447700900123"), no_sms).reason == "no_tariff_for_service_type"
    assert unrated(usage("data", 1), tariff(data=None)).reason == Reason.NO_TARIFF_FOR_SERVICE_TYPE


def test_an_unknown_timezone_is_unrated() -> None:
    assert unrated(usage("custom", 1), timezone="Mars/Olympus").reason == Reason.UNKNOWN_TIMEZONE


def test_the_version_starts_on_its_date_in_the_account_timezone() -> None:
    new_year = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert unrated(usage("custom", 1, at=new_year)).reason == Reason.TARIFF_NOT_IN_EFFECT
    [part] = priced(usage("custom", 1, at=new_year), timezone="Europe/Paris")  # 00:30 on 1 January
    assert part.amount == amount("0.25")


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        UsageToPrice("cdr", "n", ACCOUNT, "voice", D(1), datetime(2026, 11, 24, 10, 0))


OTHER = UUID("9d0f3a4b-1c2e-4f5a-8b6c-7d8e9f0a1b2c")
BUNDLE = tariff(allowances=(Allowance("national", "voice", D(600), ("44",)), Allowance("texts", "sms", D(3))))


def mixed_records(seed: int, count: int) -> list[UsageToPrice]:
    """Records of two accounts, several services and destinations, some at the same instant."""
    chooser = random.Random(seed)
    kinds = [("voice", "+442079460001"), ("voice", "+447700900123"), ("voice", "+33140000000"),
             ("sms", "+447700900123"), ("data", ""), ("custom", ""), ("voice", "+4930123456")]
    records = []
    for index in range(count):
        service, destination = chooser.choice(kinds)
        at = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(hours=chooser.randrange(24 * 7))
        records.append(UsageToPrice(
            chooser.choice(["pbx-1", "pbx-2"]), f"r{index}", chooser.choice([ACCOUNT, OTHER]), service,
            D(chooser.randrange(0, 400)), at, destination=destination))
    return records


def batch(records: list[UsageToPrice]) -> tuple[list[object], dict[UUID, CycleState]]:
    results, states = price_batch(records, lambda _: BUNDLE, lambda account: LONDON if account == ACCOUNT
                                  else "Europe/Paris", {})
    return list(results), states


def test_a_batch_prices_each_account_in_event_order() -> None:
    early = usage("voice", 500, "+442079460001", at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC), record_id="b")
    late = usage("voice", 500, "+442079460001", at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC), record_id="a")
    results, states = price_batch([late, early], lambda _: BUNDLE, lambda _: LONDON, {})
    assert [record for record, _ in results] == [early, late]
    first, second = (result for _, result in results)
    assert isinstance(first, list) and isinstance(second, list)
    assert [part.allowance for part in first] == ["national"]
    assert [(part.allowance, part.quantity) for part in second] == [("national", 100), (None, 400)]
    assert states[ACCOUNT].used("national") == 600


def test_a_batch_without_a_version_for_a_record_leaves_it_unrated() -> None:
    record = usage("custom", 1)
    results, states = price_batch([record], lambda _: None, lambda _: LONDON, {})
    assert results == [(record, Unrated(record, Reason.NO_TARIFF_VERSION, "no tariff version applies"))]
    assert states == {}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.randoms(use_true_random=False))
def test_same_inputs_give_identical_outputs_whatever_the_input_order(
    seed: int, shuffler: random.Random,
) -> None:
    records = mixed_records(seed, 30)
    expected = batch(records)
    shuffled = list(records)
    shuffler.shuffle(shuffled)
    assert batch(shuffled) == expected
    assert batch([replace(record) for record in records]) == expected
