"""Drafting an invoice: recurring charges, usage, one-time charges, discounts and tax, as lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from kernel.money import Money
from services.invoice.domain.accounts import BillingDetails, OneTimeCharge
from services.invoice.domain.cycles import Period, periods_between
from services.invoice.domain.invoices import InvoiceLine, invoice_total
from services.invoice.domain.proration import (
    Coverage,
    desired_coverage,
    discount_amount,
    reconcile,
)
from services.invoice.domain.subscriptions import Discount, Segment
from services.invoice.domain.taxes import TaxRate


@dataclass(frozen=True)
class AccountSnapshot:
    """What a bill run knows of an account (from the directory projection)."""

    account_id: UUID
    name: str
    billing_email: str
    currency: str
    timezone: str
    cycle_day: int
    details: BillingDetails
    parent_id: UUID | None = None


@dataclass(frozen=True)
class SubscriptionSnapshot:
    """A subscription's plan segments and discounts."""

    subscription_id: UUID
    account_id: UUID
    segments: tuple[Segment, ...]
    discounts: tuple[Discount, ...] = ()


@dataclass(frozen=True)
class UsageGroup:
    """Rated usage of one account grouped as one invoice line (rating SummarizeBilling)."""

    account_id: UUID
    period_kind: str
    service_type: str
    destination_class: str
    unit: str
    quantity: Decimal
    amount: Money
    record_count: int
    digest: str
    first_started_at: datetime
    last_started_at: datetime


@dataclass
class DraftInputs:
    """Everything one invoice is drafted from."""

    account: AccountSnapshot
    period: Period
    next_period: Period
    last_bill_date: date | None
    children: list[AccountSnapshot] = field(default_factory=list)
    subscriptions: list[SubscriptionSnapshot] = field(default_factory=list)
    billed: list[Coverage] = field(default_factory=list)
    charges: list[tuple[UUID, OneTimeCharge]] = field(default_factory=list)
    usage: list[UsageGroup] = field(default_factory=list)
    tax: TaxRate | None = None


def draft_lines(inputs: DraftInputs) -> list[InvoiceLine]:
    """The invoice's lines in print order, indexed, the tax last."""
    names = {inputs.account.account_id: ""} | {
        child.account_id: f"{child.name}: " for child in inputs.children}
    id_texts = {account_id: str(account_id) for account_id in names}
    lines: list[InvoiceLine] = []
    for subscription in inputs.subscriptions:
        lines += recurring_lines(inputs, subscription, names[subscription.account_id])
    usage_groups = sorted(inputs.usage, key=lambda g: (
        id_texts[g.account_id], g.period_kind, g.service_type, g.destination_class))
    for group in usage_groups:
        lines.append(usage_line(group, names[group.account_id], id_texts[group.account_id]))
    for account_id, charge in sorted(inputs.charges, key=lambda c: (c[1].charge_date, c[1].charge_id)):
        lines.append(InvoiceLine(
            kind="one_time", description=f"{names[account_id]}{charge.description}",
            amount=charge.amount, unit="charge", account_id=str(account_id),
            charge_id=charge.charge_id,
        ))
    if inputs.tax is not None:
        lines.append(tax_line(inputs.tax, lines, inputs.account.currency))
    return [_indexed(line, index) for index, line in enumerate(lines)]


INDEX_FIELD = InvoiceLine._fields.index("index")


def _indexed(line: InvoiceLine, index: int) -> InvoiceLine:
    """The line at its place on the invoice (what `_replace(index=...)` makes, at half the cost)."""
    return InvoiceLine._make((*line[:INDEX_FIELD], index, *line[INDEX_FIELD + 1:]))


def recurring_lines(
    inputs: DraftInputs, subscription: SubscriptionSnapshot, prefix: str
) -> list[InvoiceLine]:
    """The subscription's recurring, proration and discount lines on this invoice.

    Cycles from the later of the subscription's start and the last bill date, up to the next
    period (billed in advance), are reconciled with what earlier invoices charged.
    """
    segments = list(subscription.segments)
    billed_before = [c for c in inputs.billed if c.subscription_id == subscription.subscription_id]
    starts = [s.start for s in segments] + [c.cycle.start for c in billed_before]
    if not starts:
        return []
    first = min(starts)
    if inputs.last_bill_date is not None:
        first = max(first, inputs.last_bill_date)
    if first >= inputs.next_period.end:
        return []
    cycle_day = inputs.account.cycle_day
    cycles = [c for c in periods_between(first, inputs.next_period.start, cycle_day)
              if c.start <= inputs.next_period.start]
    desired = desired_coverage(subscription.subscription_id, segments, cycles)
    billed = [c for c in billed_before if c.cycle.start >= cycles[0].start]
    lines = []
    for delta in reconcile(desired, billed):
        lines.append(InvoiceLine(
            kind=delta.kind, description=f"{prefix}{delta.description}", amount=delta.amount,
            quantity=Decimal(delta.days), unit="day",
            account_id=str(subscription.account_id),
            subscription_id=str(subscription.subscription_id), plan_id=str(delta.plan_id),
            plan_name=delta.plan_name, covers_start=delta.covers.start.isoformat(),
            covers_end=delta.covers.end.isoformat(),
            cycle_start=delta.cycle.start.isoformat(),
        ))
    advance = sum((c.amount for c in desired if c.cycle == inputs.next_period),
                  Money.zero(inputs.account.currency))
    for discount in subscription.discounts:
        since = len(periods_between(discount.first_cycle_start, inputs.next_period.start,
                                    cycle_day)) - 1
        amount = discount_amount(discount, inputs.next_period.start, since, advance)
        if amount.amount != 0:
            lines.append(InvoiceLine(
                kind="discount", description=f"{prefix}{discount.description}", amount=amount,
                unit="cycle", account_id=str(subscription.account_id),
                subscription_id=str(subscription.subscription_id),
                discount_id=discount.discount_id,
                cycle_start=inputs.next_period.start.isoformat(),
            ))
    return lines


def usage_line(group: UsageGroup, prefix: str, account_id: str = "") -> InvoiceLine:
    """One group of rated usage: the unrounded rated sum, rounded once here (`account_id`: the
    group's account id as text, when the caller has it already)."""
    what = group.service_type + (f", {group.destination_class}" if group.destination_class else "")
    if group.period_kind == "prior":
        first, last = group.first_started_at.date(), group.last_started_at.date()
        description = f"{prefix}Prior-period usage: {what}, {first.isoformat()} to {last.isoformat()}"
        kind = "prior_period"
    else:
        description, kind = f"{prefix}{what[:1].upper()}{what[1:]}", "usage"
    return InvoiceLine(
        kind=kind, description=description, amount=group.amount.rounded(),
        quantity=group.quantity, unit=group.unit, service_type=group.service_type,
        record_count=group.record_count, digest=group.digest, period_kind=group.period_kind,
        destination_class=group.destination_class, account_id=account_id or str(group.account_id),
    )


def tax_line(rate: TaxRate, lines: list[InvoiceLine], currency: str) -> InvoiceLine:
    """The tax on the sum of the rounded lines, rounded once (docs/invoicing.md, "Taxes")."""
    base = invoice_total(lines, currency)
    percent = rate.percent.normalize()
    label = f"{rate.name} {percent:f}%" + (" (included)" if rate.included else "")
    return InvoiceLine(
        kind="tax", description=label, amount=rate.tax_on(base), quantity=base.amount,
        unit=currency, tax_rate_percent=f"{percent:f}", tax_included=rate.included,
    )
