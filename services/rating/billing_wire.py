"""Conversions at the gRPC edge of rating's billing reads: selections, groups and rated parts."""

from __future__ import annotations

from datetime import UTC

import asyncpg
from billing.common.v1 import common_pb2
from billing.rating.v1 import rating_pb2

from kernel.money import Money
from kernel.wire import id_from_wire, instant_to_proto, money_to_proto
from services.rating.billing_reads import BillingGroup
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


def parts_to_proto(rows: list[asyncpg.Record], token: str) -> rating_pb2.ListRatedRecordsResponse:
    """A page of stored rated parts on the wire."""
    return rating_pb2.ListRatedRecordsResponse(parts=[part_to_proto(r) for r in rows],
                                               next_page_token=token)


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
    )
