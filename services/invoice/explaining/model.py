"""What explanations are made of: rating's view of a rated part and of an allowance, and the
explained entries and lines (docs/explanations.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kernel.errors import NotFoundError
from kernel.money import Money
from services.invoice.domain.invoices import InvoiceLine


class LineNotFoundError(NotFoundError):
    """The invoice has no line at that index."""

    def __init__(self, invoice_number: str, index: int) -> None:
        super().__init__(f"invoice {invoice_number} has no line {index}")


@dataclass(frozen=True)
class PartPricing:
    """How rating priced a part (rating PartPricing): basis, billed quantity and the price applied."""

    basis: str
    billed_quantity: Decimal
    rate: Decimal | None = None
    rate_unit: str = ""
    first_increment: int = 0
    next_increment: int = 0
    connect_fee: Decimal | None = None
    minimum_charge: Decimal | None = None
    whole_call: bool = False
    minimum_applied: bool = False
    session_rounding_bytes: int = 0
    tier_mode: str = ""
    unit_size: Decimal = Decimal(1)


@dataclass(frozen=True)
class RatedPartView:
    """One rated part of a usage line as rating stored and explains it (quantities in base units)."""

    source: str
    record_id: str
    part: int
    service_type: str
    quantity: Decimal
    unit: str
    started_at: datetime
    amount: Money
    record_quantity: Decimal
    pricing: PartPricing
    destination: str = ""
    destination_display: str = ""
    destination_name: str = ""
    band: str = ""
    allowance: str = ""
    plan_id: str = ""
    rate_plan_name: str = ""
    tariff_version: int = 0
    rating_text: str = ""


@dataclass(frozen=True)
class AllowanceView:
    """One allowance of one rating cycle as rating tells it (rating AllowanceUse)."""

    account_id: str
    cycle_start: date
    name: str
    service_type: str
    included: Decimal
    used: Decimal
    exhausted_at: datetime | None
    rate_plan_name: str
    tariff_version: int
    display_unit: str = ""
    display_unit_size: Decimal = Decimal(1)


@dataclass(frozen=True)
class FlatPrice:
    """A plan's usage price that priced a part without a tariff: per unit of the plan."""

    plan_name: str
    unit: str
    unit_price: Decimal
    base_units: Decimal


@dataclass(frozen=True)
class UsageEntry:
    """One rated part of a usage line, worded; rate and tariff as applied (flat: the plan's)."""

    part: RatedPartView
    started_local: str
    text: str
    rate: Decimal | None
    rate_unit: str
    tariff_name: str
    tariff_version: int


@dataclass(frozen=True)
class EarlierCharge:
    """A charge of the same cycle and plan on an earlier invoice."""

    invoice_id: str
    covers_start: date
    covers_end: date
    amount: Money


@dataclass(frozen=True)
class RecurringArithmetic:
    """fee x days / days in the cycle, before rounding, and the earlier charges a line adjusts."""

    plan_name: str
    fee: Money
    cycle_start: date
    cycle_end: date
    covers_start: date
    covers_end: date
    days: int
    unrounded: Decimal
    earlier: tuple[EarlierCharge, ...] = ()

    @property
    def cycle_days(self) -> int:
        """Days in the cycle."""
        return (self.cycle_end - self.cycle_start).days


@dataclass(frozen=True)
class TaxArithmetic:
    """rate x base (exclusive) or base x rate / (100 + rate) (inclusive), before rounding."""

    rate_percent: Decimal
    base: Money
    included: bool
    unrounded: Decimal


@dataclass(frozen=True)
class DiscountTerms:
    """A discount: percent or fixed, its cycles and how many are left after this one (-1: unknown)."""

    kind: str
    value: Decimal
    cycles: int
    cycles_left: int
    charge: Money
    cycle_start: date


@dataclass(frozen=True)
class OneTimeDetails:
    """A one-time charge and the day it was added for (None: no longer listed)."""

    charge_id: str
    charge_date: date | None


@dataclass(frozen=True)
class PriorPeriodDetails:
    """Late usage: when it happened and the bill periods [period_start, period_end) it belongs to."""

    first_started_at: datetime
    last_started_at: datetime
    period_start: date
    period_end: date


Detail = RecurringArithmetic | TaxArithmetic | DiscountTerms | OneTimeDetails | PriorPeriodDetails


@dataclass(frozen=True)
class LineExplanation:
    """One invoice line explained: a sentence, a page of usage entries, and its arithmetic."""

    line: InvoiceLine
    locale: str
    text: str
    entries: tuple[UsageEntry, ...] = ()
    next_page_token: str = ""
    entry_count: int = 0
    unrounded_total: Decimal | None = None
    detail: Detail | None = None


@dataclass(frozen=True)
class AllowanceStory:
    """An allowance of the invoice's period, worded."""

    allowance: AllowanceView
    unit: str
    exhausted_local: str
    text: str


@dataclass(frozen=True)
class InvoiceExplanation:
    """Every line's explanation (usage lines without entries) and the allowances of the period."""

    invoice_id: str
    number: str
    locale: str
    total: Money
    text: str
    lines: list[LineExplanation] = field(default_factory=list)
    allowances: list[AllowanceStory] = field(default_factory=list)
