"""Cycle states built step by step equal states built whole; shown numbers depend on value alone."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.rating.pricing import CycleState
from services.rating.pricing.explain import show, show_money

names = st.sampled_from(["voice", "sms", "data", "national", "roaming", "a", "z"])
quantities = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False)
steps = st.lists(st.tuples(st.booleans(), names, quantities), max_size=12)


@given(steps)
def test_a_state_advanced_step_by_step_equals_the_state_built_from_its_sums(
    moves: list[tuple[bool, str, Decimal]],
) -> None:
    state = CycleState()
    used: dict[str, Decimal] = {}
    totals: dict[str, Decimal] = {}
    for is_allowance, name, quantity in moves:
        if is_allowance:
            state = state.using(name, quantity)
            used[name] = used.get(name, Decimal(0)) + quantity
        else:
            state = state.charging(name, quantity)
            totals[name] = totals.get(name, Decimal(0)) + quantity
    whole = CycleState.of(used, totals)
    assert state == whole
    assert hash(state) == hash(whole)
    assert state.allowances_used == tuple(sorted(used.items()))
    assert state.charged_totals == tuple(sorted(totals.items()))


@given(st.decimals(min_value=-10**9, max_value=10**9, places=9), st.integers(0, 8))
def test_shown_text_depends_on_the_value_not_on_how_it_is_written(
    value: Decimal, extra_places: int,
) -> None:
    rewritten = value.quantize(Decimal(1).scaleb(value.as_tuple().exponent - extra_places))  # type: ignore[operator]
    assert rewritten == value
    assert show.__wrapped__(rewritten) == show.__wrapped__(value)
    assert show_money.__wrapped__(rewritten, "EUR") == show_money.__wrapped__(value, "EUR")
    assert show(value) == show.__wrapped__(value)


def test_remembered_text_is_what_the_function_says() -> None:
    for text in ("0.000001", "0.0000005", "240", "2.40", "-0", "1E+3", "0.10"):
        value = Decimal(text)
        assert show(value) == show.__wrapped__(value)
        assert show_money(value, "JPY") == show_money.__wrapped__(value, "JPY")
