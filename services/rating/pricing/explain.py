"""Numbers as explanations show them: plain decimals, money with at least its minor unit's places."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from kernel.money import MINOR_UNITS, RATING_PLACES, RATING_STEP

REMEMBERED = 65_536
"""How many shown numbers are remembered: a number's text depends on its value alone, and rates,
durations and counts recur from record to record."""


@lru_cache(maxsize=REMEMBERED)
def show(value: Decimal) -> str:
    """A quantity without exponent or trailing zeros, to at most 6 decimal places: 240, 0.002."""
    if value.as_tuple().exponent < -RATING_PLACES:  # type: ignore[operator]
        value = value.quantize(RATING_STEP, rounding=ROUND_HALF_UP)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@lru_cache(maxsize=REMEMBERED)
def show_money(value: Decimal, currency: str) -> str:
    """An amount or price to at most 6 places and at least the currency's minor unit: 0.21, 0.001667."""
    text = show(value)
    places = MINOR_UNITS.get(currency, 2)
    whole, _, fraction = text.partition(".")
    if len(fraction) >= places:
        return text
    return f"{whole}.{fraction.ljust(places, '0')}" if places else whole


def plural(count: Decimal, word: str) -> str:
    """A count and a word, plural unless the count is one: 1 message, 3 messages."""
    return f"{show(count)} {word}" if count == 1 else f"{show(count)} {word}s"
