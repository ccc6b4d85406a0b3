"""gRPC edge of the rating service."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
from billing.common.v1 import common_pb2
from billing.rating.v1 import rating_pb2, rating_pb2_grpc
from google.protobuf.timestamp_pb2 import Timestamp

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.wire import day_from_wire, id_from_wire, money_to_proto
from services.rating.billing_reads import BillingReads
from services.rating.billing_wire import (
    allowance_use_to_proto,
    group_to_proto,
    parts_to_proto,
    rederivation_to_proto,
    selection_from_proto,
)
from services.rating.catalog.application import TariffCatalog
from services.rating.catalog.grpc_api import CatalogServicer, CatalogTariffs
from services.rating.explaining import CatalogNames, PartExplainer
from services.rating.listings import RatingListings
from services.rating.pricing.engine import zone_named
from services.rating.quotes import Quoting
from services.rating.rederiving import Rederiving
from services.rating.rerating import Rerating
from services.rating.selections import MAX_SELECTIONS, InvalidSelectionError, check_selections
from services.rating.store import RatedRecordStore


def period_from_wire(start: Timestamp, end: Timestamp) -> tuple[datetime, datetime]:
    """A half-open period [start, end) from the wire; an empty or reversed one is refused."""
    first, last = start.ToDatetime(tzinfo=UTC), end.ToDatetime(tzinfo=UTC)
    if last <= first:
        raise InvalidInputError("period_end", "must be after period_start")
    return first, last

class RatingServicer(CatalogServicer, rating_pb2_grpc.RatingServiceServicer):
    """Rated usage and the tariff catalog over gRPC."""

    def __init__(self, store: RatedRecordStore, catalog: TariffCatalog, quoting: Quoting,
                 listings: RatingListings, rerating: Rerating, billing: BillingReads,
                 rederiving: Rederiving) -> None:
        self.store = store
        self.catalog = catalog
        self.quoting = quoting
        self.listings = listings
        self.rerating = rerating
        self.billing = billing
        self.rederiving = rederiving
        self.explaining = PartExplainer(billing.pool, CatalogTariffs(catalog), CatalogNames(catalog))

    @maps_domain_errors
    async def Rerate(
        self, request: rating_pb2.RerateRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.RerateResponse:
        result = await self.rerating.rerate(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"),
            day_from_wire(request.period_start, "period_start"),
            day_from_wire(request.period_end, "period_end"),
        )
        return rating_pb2.RerateResponse(
            cycles=[c.isoformat() for c in result.cycles], records=result.records,
            adjusted=result.adjusted, newly_rated=result.newly_rated,
            difference=str(result.difference),
        )

    @maps_domain_errors
    async def ListRatedRecords(
        self, request: rating_pb2.ListRatedRecordsRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.ListRatedRecordsResponse:
        return parts_to_proto(*await self.listings.rated_parts(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"),
            request.start.ToDatetime(tzinfo=UTC), request.end.ToDatetime(tzinfo=UTC),
            request.page_size, request.page_token,
        ))

    @maps_domain_errors
    async def CutUsage(
        self, request: rating_pb2.CutUsageRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.UsageCut:
        id_from_wire(request.tenant_id, "tenant_id")
        return rating_pb2.UsageCut(watermark=await self.billing.cut())

    @maps_domain_errors
    async def SummarizeBilling(
        self, request: rating_pb2.SummarizeBillingRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.SummarizeBillingResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        if len(request.selections) > MAX_SELECTIONS:
            raise InvalidSelectionError("selections", f"at_most_{MAX_SELECTIONS}")
        selections = [selection_from_proto(s, f"selections[{i}]")
                      for i, s in enumerate(request.selections)]
        check_selections(selections)
        groups = await self.billing.summarize(tenant_id, selections)
        return rating_pb2.SummarizeBillingResponse(groups=[group_to_proto(g) for g in groups])

    @maps_domain_errors
    async def ListLineParts(
        self, request: rating_pb2.ListLinePartsRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.ListRatedRecordsResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        rows, token = await self.billing.line_parts(
            tenant_id, selection_from_proto(request.selection, "selection"), request.period_kind,
            request.service_type, request.destination_class, request.page_size, request.page_token,
        )
        details = await self.explaining.details(tenant_id, rows) if request.explain else None
        return parts_to_proto(rows, token, details)

    @maps_domain_errors
    async def DescribeAllowances(
        self, request: rating_pb2.DescribeAllowancesRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.DescribeAllowancesResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        selection = selection_from_proto(request.selection, "selection")
        if zone_named(request.timezone) is None:
            raise InvalidInputError("timezone", "unknown_timezone")
        uses = await self.explaining.allowances(tenant_id, selection, request.timezone)
        return rating_pb2.DescribeAllowancesResponse(
            allowances=[allowance_use_to_proto(use, name) for use, name in uses])

    @maps_domain_errors
    async def RederiveUsage(
        self, request: rating_pb2.RederiveUsageRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.RederiveUsageResponse:
        return rederivation_to_proto(await self.rederiving.rederive(
            id_from_wire(request.tenant_id, "tenant_id"),
            selection_from_proto(request.selection, "selection"),
        ))

    @maps_domain_errors
    async def ListUnratedRecords(
        self, request: rating_pb2.ListUnratedRecordsRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.ListUnratedRecordsResponse:
        rows, token = await self.listings.unrated(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id") if request.account_id else None,
            request.reason, request.page_size, request.page_token,
        )
        return rating_pb2.ListUnratedRecordsResponse(records=[
            rating_pb2.UnratedRecord(
                source=r["source"], record_id=r["record_id"], account_id=str(r["account_id"]),
                service_type=r["service_type"], quantity=str(r["quantity"]),
                started_at=r["started_at"].isoformat(), reason=r["reason"],
                rerated_at=r["rerated_at"].isoformat() if r["rerated_at"] else "",
            ) for r in rows
        ], next_page_token=token)

    @maps_domain_errors
    async def CountUnratedRecords(
        self, request: rating_pb2.CountUnratedRecordsRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.CountUnratedRecordsResponse:
        start, end = period_from_wire(request.period_start, request.period_end)
        counts = await self.listings.count_unrated(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.account_id, "account_id"),
            start, end)
        return rating_pb2.CountUnratedRecordsResponse(by_reason=counts, total=sum(counts.values()))

    @maps_domain_errors
    async def Quote(
        self, request: rating_pb2.QuoteRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.QuoteResponse:
        result = await self.quoting.quote(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"), request.service_type,
            request.quantity, request.destination, request.started_at,
        )
        first = result.parts[0]
        return rating_pb2.QuoteResponse(
            parts=[rating_pb2.QuotedPart(
                part=p.part, quantity=str(p.quantity), billed_quantity=str(p.billed_quantity),
                amount=money_to_proto(p.amount), band=p.band or "",
                destination_prefix=p.destination_prefix or "",
                destination_name=p.destination_name or "", allowance=p.allowance or "",
                explanation=p.explanation,
            ) for p in result.parts],
            total=money_to_proto(sum((p.amount for p in result.parts[1:]), first.amount)),
            allowances=[
                rating_pb2.AllowanceRemaining(name=name, before=str(before),
                                              after=str(result.remaining_after[name]))
                for name, before in result.remaining_before.items()
            ],
            rate_plan_id=str(first.rate_plan_id), tariff_version=first.tariff_version,
        )

    @maps_domain_errors
    async def SummarizeUsage(
        self, request: rating_pb2.SummarizeUsageRequest, context: grpc.aio.ServicerContext
    ) -> rating_pb2.SummarizeUsageResponse:
        start, end = period_from_wire(request.period_start, request.period_end)
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
