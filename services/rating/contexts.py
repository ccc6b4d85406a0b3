"""Port and gRPC adapter: rating contexts (plan prices) from the invoice service."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.caching import SharedLookup, TtlCache
from services.rating.caching import LOOKUP_SECONDS
from services.rating.domain import RatingContext, UnitPrice


class RatingContexts(Protocol):
    """Where rating learns each account's plan and prices."""

    async def for_accounts(
        self, tenant_id: UUID, account_ids: set[UUID]
    ) -> dict[UUID, RatingContext]: ...


class GrpcRatingContexts:
    """Asks the invoice service over gRPC."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)

    async def for_accounts(
        self, tenant_id: UUID, account_ids: set[UUID]
    ) -> dict[UUID, RatingContext]:
        response = await self.stub.GetRatingContext(invoice_pb2.GetRatingContextRequest(
            tenant_id=str(tenant_id), account_ids=sorted(str(a) for a in account_ids),
        ), timeout=30)
        return {
            UUID(context.account_id): RatingContext(
                account_id=UUID(context.account_id),
                plan_id=UUID(context.plan_id),
                currency=context.currency,
                prices={
                    price.service_type: UnitPrice(price.service_type, price.unit,
                                                  Decimal(price.unit_price))
                    for price in context.usage_prices
                },
                rate_plan_id=UUID(context.rate_plan_id) if context.rate_plan_id else None,
                timezone=context.timezone or "UTC",
            )
            for context in response.contexts
        }


class CachedRatingContexts:
    """Rating contexts reused for a few seconds (quotes ask for the same accounts repeatedly), and
    looked up once for concurrent batches that need the same accounts."""

    def __init__(self, contexts: RatingContexts) -> None:
        self.contexts = contexts
        self.lookup: SharedLookup[UUID, UUID, RatingContext] = SharedLookup(
            TtlCache(LOOKUP_SECONDS), contexts.for_accounts, remember_misses=True)

    async def for_accounts(
        self, tenant_id: UUID, account_ids: set[UUID]
    ) -> dict[UUID, RatingContext]:
        return await self.lookup.get_many(tenant_id, account_ids)
