"""Recurring charges billed in advance, prorated by day, and reconciled with what was billed.

What a subscription should have been charged for a cycle is worked out from its plan segments:
the whole recurring fee for a cycle it covers entirely, otherwise fee x days covered / days in the
cycle, rounded once (ROUND_HALF_UP) to the currency's minor unit. A bill run compares that, per
cycle and plan, with what earlier invoices charged, and the difference becomes a line: a first
charge, a credit for unused time, or an adjustment. Nothing already invoiced is edited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from kernel.money import Money
from services.invoice.domain.cycles import Period
from services.invoice.domain.subscriptions import Discount, Segment


@dataclass(frozen=True)
class Coverage:
    """Days [covers.start, covers.end) of one cycle on one plan of a subscription, and their price."""

    subscription_id: UUID
    plan_id: UUID
    plan_name: str
    cycle: Period
    covers: Period
    amount: Money


def day_share(fee: Money, days: int, cycle: Period) -> Money:
    """The fee for so many days of the cycle, before rounding: fee x days / days in the cycle."""
    return Money(fee.amount * days / cycle.days, fee.currency)


def prorated(fee: Money, covers: Period, cycle: Period) -> Money:
    """The fee for the days covered: exact for a whole cycle, else by day, rounded once."""
    if covers == cycle:
        return fee
    return day_share(fee, covers.days, cycle).rounded()


def desired_coverage(
    subscription_id: UUID, segments: list[Segment], cycles: list[Period]
) -> list[Coverage]:
    """What the segments should be charged in each of the cycles."""
    coverage = []
    for cycle in cycles:
        for segment in segments:
            covers = cycle.overlap(segment.start, segment.end)
            if covers is not None:
                coverage.append(Coverage(subscription_id, segment.plan_id, segment.plan_name, cycle,
                                         covers, prorated(segment.fee, covers, cycle)))
    return coverage


@dataclass(frozen=True)
class RecurringDelta:
    """One recurring line: the difference for a cycle and plan between desired and billed."""

    subscription_id: UUID
    plan_id: UUID
    plan_name: str
    cycle: Period
    covers: Period
    amount: Money
    kind: str
    description: str
    days: int


def _span(periods: list[Period]) -> Period:
    return Period(min(p.start for p in periods), max(p.end for p in periods))


def _days(period: Period) -> str:
    return f"{period.start.isoformat()} to {period.last_day().isoformat()}"


def _ranges(coverage: list[Coverage]) -> str:
    return ", ".join(_days(c.covers) for c in sorted(coverage, key=lambda c: c.covers))


def reconcile(desired: list[Coverage], billed: list[Coverage]) -> list[RecurringDelta]:
    """The lines that bring what was billed to what is desired, per cycle and plan, in cycle order."""
    wanted: dict[tuple[Period, UUID], list[Coverage]] = defaultdict(list)
    charged: dict[tuple[Period, UUID], list[Coverage]] = defaultdict(list)
    for item in desired:
        wanted[(item.cycle, item.plan_id)].append(item)
    for item in billed:
        charged[(item.cycle, item.plan_id)].append(item)
    deltas = []
    for key in sorted(set(wanted) | set(charged), key=lambda k: (k[0], str(k[1]))):
        cycle, plan_id = key
        now, before = wanted.get(key, []), charged.get(key, [])
        sample = (now or before)[0]
        currency = sample.amount.currency
        amount = sum((c.amount for c in now), Money.zero(currency)) - sum(
            (c.amount for c in before), Money.zero(currency))
        if amount.amount == 0:
            continue
        deltas.append(_delta(sample, cycle, plan_id, amount, now, before))
    return deltas


def _delta(
    sample: Coverage, cycle: Period, plan_id: UUID, amount: Money, now: list[Coverage],
    before: list[Coverage],
) -> RecurringDelta:
    name = sample.plan_name
    shown = now or before
    covers = _span([c.covers for c in shown])
    days = sum(c.covers.days for c in shown)
    if not before:
        whole = len(now) == 1 and now[0].covers == cycle
        kind = "recurring" if whole else "proration"
        description = f"{name}, {_ranges(now)}"
    elif not now:
        kind, description = "proration", f"Unused time on {name}, {_ranges(before)}"
    else:
        kind = "proration"
        description = f"{name}: now {_ranges(now)}, was {_ranges(before)}"
    return RecurringDelta(sample.subscription_id, plan_id, name, cycle, covers, amount, kind,
                          description, days)


def discount_amount(discount: Discount, cycle_start: date, cycles_since: int, charge: Money) -> Money:
    """The (negative) discount on a cycle's advance charge; zero outside its cycles."""
    if cycle_start < discount.first_cycle_start or cycles_since >= discount.cycles:
        return Money.zero(charge.currency)
    if charge.amount <= 0:
        return Money.zero(charge.currency)
    if discount.kind == "percent":
        return -(charge * (discount.value / Decimal(100))).rounded()
    return -min(Money(discount.value, charge.currency), charge)
