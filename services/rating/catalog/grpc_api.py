"""gRPC edge of the tariff catalog: rate plans, versions and destination imports."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from uuid import UUID

import grpc
from billing.rating.v1 import rating_pb2

from kernel.caching import TtlCache
from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.wire import id_from_wire
from services.rating.caching import LOOKUP_SECONDS
from services.rating.catalog.application import RatePlanNotFoundError, TariffCatalog
from services.rating.catalog.destinations import DestinationFileError
from services.rating.catalog.rate_plans import RatePlan
from services.rating.pricing import TariffVersion

Context = grpc.aio.ServicerContext
MAX_IMPORT_BYTES = 256 << 20
"""The largest destination file accepted (it is held in memory while parsed)."""


def day_from_wire(text: str, field: str) -> date:
    """A YYYY-MM-DD date sent by a client, naming the field when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(field, "must be a date YYYY-MM-DD") from None


def rate_plan_to_proto(plan: RatePlan) -> rating_pb2.RatePlan:
    """A rate plan on the wire."""
    return rating_pb2.RatePlan(
        rate_plan_id=str(plan.id), name=plan.name, currency=plan.currency,
        versions=[rating_pb2.TariffVersionInfo(version=v.version, effective_from=v.effective_from.isoformat(),
                                               definition_digest=v.definition_digest)
                  for v in plan.versions],
    )


class CatalogServicer:
    """The catalog's methods of RatingService (mixed into the RatingServicer)."""

    catalog: TariffCatalog

    @maps_domain_errors
    async def CreateRatePlan(
        self, request: rating_pb2.CreateRatePlanRequest, context: Context
    ) -> rating_pb2.RatePlan:
        plan = await asyncio.to_thread(
            self.catalog.create_rate_plan, id_from_wire(request.tenant_id, "tenant_id"), request.name,
            request.currency,
        )
        return rate_plan_to_proto(plan)

    @maps_domain_errors
    async def PublishTariffVersion(
        self, request: rating_pb2.PublishTariffVersionRequest, context: Context
    ) -> rating_pb2.PublishTariffVersionResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        plan_id = id_from_wire(request.rate_plan_id, "rate_plan_id")
        effective_from = day_from_wire(request.effective_from, "effective_from")
        try:
            definition = json.loads(request.definition_json)
        except ValueError as error:
            raise InvalidInputError("definition_json", f"not JSON: {error}") from None
        version = await asyncio.to_thread(
            self.catalog.publish_version, tenant_id, plan_id, effective_from, definition)
        plan = await asyncio.to_thread(self.catalog.get, tenant_id, plan_id)
        return rating_pb2.PublishTariffVersionResponse(rate_plan=rate_plan_to_proto(plan), version=version)

    @maps_domain_errors
    async def ImportDestinations(
        self, request_iterator: AsyncIterator[rating_pb2.ImportDestinationsChunk], context: Context
    ) -> rating_pb2.ImportDestinationsResponse:
        header: rating_pb2.ImportDestinationsHeader | None = None
        chunks: list[bytes] = []
        size = 0
        async for chunk in request_iterator:
            if chunk.HasField("header"):
                if header is not None:
                    raise InvalidInputError("header", "sent twice")
                header = chunk.header
                continue
            if header is None:
                raise InvalidInputError("header", "must come before the file's bytes")
            size += len(chunk.data)
            if size > MAX_IMPORT_BYTES:
                raise InvalidInputError("file", f"larger than {MAX_IMPORT_BYTES >> 20} MiB")
            chunks.append(chunk.data)
        if header is None:
            raise InvalidInputError("header", "is required")
        tenant_id = id_from_wire(header.tenant_id, "tenant_id")
        plan_id = id_from_wire(header.rate_plan_id, "rate_plan_id")
        effective_from = day_from_wire(header.effective_from, "effective_from")
        try:
            version, rows = await asyncio.to_thread(
                self.catalog.import_destinations, tenant_id, plan_id, effective_from, chunks,
                header.service_type,
            )
        except DestinationFileError as refused:
            plan = await asyncio.to_thread(self.catalog.get, tenant_id, plan_id)
            return rating_pb2.ImportDestinationsResponse(
                rate_plan=rate_plan_to_proto(plan), bytes=size, error_count=refused.total,
                errors=[rating_pb2.DestinationRowError(line=e.line, field=e.field, reason=e.reason)
                        for e in refused.errors],
            )
        plan = await asyncio.to_thread(self.catalog.get, tenant_id, plan_id)
        return rating_pb2.ImportDestinationsResponse(
            rate_plan=rate_plan_to_proto(plan), version=version, rows=rows, bytes=size)

    @maps_domain_errors
    async def GetRatePlan(
        self, request: rating_pb2.GetRatePlanRequest, context: Context
    ) -> rating_pb2.GetRatePlanResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        plan_id = id_from_wire(request.rate_plan_id, "rate_plan_id")
        as_of = day_from_wire(request.as_of, "as_of") if request.as_of else None
        plan = await asyncio.to_thread(self.catalog.get, tenant_id, plan_id)
        response = rating_pb2.GetRatePlanResponse(rate_plan=rate_plan_to_proto(plan))
        published = plan.version_in_effect(as_of) if as_of else None
        if published is not None:
            response.in_effect.CopyFrom(rating_pb2.TariffVersionInfo(
                version=published.version, effective_from=published.effective_from.isoformat(),
                definition_digest=published.definition_digest))
            response.definition_json = await asyncio.to_thread(
                self.catalog.definition_json, plan, published)
        return response

    @maps_domain_errors
    async def ListRatePlans(
        self, request: rating_pb2.ListRatePlansRequest, context: Context
    ) -> rating_pb2.ListRatePlansResponse:
        rows = await asyncio.to_thread(
            self.catalog.list_rate_plans, id_from_wire(request.tenant_id, "tenant_id"))
        return rating_pb2.ListRatePlansResponse(rate_plans=[
            rating_pb2.RatePlanSummary(
                rate_plan_id=str(row.rate_plan_id), name=row.name, currency=row.currency,
                latest_version=row.latest_version,
                latest_effective_from=(row.latest_effective_from.isoformat()
                                       if row.latest_effective_from else ""),
            )
            for row in rows
        ])


class CatalogTariffs:
    """Tariff lookups of rating: the version in effect on a day (cached briefly) or a version by its
    number; None for an unknown plan."""

    def __init__(self, catalog: TariffCatalog, cache_seconds: float = LOOKUP_SECONDS) -> None:
        self.catalog = catalog
        self.cache: TtlCache[TariffVersion | None] = TtlCache(cache_seconds)

    async def version_at(self, tenant_id: UUID, rate_plan_id: UUID, day: date) -> TariffVersion | None:
        found, version = self.cache.get((tenant_id, rate_plan_id, day))
        if found:
            return version
        try:
            version = await asyncio.to_thread(self.catalog.version_at, tenant_id, rate_plan_id, day)
        except RatePlanNotFoundError:
            version = None
        self.cache.put((tenant_id, rate_plan_id, day), version)
        return version

    async def version_numbered(
        self, tenant_id: UUID, rate_plan_id: UUID, number: int
    ) -> TariffVersion | None:
        """A published version by its number, as re-derivation asks (None for an unknown plan)."""
        try:
            return await asyncio.to_thread(self.catalog.version_numbered, tenant_id, rate_plan_id, number)
        except RatePlanNotFoundError:
            return None
