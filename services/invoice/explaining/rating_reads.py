"""Port and gRPC adapter: what explanations ask rating (a line's parts with their pricing, the line's
group, and the allowances of a period)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

import grpc
from billing.rating.v1 import rating_pb2, rating_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import field_violation
from services.invoice.domain.drafting import UsageGroup
from services.invoice.domain.invoices import InvoiceLine
from services.invoice.explaining.model import AllowanceView, PartPricing, RatedPartView
from services.invoice.rating_client import RATING_TIMEOUT, GrpcBillingUsage, Selection, money

PERIOD_KIND = {"usage": "current", "prior_period": "prior"}
"""The rating period kind of a usage line's parts, when the line does not record it."""


def period_kind_of(line: InvoiceLine) -> str:
    """current or prior."""
    return line.period_kind or PERIOD_KIND[line.kind]


def group_of(line: InvoiceLine, groups: list[UsageGroup]) -> UsageGroup | None:
    """The group a usage line was drafted from (None: rating has no parts for it)."""
    key = (period_kind_of(line), line.service_type, line.destination_class)
    return next((g for g in groups if (g.period_kind, g.service_type, g.destination_class) == key), None)


class RatingExplanations(Protocol):
    """Where explanations read rated usage."""

    async def parts(self, tenant_id: UUID, selection: Selection, line: InvoiceLine, page_size: int,
                    page_token: str) -> tuple[list[RatedPartView], str]:
        """A page of the line's rated parts in event order, and the next page's token."""
        ...

    async def groups(self, tenant_id: UUID, selection: Selection) -> list[UsageGroup]:
        """The selection's groups as rating sums them (one per usage line)."""
        ...

    async def allowances(self, tenant_id: UUID, selection: Selection, timezone: str) -> list[AllowanceView]:
        """The allowances of the rating cycles the selection's period overlaps."""
        ...


def decimal_or_none(text: str) -> Decimal | None:
    """A decimal sent as text, None for ''."""
    return Decimal(text) if text else None


def pricing_from_proto(message: rating_pb2.PartPricing) -> PartPricing:
    """A part's pricing from the wire."""
    return PartPricing(
        basis=message.basis or "unknown", billed_quantity=Decimal(message.billed_quantity or "0"),
        rate=decimal_or_none(message.rate), rate_unit=message.rate_unit,
        first_increment=message.first_increment, next_increment=message.next_increment,
        connect_fee=decimal_or_none(message.connect_fee),
        minimum_charge=decimal_or_none(message.minimum_charge), whole_call=message.whole_call,
        minimum_applied=message.minimum_applied, session_rounding_bytes=message.session_rounding_bytes,
        tier_mode=message.tier_mode, unit_size=Decimal(message.unit_size or "1"),
    )


def part_from_proto(message: rating_pb2.RatedPart) -> RatedPartView:
    """A rated part with its pricing from the wire."""
    return RatedPartView(
        source=message.source, record_id=message.record_id, part=message.part,
        service_type=message.service_type, quantity=Decimal(message.quantity), unit=message.unit,
        started_at=datetime.fromisoformat(message.started_at), amount=money(message.amount),
        record_quantity=Decimal(message.record_quantity or message.quantity),
        pricing=pricing_from_proto(message.pricing), destination=message.destination,
        destination_display=message.destination_display, destination_name=message.destination_class,
        band=message.band, allowance=message.allowance, plan_id=message.plan_id,
        rate_plan_name=message.rate_plan_name, tariff_version=message.tariff_version,
        rating_text=message.explanation,
    )


def allowance_from_proto(account_id: UUID, message: rating_pb2.AllowanceUse) -> AllowanceView:
    """An allowance of a cycle from the wire."""
    return AllowanceView(
        account_id=str(account_id), cycle_start=date.fromisoformat(message.cycle_start),
        name=message.name, service_type=message.service_type, included=Decimal(message.included),
        used=Decimal(message.used),
        exhausted_at=datetime.fromisoformat(message.exhausted_at) if message.exhausted_at else None,
        rate_plan_name=message.rate_plan_name, tariff_version=message.tariff_version,
        display_unit=message.display_unit, display_unit_size=Decimal(message.display_unit_size or "1"),
    )


def refused_token(error: grpc.aio.AioRpcError) -> Exception:
    """The client's page token refused by rating, as this service's own error; anything else as is."""
    violation = field_violation(error) if error.code() is grpc.StatusCode.INVALID_ARGUMENT else None
    if violation is not None and violation["field"] == "page_token":
        return InvalidInputError("page_token", violation["reason"])
    return error


class GrpcRatingExplanations:
    """Asks the rating service over gRPC."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = rating_pb2_grpc.RatingServiceStub(channel)
        self.usage = GrpcBillingUsage(channel)

    async def parts(self, tenant_id: UUID, selection: Selection, line: InvoiceLine, page_size: int,
                    page_token: str) -> tuple[list[RatedPartView], str]:
        try:
            response = await self.stub.ListLineParts(rating_pb2.ListLinePartsRequest(
                tenant_id=str(tenant_id), selection=selection.to_proto(), period_kind=period_kind_of(line),
                service_type=line.service_type, destination_class=line.destination_class,
                page_size=page_size, page_token=page_token, explain=True,
            ), timeout=RATING_TIMEOUT)
        except grpc.aio.AioRpcError as error:
            raise refused_token(error) from None
        return [part_from_proto(p) for p in response.parts], response.next_page_token

    async def groups(self, tenant_id: UUID, selection: Selection) -> list[UsageGroup]:
        return await self.usage.summarize(tenant_id, [selection])

    async def allowances(self, tenant_id: UUID, selection: Selection, timezone: str) -> list[AllowanceView]:
        response = await self.stub.DescribeAllowances(rating_pb2.DescribeAllowancesRequest(
            tenant_id=str(tenant_id), selection=selection.to_proto(), timezone=timezone,
        ), timeout=RATING_TIMEOUT)
        return [allowance_from_proto(selection.account_id, a) for a in response.allowances]
