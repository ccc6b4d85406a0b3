"""gRPC edge of the rating service."""

from __future__ import annotations

from datetime import UTC

import grpc
from billing.common.v1 import common_pb2
from billing.rating.v1 import rating_pb2, rating_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.wire import id_from_wire
from services.rating.catalog.application import TariffCatalog
from services.rating.catalog.grpc_api import CatalogServicer
from services.rating.store import RatedRecordStore


class RatingServicer(CatalogServicer, rating_pb2_grpc.RatingServiceServicer):
    """Rated usage and the tariff catalog over gRPC."""

    def __init__(self, store: RatedRecordStore, catalog: TariffCatalog) -> None:
        self.store = store
        self.catalog = catalog

    @maps_domain_errors
    async def SummarizeUsage(
        self, request: rating_pb2.SummarizeUsageRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.SummarizeUsageResponse:
        start = request.period_start.ToDatetime(tzinfo=UTC)
        end = request.period_end.ToDatetime(tzinfo=UTC)
        if end <= start:
            raise InvalidInputError("period_end", "must be after period_start")
        summaries = await self.store.summarize(
            id_from_wire(request.tenant_id, "tenant_id"),
            [id_from_wire(a, "account_ids") for a in request.account_ids], start, end,
        )
        return rating_pb2.SummarizeUsageResponse(summaries=[
            rating_pb2.UsageSummary(
                account_id=str(s.account_id), service_type=s.service_type, unit=s.unit,
                quantity=str(s.quantity),
                amount=common_pb2.Money(amount=str(s.amount), currency=s.currency),
                record_count=s.record_count, digest=s.digest,
            )
            for s in summaries
        ])
