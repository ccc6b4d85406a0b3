"""Explanations on the wire: domain explanations to protobuf."""

from __future__ import annotations

from decimal import Decimal

from billing.invoice.v1 import invoice_pb2

from kernel.wire import money_to_proto
from services.invoice.explaining.model import (
    AllowanceStory,
    DiscountTerms,
    InvoiceExplanation,
    LineExplanation,
    OneTimeDetails,
    PriorPeriodDetails,
    RecurringArithmetic,
    TaxArithmetic,
    UsageEntry,
)


def text_of(value: Decimal | None) -> str:
    """A decimal as text ('' for none)."""
    return "" if value is None else str(value)


def entry_to_proto(entry: UsageEntry) -> invoice_pb2.UsageEntry:
    """A usage entry on the wire."""
    part, pricing = entry.part, entry.part.pricing
    return invoice_pb2.UsageEntry(
        source=part.source, record_id=part.record_id, part=part.part,
        started_at=part.started_at.isoformat(), started_local=entry.started_local,
        service_type=part.service_type, basis=pricing.basis,
        destination=part.destination_display or part.destination, destination_name=part.destination_name,
        record_quantity=str(part.record_quantity), quantity=str(part.quantity),
        billed_quantity=str(pricing.billed_quantity), unit=part.unit, rate=text_of(entry.rate),
        rate_unit=entry.rate_unit,
        increments=f"{pricing.first_increment}/{pricing.next_increment}" if pricing.next_increment else "",
        band=part.band, connect_fee=text_of(pricing.connect_fee),
        minimum_charge=text_of(pricing.minimum_charge), minimum_applied=pricing.minimum_applied,
        session_rounding_bytes=pricing.session_rounding_bytes, tier_mode=pricing.tier_mode,
        allowance=part.allowance, amount=money_to_proto(part.amount), tariff_name=entry.tariff_name,
        tariff_version=entry.tariff_version, text=entry.text, rating_text=part.rating_text,
    )


def recurring_to_proto(arithmetic: RecurringArithmetic) -> invoice_pb2.RecurringArithmetic:
    """A recurring line's arithmetic on the wire."""
    return invoice_pb2.RecurringArithmetic(
        plan_name=arithmetic.plan_name, fee=money_to_proto(arithmetic.fee),
        cycle_start=arithmetic.cycle_start.isoformat(), cycle_end=arithmetic.cycle_end.isoformat(),
        cycle_days=arithmetic.cycle_days, covers_start=arithmetic.covers_start.isoformat(),
        covers_end=arithmetic.covers_end.isoformat(), days=arithmetic.days,
        unrounded=str(arithmetic.unrounded),
        earlier=[invoice_pb2.EarlierCharge(
            invoice_id=charge.invoice_id, covers_start=charge.covers_start.isoformat(),
            covers_end=charge.covers_end.isoformat(), amount=money_to_proto(charge.amount))
            for charge in arithmetic.earlier],
    )


def line_to_proto(explanation: LineExplanation) -> invoice_pb2.LineExplanation:
    """A line's explanation on the wire."""
    line = explanation.line
    message = invoice_pb2.LineExplanation(
        index=line.index, kind=line.kind, description=line.description,
        amount=money_to_proto(line.amount), text=explanation.text,
        entries=[entry_to_proto(entry) for entry in explanation.entries],
        next_page_token=explanation.next_page_token, entry_count=explanation.entry_count,
        unrounded_total=text_of(explanation.unrounded_total), account_id=line.account_id,
        locale=explanation.locale,
    )
    add_detail(message, explanation)
    return message


def add_detail(message: invoice_pb2.LineExplanation, explanation: LineExplanation) -> None:
    """Set the line's arithmetic by its kind."""
    detail = explanation.detail
    if isinstance(detail, RecurringArithmetic):
        message.recurring.CopyFrom(recurring_to_proto(detail))
    elif isinstance(detail, TaxArithmetic):
        message.tax.CopyFrom(invoice_pb2.TaxArithmetic(
            rate_percent=str(detail.rate_percent), base=money_to_proto(detail.base),
            included=detail.included, unrounded=str(detail.unrounded)))
    elif isinstance(detail, DiscountTerms):
        message.discount.CopyFrom(invoice_pb2.DiscountTerms(
            kind=detail.kind, value=str(detail.value), cycles=detail.cycles, cycles_left=detail.cycles_left,
            charge=money_to_proto(detail.charge), cycle_start=detail.cycle_start.isoformat()))
    elif isinstance(detail, OneTimeDetails):
        message.one_time.CopyFrom(invoice_pb2.OneTimeDetails(
            charge_id=detail.charge_id,
            charge_date=detail.charge_date.isoformat() if detail.charge_date else ""))
    elif isinstance(detail, PriorPeriodDetails):
        message.prior_period.CopyFrom(invoice_pb2.PriorPeriodDetails(
            first_started_at=detail.first_started_at.isoformat(),
            last_started_at=detail.last_started_at.isoformat(),
            period_start=detail.period_start.isoformat(), period_end=detail.period_end.isoformat()))


def allowance_to_proto(story: AllowanceStory) -> invoice_pb2.AllowanceStory:
    """An allowance story on the wire."""
    allowance = story.allowance
    return invoice_pb2.AllowanceStory(
        account_id=allowance.account_id, cycle_start=allowance.cycle_start.isoformat(),
        name=allowance.name, service_type=allowance.service_type, included=str(allowance.included),
        used=str(allowance.used), unit=story.unit,
        exhausted_at=allowance.exhausted_at.isoformat() if allowance.exhausted_at else "",
        exhausted_local=story.exhausted_local, tariff_name=allowance.rate_plan_name,
        tariff_version=allowance.tariff_version, text=story.text,
    )


def invoice_explanation_to_proto(explanation: InvoiceExplanation) -> invoice_pb2.InvoiceExplanation:
    """An invoice's explanation on the wire."""
    return invoice_pb2.InvoiceExplanation(
        invoice_id=explanation.invoice_id, number=explanation.number, locale=explanation.locale,
        lines=[line_to_proto(line) for line in explanation.lines],
        allowances=[allowance_to_proto(story) for story in explanation.allowances],
        total=money_to_proto(explanation.total), text=explanation.text,
    )
