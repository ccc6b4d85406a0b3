"""Billing increments: a duration or volume rounded up to the steps it is charged in."""

from __future__ import annotations

from decimal import Decimal


def billed_seconds(duration: Decimal, first: int, following: int) -> Decimal:
    """Seconds charged for a call under first/next increments (60/60, 30/6, 1/1).

    Zero for a zero duration; otherwise max(first, first + ceil((duration - first) / next) * next):
    the first increment is charged whole, then every started next increment.
    """
    if duration <= 0:
        return Decimal(0)
    if duration <= first:
        return Decimal(first)
    return first + ceil_steps(duration - first, following) * following


def round_up(quantity: Decimal, step: int) -> Decimal:
    """A quantity rounded up to the next whole multiple of step (no rounding when step is 0)."""
    if step <= 0 or quantity <= 0:
        return quantity
    return ceil_steps(quantity, step) * step


def ceil_steps(quantity: Decimal, step: int) -> Decimal:
    """How many steps a positive quantity starts: ceil(quantity / step), exact for decimals."""
    whole, rest = divmod(quantity, step)
    return whole + 1 if rest else whole
