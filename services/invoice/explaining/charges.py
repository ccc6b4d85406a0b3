"""The arithmetic of invoice lines and its wording (no I/O): usage sums and their one rounding,
recurring fees by day (docs/invoicing.md, "Subscriptions and proration"), discounts, one-time
charges, taxes (docs/invoicing.md, "Taxes") and late usage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kernel.money import Money, total
from services.invoice.domain.cycles import Period, periods_between
from services.invoice.domain.invoices import InvoiceLine
from services.invoice.domain.proration import day_share
from services.invoice.domain.subscriptions import Discount
from services.invoice.explaining.model import (
    DiscountTerms,
    EarlierCharge,
    OneTimeDetails,
    PriorPeriodDetails,
    RecurringArithmetic,
    TaxArithmetic,
)
from services.invoice.explaining.words import Words

HUNDRED = Decimal(100)
SHOWN = Decimal("0.000001")
"""Arithmetic shown before rounding keeps rating's 6 decimal places."""


def unrounded(value: Decimal) -> Decimal:
    """A result before rounding, as shown: at most 6 decimal places."""
    return value.quantize(SHOWN) if value.as_tuple().exponent < -6 else value  # type: ignore[operator]


def usage_text(line: InvoiceLine, count: int, summed: Decimal | None, first: datetime | None,
               last: datetime | None, words: Words, timezone: str) -> str:
    """How a usage line's rated parts make its amount: their sum, rounded once (half up)."""
    if not count or summed is None or first is None or last is None:
        return words.say("usage_none")
    currency = line.amount.currency
    values = {"parts": words.count(Decimal(count), "rated_part", "rated_parts"),
              "first": words.when(first, timezone),
              "last": words.when(last, timezone), "amount": words.money(line.amount.amount, currency)}
    if summed == line.amount.amount:
        return words.say("usage_exact", **values)
    return words.say("usage_sum", unrounded=words.money(summed, currency), **values)


def prior_details(first: datetime, last: datetime, timezone: str, cycle_day: int) -> PriorPeriodDetails:
    """Late usage and the bill periods its first and last records fall in."""
    zone = ZoneInfo(timezone)
    periods = periods_between(first.astimezone(zone).date(), last.astimezone(zone).date(), cycle_day)
    return PriorPeriodDetails(first, last, periods[0].start, periods[-1].end)


def prior_text(details: PriorPeriodDetails, words: Words) -> str:
    """Where late usage belongs."""
    return words.say("prior", period=words.days(details.period_start, details.period_end))


def recurring_arithmetic(line: InvoiceLine, fee: Money, cycle: Period,
                         earlier: Sequence[EarlierCharge]) -> RecurringArithmetic:
    """A recurring or proration line's fee by day: fee x days / days in the cycle (the fee itself for
    a whole cycle); a line that adjusts earlier charges shows the difference it makes."""
    covers = Period(date.fromisoformat(line.covers_start), date.fromisoformat(line.covers_end))
    days = int(line.quantity)
    if earlier:
        value = line.amount.amount
    elif covers == cycle:
        value = fee.amount
    else:
        value = unrounded(day_share(fee, days, cycle).amount)
    return RecurringArithmetic(line.plan_name, fee, cycle.start, cycle.end, covers.start, covers.end,
                               days, value, tuple(earlier))


def recurring_text(line: InvoiceLine, arithmetic: RecurringArithmetic, words: Words) -> str:
    """The fee by day in words, or what an adjustment changes."""
    currency = line.amount.currency
    cycle = words.days(arithmetic.cycle_start, arithmetic.cycle_end)
    amount = words.money(line.amount.amount, currency)
    if arithmetic.earlier:
        before = total([charge.amount for charge in arithmetic.earlier], currency)
        covers = ", ".join(words.days(c.covers_start, c.covers_end) for c in arithmetic.earlier)
        return words.say("earlier", plan=arithmetic.plan_name, cycle=cycle,
                         now=words.money((line.amount + before).amount, currency),
                         before=words.money(before.amount, currency), covers=covers, amount=amount)
    fee = words.money(arithmetic.fee.amount, currency)
    if (arithmetic.covers_start, arithmetic.covers_end) == (arithmetic.cycle_start, arithmetic.cycle_end):
        return words.say("whole_cycle", plan=arithmetic.plan_name, fee=fee, cycle=cycle,
                         days=arithmetic.cycle_days, amount=amount)
    return words.say("prorated", plan=arithmetic.plan_name, fee=fee, days=arithmetic.days,
                     cycle_days=arithmetic.cycle_days, cycle=cycle,
                     covers=words.days(arithmetic.covers_start, arithmetic.covers_end),
                     unrounded=words.money(arithmetic.unrounded, currency), amount=amount)


def tax_arithmetic(line: InvoiceLine) -> TaxArithmetic:
    """A tax line: its rate, its base (the rounded lines before it) and the tax before rounding."""
    percent = Decimal(line.tax_rate_percent or "0")
    base = Money(line.quantity, line.amount.currency)
    divisor = HUNDRED + percent if line.tax_included else HUNDRED
    return TaxArithmetic(percent, base, line.tax_included, unrounded(base.amount * percent / divisor))


def tax_text(line: InvoiceLine, tax: TaxArithmetic, words: Words) -> str:
    """The tax arithmetic in words."""
    currency = line.amount.currency
    return words.say("tax_inclusive" if tax.included else "tax_exclusive",
                     rate=words.number(tax.rate_percent), base=words.money(tax.base.amount, currency),
                     unrounded=words.money(tax.unrounded, currency),
                     amount=words.money(line.amount.amount, currency))


def discount_terms(line: InvoiceLine, discount: Discount | None, lines: Sequence[InvoiceLine],
                   cycle_day: int) -> DiscountTerms:
    """A discount line's terms and the advance charge it reduces (the subscription's lines of the
    cycle on this invoice); how many cycles it has left after this one."""
    cycle_start = date.fromisoformat(line.cycle_start)
    currency = line.amount.currency
    charge = total([other.amount for other in lines
                    if other.kind in ("recurring", "proration") and other.cycle_start == line.cycle_start
                    and other.subscription_id == line.subscription_id], currency)
    if discount is None:
        return DiscountTerms("", Decimal(0), 0, -1, charge, cycle_start)
    since = len(periods_between(discount.first_cycle_start, cycle_start, cycle_day)) - 1
    return DiscountTerms(discount.kind, discount.value, discount.cycles,
                         max(0, discount.cycles - since - 1), charge, cycle_start)


def discount_text(line: InvoiceLine, terms: DiscountTerms, words: Words) -> str:
    """A discount in words."""
    currency = line.amount.currency
    amount = words.money(line.amount.amount, currency)
    if not terms.kind:
        return words.say("other", description=line.description, amount=amount)
    value = words.number(terms.value) if terms.kind == "percent" else words.money(terms.value, currency)
    text = words.say(f"discount_{terms.kind}", value=value, charge=words.money(terms.charge.amount, currency),
                     cycle_start=words.day(terms.cycle_start), amount=amount)
    return text + words.say("cycles_left", left=terms.cycles_left) + "."


def one_time_text(line: InvoiceLine, details: OneTimeDetails, words: Words) -> str:
    """A one-time charge (or credit) in words."""
    amount = words.money(line.amount.amount, line.amount.currency)
    if details.charge_date is None:
        return words.say("one_time_undated", description=line.description, amount=amount)
    return words.say("one_time", description=line.description, date=words.day(details.charge_date),
                     amount=amount)
