"""Conversions at the gRPC edge of rating's billing reads: selections, groups and rated parts."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import asyncpg
from billing.common.v1 import common_pb2
from billing.rating.v1 import rating_pb2

from kernel.money import Money
from kernel.wire import id_from_wire, instant_to_proto, money_to_proto
from services.rating.billing_reads import BillingGroup
from services.rating.explaining import AllowanceUse, PartDetail, destination_display
from services.rating.pricing.volumes import unit_bytes, unit_symbol
from services.rating.rederiving import Rederivation
from services.rating.selections import UsageSelection


def selection_from_proto(message: rating_pb2.UsageSelection, field: str) -> UsageSelection:
    """A selection from the wire, checked; errors name the field (e.g. selections[2].period_end)."""
    return UsageSelection(
        id_from_wire(message.account_id, f"{field}.account_id"),
        message.period_start.ToDatetime(tzinfo=UTC), message.period_end.ToDatetime(tzinfo=UTC),
        message.previous_watermark, message.watermark,
    ).check(field)


def group_to_proto(group: BillingGroup) -> rating_pb2.BillingGroup:
    """A billing group on the wire."""
    key = group.key
    return rating_pb2.BillingGroup(
        account_id=str(group.account_id), period_kind=key.period_kind,
        service_type=key.service_type, destination_class=key.destination_class, unit=key.unit,
        quantity=str(group.quantity), amount=money_to_proto(group.money),
        record_count=group.record_count, digest=group.digest,
        first_started_at=instant_to_proto(group.first_started_at),
        last_started_at=instant_to_proto(group.last_started_at),
    )


def rederivation_to_proto(result: Rederivation) -> rating_pb2.RederiveUsageResponse:
    """A re-derivation on the wire."""
    return rating_pb2.RederiveUsageResponse(groups=[
        rating_pb2.RederivedGroup(
            period_kind=check.key.period_kind, service_type=check.key.service_type,
            destination_class=check.key.destination_class,
            stored_amount=money_to_proto(Money(check.stored_amount, check.key.currency)),
            rederived_amount=money_to_proto(Money(check.rederived, check.key.currency)),
            record_count=check.stored.record_count if check.stored else 0,
            digest=check.stored.digest if check.stored else "",
        ) for check in result.groups
    ], matches=result.matches)


def parts_to_proto(rows: list[asyncpg.Record], token: str,
                   details: list[PartDetail] | None = None) -> rating_pb2.ListRatedRecordsResponse:
    """A page of stored rated parts on the wire, with what explains them when given."""
    parts = [part_to_proto(r) for r in rows]
    if details is not None:
        for part, detail in zip(parts, details, strict=True):
            add_detail(part, detail)
    return rating_pb2.ListRatedRecordsResponse(parts=parts, next_page_token=token)


def part_to_proto(row: asyncpg.Record) -> rating_pb2.RatedPart:
    """A stored rated part on the wire."""
    return rating_pb2.RatedPart(
        source=row["source"], record_id=row["record_id"], part=row["part"],
        service_type=row["service_type"], quantity=str(row["quantity"]), unit=row["unit"],
        started_at=row["started_at"].isoformat(),
        amount=common_pb2.Money(amount=str(row["amount"]), currency=row["currency"]),
        rate_plan_id=str(row["rate_plan_id"] or ""), tariff_version=row["tariff_version"] or 0,
        band=row["band"] or "", destination_prefix=row["destination_prefix"] or "",
        allowance=row["allowance"] or "", pre_rated=row["pre_rated"], explanation=row["explanation"],
        destination_class=row["destination_class"], seq=row["seq"],
        destination=row["destination"],
        destination_display=destination_display(row["destination"], row["destination_prefix"]),
        plan_id=str(row["plan_id"]),
    )


def add_detail(part: rating_pb2.RatedPart, detail: PartDetail) -> None:
    """Fill a part's record quantity, rate plan name and pricing."""
    pricing = detail.pricing
    part.record_quantity = str(detail.record_quantity)
    part.rate_plan_name = detail.rate_plan_name
    part.pricing.CopyFrom(rating_pb2.PartPricing(
        basis=pricing.basis, billed_quantity=str(pricing.billed_quantity),
        rate=optional_text(pricing.rate), rate_unit=pricing.rate_unit,
        first_increment=pricing.first_increment, next_increment=pricing.next_increment,
        connect_fee=optional_text(pricing.connect_fee),
        minimum_charge=optional_text(pricing.minimum_charge), whole_call=pricing.whole_call,
        minimum_applied=pricing.minimum_applied, session_rounding_bytes=pricing.session_rounding_bytes,
        tier_mode=pricing.tier_mode, unit_size=str(pricing.unit_size),
    ))


def optional_text(value: Decimal | None) -> str:
    """A decimal as text, '' for none."""
    return "" if value is None else str(value)


def allowance_use_to_proto(use: AllowanceUse, rate_plan_name: str) -> rating_pb2.AllowanceUse:
    """One allowance of one cycle on the wire."""
    allowance, version, beyond = use.allowance, use.version, use.beyond
    data = version.data if allowance.service_type == "data" else None
    return rating_pb2.AllowanceUse(
        cycle_start=use.cycle_start.isoformat(), name=allowance.name,
        service_type=allowance.service_type, included=str(allowance.quantity), used=str(use.used),
        exhausted_at=beyond["started_at"].isoformat() if beyond else "",
        exhausted_by_source=beyond["source"] if beyond else "",
        exhausted_by_record_id=beyond["record_id"] if beyond else "",
        rate_plan_id=str(version.rate_plan_id), rate_plan_name=rate_plan_name,
        tariff_version=version.version, prefixes=list(allowance.prefixes),
        display_unit=unit_symbol(data.unit) if data else "",
        display_unit_size=str(unit_bytes(data.unit)) if data else "",
    )
