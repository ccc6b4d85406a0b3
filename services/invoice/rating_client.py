"""Port and gRPC adapter for the rated usage the rating service sums per account."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

import grpc
from billing.rating.v1 import rating_pb2, rating_pb2_grpc
from google.protobuf.timestamp_pb2 import Timestamp

from kernel.money import Money
from services.invoice.domain.billing import RatedUsage


class RatedUsageSource(Protocol):
    """Where bill runs get the rated usage of accounts over a period."""

    async def summarize(
        self, tenant_id: UUID, account_ids: list[UUID], start: datetime, end: datetime
    ) -> dict[UUID, list[RatedUsage]]: ...


def timestamp(instant: datetime) -> Timestamp:
    """A protobuf Timestamp for a UTC instant."""
    message = Timestamp()
    message.FromDatetime(instant)
    return message


class GrpcRatedUsageSource:
    """Asks the rating service over gRPC."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = rating_pb2_grpc.RatingServiceStub(channel)

    async def summarize(
        self, tenant_id: UUID, account_ids: list[UUID], start: datetime, end: datetime
    ) -> dict[UUID, list[RatedUsage]]:
        response = await self.stub.SummarizeUsage(rating_pb2.SummarizeUsageRequest(
            tenant_id=str(tenant_id),
            account_ids=[str(account_id) for account_id in account_ids],
            period_start=timestamp(start),
            period_end=timestamp(end),
        ), timeout=60)
        usage: dict[UUID, list[RatedUsage]] = {}
        for summary in response.summaries:
            usage.setdefault(UUID(summary.account_id), []).append(RatedUsage(
                service_type=summary.service_type,
                unit=summary.unit,
                quantity=Decimal(summary.quantity),
                amount=Money.of(summary.amount.amount, summary.amount.currency),
                record_count=summary.record_count,
                digest=summary.digest,
            ))
        return usage


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
