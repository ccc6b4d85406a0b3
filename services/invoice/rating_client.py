"""Ports and gRPC adapters for what invoicing asks the rating service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

import grpc
from billing.common.v1 import common_pb2
from billing.rating.v1 import rating_pb2, rating_pb2_grpc

from kernel.money import Money
from kernel.wire import instant_to_proto
from services.invoice.domain.drafting import UsageGroup

RATING_TIMEOUT = 120


@dataclass(frozen=True)
class Selection:
    """The usage one invoice takes for one account (rating SummarizeBilling)."""

    account_id: UUID
    start: datetime
    end: datetime
    previous_watermark: int
    watermark: int

    def as_dict(self) -> dict[str, object]:
        """The stored form (on the invoice)."""
        return {"account_id": str(self.account_id), "usage_start": self.start.isoformat(),
                "usage_end": self.end.isoformat(),
                "previous_watermark": self.previous_watermark, "watermark": self.watermark}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Selection:
        """Rebuild from the stored form."""
        return cls(UUID(str(data["account_id"])), datetime.fromisoformat(str(data["usage_start"])),
                   datetime.fromisoformat(str(data["usage_end"])),
                   int(str(data["previous_watermark"])), int(str(data["watermark"])))

    def to_proto(self) -> rating_pb2.UsageSelection:
        """On the wire."""
        return rating_pb2.UsageSelection(
            account_id=str(self.account_id), period_start=instant_to_proto(self.start),
            period_end=instant_to_proto(self.end), previous_watermark=self.previous_watermark,
            watermark=self.watermark)


@dataclass(frozen=True)
class GroupCheck:
    """One usage group as stored and as re-derived by rating."""

    period_kind: str
    service_type: str
    destination_class: str
    stored: Money
    rederived: Money
    record_count: int
    digest: str


class BillingUsage(Protocol):
    """Where invoices get rated usage."""

    async def cut(self, tenant_id: UUID) -> int:
        """A watermark: every rated part numbered at or below it is committed."""
        ...

    async def summarize(self, tenant_id: UUID, selections: list[Selection]) -> list[UsageGroup]:
        """The usage groups of each selection."""
        ...

    async def rederive(self, tenant_id: UUID, selection: Selection) -> list[GroupCheck]:
        """The selection's groups as stored and re-priced with the recorded tariff versions."""
        ...


def money(message: common_pb2.Money) -> Money:
    """Money from the wire."""
    return Money.of(message.amount, message.currency)


class GrpcBillingUsage:
    """Asks the rating service over gRPC."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = rating_pb2_grpc.RatingServiceStub(channel)

    async def cut(self, tenant_id: UUID) -> int:
        response = await self.stub.CutUsage(
            rating_pb2.CutUsageRequest(tenant_id=str(tenant_id)), timeout=RATING_TIMEOUT)
        return int(response.watermark)

    async def summarize(self, tenant_id: UUID, selections: list[Selection]) -> list[UsageGroup]:
        if not selections:
            return []
        response = await self.stub.SummarizeBilling(rating_pb2.SummarizeBillingRequest(
            tenant_id=str(tenant_id), selections=[s.to_proto() for s in selections],
        ), timeout=RATING_TIMEOUT)
        return [UsageGroup(
            account_id=UUID(g.account_id), period_kind=g.period_kind, service_type=g.service_type,
            destination_class=g.destination_class, unit=g.unit, quantity=Decimal(g.quantity),
            amount=money(g.amount), record_count=g.record_count, digest=g.digest,
            first_started_at=g.first_started_at.ToDatetime(UTC),
            last_started_at=g.last_started_at.ToDatetime(UTC),
        ) for g in response.groups]

    async def rederive(self, tenant_id: UUID, selection: Selection) -> list[GroupCheck]:
        response = await self.stub.RederiveUsage(rating_pb2.RederiveUsageRequest(
            tenant_id=str(tenant_id), selection=selection.to_proto()), timeout=RATING_TIMEOUT)
        return [GroupCheck(g.period_kind, g.service_type, g.destination_class,
                           money(g.stored_amount), money(g.rederived_amount), g.record_count,
                           g.digest) for g in response.groups]


class RatePlans(Protocol):
    """The rating service's rate plans a plan may name."""

    async def currency_of(self, tenant_id: UUID, rate_plan_id: UUID) -> str | None:
        """The rate plan's currency, or None when the tenant has no such rate plan."""
        ...


class GrpcRatePlans:
    """Asks the rating service's tariff catalog over gRPC."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = rating_pb2_grpc.RatingServiceStub(channel)

    async def currency_of(self, tenant_id: UUID, rate_plan_id: UUID) -> str | None:
        try:
            response = await self.stub.GetRatePlan(rating_pb2.GetRatePlanRequest(
                tenant_id=str(tenant_id), rate_plan_id=str(rate_plan_id)), timeout=30)
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise
        return str(response.rate_plan.currency)
