"""Tiers over the cycle's charged total: graduated (each unit in its tier) or volume (all in one)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.rating.pricing import CustomTariff, CycleState, DataTariff, Tier, Tiers, price
from services.rating.pricing.tiers import TierMode, tier_shares
from tests.unit.rating.pricing.tariffs import LONDON, amount, priced, tariff, usage

D = Decimal
GB = 10**9
LIMITS = (Tier(D("10"), D("5")), Tier(D("50"), D("3")), Tier(None, D("1")))
GRADUATED = tariff(data=DataTariff("gigabyte", tiers=Tiers("graduated", LIMITS)))
VOLUME = tariff(data=DataTariff("gigabyte", tiers=Tiers("volume", LIMITS)))


def run(version_name: str, volumes_gb: list[str]) -> tuple[list[Decimal], CycleState]:
    version = GRADUATED if version_name == "graduated" else VOLUME
    state = CycleState()
    amounts = []
    for volume in volumes_gb:
        result, state = price(usage("data", D(volume) * GB), version, LONDON, state)
        assert isinstance(result, list)
        amounts.append(result[0].amount.amount)
    return amounts, state


def test_graduated_tiers_price_each_gigabyte_in_the_tier_it_falls_in() -> None:
    amounts, state = run("graduated", ["8", "4", "40", "10"])
    # 8 at 5; 2 at 5 + 2 at 3; 40 at 3 (12 -> 52: 38 at 3 + 2 at 1); 10 at 1
    assert amounts == [D("40"), D("16"), D("116"), D("10")]
    assert state.total("data") == 62 * GB


def test_volume_tiers_price_the_whole_record_at_the_tier_the_running_total_reaches() -> None:
    amounts, state = run("volume", ["8", "2", "4", "40"])
    # 8 (total 8) at 5; 2 (total 10, limit inclusive) at 5; 4 (total 14) at 3; 40 (total 54) at 1
    assert amounts == [D("40"), D("10"), D("12"), D("40")]
    assert state.total("data") == 54 * GB


def test_tiered_explanation_shows_the_split() -> None:
    state = CycleState.of(totals={"data": D(9) * GB})
    [part] = priced(usage("data", 2 * GB), GRADUATED, state)
    assert part.amount == amount("8")
    assert part.explanation == ("data session of 2000000000 B, graduated tiers from a cycle total of 9 GB: "
                                "1 GB at 5.00 + 1 GB at 3.00 GBP/GB = 8.00 GBP")


def test_tiers_apply_to_custom_units_too() -> None:
    tiers = Tiers("graduated", (Tier(D("100"), D("0.10")), Tier(None, D("0.05"))))
    version = tariff(custom=CustomTariff(tiers=tiers))
    [part] = priced(usage("custom", 150), version)
    assert part.amount == amount("12.5")


def test_tiers_count_charged_quantity_after_session_rounding() -> None:
    version = tariff(data=DataTariff("megabyte", session_rounding_bytes=10**6, tiers=Tiers("volume", (
        Tier(D("2"), D("1")), Tier(None, D("0.5"))))))
    state = CycleState()
    for _ in range(2):
        result, state = price(usage("data", 1), version, LONDON, state)
    assert state.total("data") == 2 * 10**6
    result, state = price(usage("data", 1), version, LONDON, state)
    assert isinstance(result, list)
    assert result[0].amount == amount("0.5")


tier_limits = st.lists(st.integers(1, 100), min_size=0, max_size=4, unique=True).map(sorted)
tier_prices = st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=5, max_size=5)


def make_tiers(mode: TierMode, limits: list[int], prices: list[Decimal]) -> Tiers:
    """Tiers with these limits, the last one unlimited, priced in order."""
    bounds: list[Decimal | None] = [*map(D, limits), None]
    pairs = zip(bounds, prices, strict=False)
    return Tiers(mode, tuple(Tier(bound, unit_price) for bound, unit_price in pairs))


def reference_cost(limits: list[int], prices: list[Decimal], total: Decimal) -> Decimal:
    """The graduated cost of the first `total` units of a cycle, tier by tier."""
    cost = D(0)
    lower = D(0)
    for limit, unit_price in zip([*limits, None], prices, strict=False):
        upper = total if limit is None else min(total, D(limit))
        if upper > lower:
            cost += (upper - lower) * unit_price
        if limit is None or total <= limit:
            break
        lower = D(limit)
    return cost


@given(tier_limits, tier_prices, st.decimals(min_value=0, max_value=200, places=3),
       st.decimals(min_value=0, max_value=200, places=3))
def test_graduated_equals_the_difference_of_cycle_costs(limits: list[int], prices: list[Decimal],
                                                        before: Decimal, quantity: Decimal) -> None:
    tiers = make_tiers("graduated", limits, prices)
    shares = tier_shares(tiers, D(1), before, quantity)
    assert sum(share.quantity for share in shares) == quantity
    assert sum(share.quantity * share.price for share in shares) == (
        reference_cost(limits, prices, before + quantity) - reference_cost(limits, prices, before))


@given(tier_limits, tier_prices, st.decimals(min_value=0, max_value=200, places=3),
       st.decimals(min_value=0, max_value=200, places=3))
def test_volume_prices_everything_at_the_first_tier_whose_limit_is_not_exceeded(
    limits: list[int], prices: list[Decimal], before: Decimal, quantity: Decimal,
) -> None:
    tiers = make_tiers("volume", limits, prices)
    reached = next((index for index, limit in enumerate(limits) if before + quantity <= limit), len(limits))
    assert [(share.quantity, share.price) for share in tier_shares(tiers, D(1), before, quantity)] == [
        (quantity, prices[reached])]
