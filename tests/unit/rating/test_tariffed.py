"""Batches priced by tariff versions or flat plan prices, with cycle states carried between batches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from services.rating.consumer import owned_partitions, partition_consumers
from services.rating.domain import RatingContext, RecordToRate, UnitPrice
from services.rating.pricing import Allowance, CycleState
from services.rating.tariffed import Quote, cycle_of, needed_cycles, needed_versions, price_all, quote
from tests.unit.rating.pricing.tariffs import ACCOUNT, LONDON, PLAN, tariff

PLAN_ID = uuid4()
TUESDAY_NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def call(record_id: str, seconds: int, at: datetime = TUESDAY_NOON, account: UUID = ACCOUNT,
         destination: str = "+442079460000") -> RecordToRate:
    return RecordToRate("pbx", record_id, account, "voice", Decimal(seconds), "second", at,
                        destination=destination)


def contexts(rate_plan: UUID | None = PLAN) -> dict[UUID, RatingContext]:
    flat = {"voice": UnitPrice("voice", "minute", Decimal("0.02"))}
    return {ACCOUNT: RatingContext(ACCOUNT, PLAN_ID, "GBP", flat, rate_plan, LONDON)}


def test_records_of_a_tariffed_account_are_priced_by_the_engine() -> None:
    records = [call("c1", 192)]
    day = TUESDAY_NOON.date()
    result = price_all(records, contexts(), {(PLAN, day): tariff()}, {})
    [part] = result.rated
    assert part.amount.amount == Decimal("0.210000")
    assert (part.band, part.destination_prefix, part.tariff_version) == ("peak", "4420", 1)
    assert "60/60" in part.explanation


def test_flat_plans_still_price_by_usage_prices() -> None:
    result = price_all([call("c1", 90)], contexts(rate_plan=None), {}, {})
    [part] = result.rated
    assert part.amount.amount == Decimal("0.030000")
    assert part.rate_plan_id is None
    assert part.explanation == "90 second at 0.02 GBP per minute (plan usage price) = 0.030000 GBP"


def test_no_version_in_effect_is_unrated_never_zero() -> None:
    result = price_all([call("c1", 60)], contexts(), {}, {})
    assert [u.reason for u in result.unrated] == ["no_tariff_version"]
    assert result.rated == []


def test_allowance_carries_across_batches_through_the_cycle_state() -> None:
    version = tariff(allowances=(Allowance("national", "voice", Decimal(300), ("44",)),))
    versions = {(PLAN, TUESDAY_NOON.date()): version}
    cycle = (ACCOUNT, cycle_of(TUESDAY_NOON, LONDON))
    first = price_all([call("c1", 240)], contexts(), versions, {})
    assert first.rated[0].allowance == "national"
    second = price_all([call("c2", 120, TUESDAY_NOON + timedelta(minutes=10))], contexts(),
                       versions, first.states)
    included, charged = second.rated
    assert (included.quantity, included.amount.amount) == (Decimal(60), Decimal(0))
    assert charged.quantity == Decimal(60)
    assert charged.amount.amount > 0
    assert second.states[cycle].used("national") == Decimal(300)


def test_batch_order_does_not_change_prices() -> None:
    version = tariff(allowances=(Allowance("national", "voice", Decimal(300), ("44",)),))
    versions = {(PLAN, TUESDAY_NOON.date()): version}
    records = [call(f"c{n}", 100 + n, TUESDAY_NOON + timedelta(minutes=n)) for n in range(6)]
    forward = price_all(records, contexts(), versions, {})
    backward = price_all(list(reversed(records)), contexts(), versions, {})
    assert forward.rated == backward.rated
    assert forward.states == backward.states


def test_needed_versions_and_cycles_use_the_account_timezone() -> None:
    late_evening = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    records = [call("c1", 60, late_evening)]
    assert needed_versions(records, contexts()) == {(PLAN, date(2026, 7, 1))}
    assert needed_cycles(records, contexts()) == {(ACCOUNT, date(2026, 7, 1))}
    assert needed_cycles(records, contexts(rate_plan=None)) == set()
    assert CycleState() == CycleState.of()


def test_workers_own_disjoint_partitions() -> None:
    assert owned_partitions("all", 4) == [0, 1, 2, 3]
    assert owned_partitions("0-1, 3", 4) == [0, 1, 3]
    assert partition_consumers([2]) == [("rating-p2", "usage.recorded.2")]
    for bad in ("4", "x", "-1", ""):
        with pytest.raises(ValueError):
            owned_partitions(bad, 4)


def test_a_quote_shows_the_allowance_it_would_use_without_spending_it() -> None:
    version = tariff(allowances=(Allowance("national", "voice", Decimal(300), ("44",)),))
    state = CycleState.of(used={"national": Decimal(200)})
    result = quote(call("q", 180), contexts()[ACCOUNT], version, state)
    assert isinstance(result, Quote)
    assert result.remaining_before == {"national": Decimal(100)}
    assert result.remaining_after == {"national": Decimal(0)}
    assert [p.allowance for p in result.parts] == ["national", None]
    assert state.used("national") == Decimal(200)
