"""Increments: the first increment whole, then every started next increment; zero stays zero."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.rating.pricing.increments import billed_seconds, round_up

D = Decimal


@pytest.mark.parametrize(("duration", "first", "following", "billed"), [
    ("0", 60, 60, "0"),
    ("1", 60, 60, "60"),
    ("60", 60, 60, "60"),
    ("61", 60, 60, "120"),
    ("192", 60, 60, "240"),
    ("1", 30, 6, "30"),
    ("30", 30, 6, "30"),
    ("31", 30, 6, "36"),
    ("37", 30, 6, "42"),
    ("192", 30, 6, "192"),
    ("193", 30, 6, "198"),
    ("1", 1, 1, "1"),
    ("192", 1, 1, "192"),
    ("0.4", 1, 1, "1"),
    ("60.5", 60, 60, "120"),
    ("7", 0, 6, "12"),
])
def test_billed_seconds(duration: str, first: int, following: int, billed: str) -> None:
    assert billed_seconds(D(duration), first, following) == D(billed)


def test_round_up_to_a_session_step() -> None:
    assert round_up(D(1_234_567), 1_000_000) == D(2_000_000)
    assert round_up(D(2_000_000), 1_000_000) == D(2_000_000)
    assert round_up(D(0), 1_000_000) == 0
    assert round_up(D(1_234_567), 0) == D(1_234_567)


def reference_billed(duration: Decimal, first: int, following: int) -> Decimal:
    """Brute force: charge the first increment, then add next increments until the duration is covered."""
    if duration == 0:
        return D(0)
    billed = D(first)
    while billed < duration:
        billed += following
    return billed


durations = st.one_of(
    st.integers(0, 20_000).map(D),
    st.decimals(min_value=0, max_value=5000, places=3, allow_nan=False, allow_infinity=False),
)


@given(durations, st.integers(0, 120), st.integers(1, 120))
def test_billed_seconds_matches_a_brute_force_loop(duration: Decimal, first: int, following: int) -> None:
    billed = billed_seconds(duration, first, following)
    assert billed == reference_billed(duration, first, following)
    assert billed >= duration


@given(st.integers(0, 10**12).map(D), st.integers(1, 10**7))
def test_round_up_is_the_smallest_multiple_not_below(quantity: Decimal, step: int) -> None:
    rounded = round_up(quantity, step)
    assert rounded % step == 0
    assert quantity <= rounded < quantity + step
