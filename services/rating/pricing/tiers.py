"""Tiered prices over a cycle total: graduated (each unit in its own tier) or volume (one tier for all)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

TierMode = Literal["graduated", "volume"]


@dataclass(frozen=True, slots=True)
class Tier:
    """A price per unit that applies up to a cycle total (inclusive, in the price's unit); None: no limit."""

    up_to: Decimal | None
    price: Decimal


@dataclass(frozen=True, slots=True)
class Tiers:
    """Tiers in increasing order, the last one without a limit, and how they apply."""

    mode: TierMode
    tiers: tuple[Tier, ...]


@dataclass(frozen=True, slots=True)
class TierShare:
    """The part of a quantity priced in one tier: the quantity in base units, the price per price unit."""

    quantity: Decimal
    price: Decimal


def check_tiers(tiers: Tiers) -> str | None:
    """What is wrong with tiers, or None when they are well formed."""
    if tiers.mode not in ("graduated", "volume"):
        return f"mode {tiers.mode!r} is neither 'graduated' nor 'volume'"
    if not tiers.tiers:
        return "there are no tiers"
    previous = Decimal(0)
    for index, tier in enumerate(tiers.tiers):
        if not isinstance(tier.price, Decimal) or not tier.price.is_finite() or tier.price < 0:
            return f"tier {index} price must be a non-negative Decimal"
        last = index == len(tiers.tiers) - 1
        if tier.up_to is None:
            if not last:
                return f"tier {index} has no limit but is not the last tier"
            continue
        if last:
            return "the last tier must have no limit (up_to None)"
        if not isinstance(tier.up_to, Decimal) or not tier.up_to.is_finite() or tier.up_to <= previous:
            return f"tier {index} limit must be a Decimal above the previous tier's ({previous})"
        previous = tier.up_to
    return None


def tier_shares(tiers: Tiers, scale: Decimal, before: Decimal, quantity: Decimal) -> list[TierShare]:
    """How a quantity added to a cycle total of `before` is split over tiers, in base units.

    Tier limits are in the price's unit, `scale` base units each. Graduated: each unit in the tier
    its place in the cycle falls in. Volume: every unit of the quantity at the tier the running
    total reaches with it (limits inclusive).
    """
    after = before + quantity
    if tiers.mode == "volume" or quantity <= 0:
        return [TierShare(quantity, reached(tiers, scale, after).price)]
    shares = []
    lower = Decimal(0)
    for tier in tiers.tiers:
        limit = None if tier.up_to is None else tier.up_to * scale
        upper = after if limit is None else min(limit, after)
        overlap = upper - max(lower, before)
        if overlap > 0:
            shares.append(TierShare(overlap, tier.price))
        if limit is None or limit >= after:
            break
        lower = limit
    return shares


def reached(tiers: Tiers, scale: Decimal, total: Decimal) -> Tier:
    """The tier a cycle total (in base units) falls in: the first whose limit it does not exceed."""
    for tier in tiers.tiers:
        if tier.up_to is None or total <= tier.up_to * scale:
            return tier
    return tiers.tiers[-1]
