"""The tariff catalog of the rating service: rate plans, their versions and destination tables."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any, Literal

from billing.rating.v1 import rating_pb2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable
from services.gateway.problems import problem
from services.gateway.uploads import body_chunks

router = APIRouter(prefix="/v1", tags=["tariff catalog"])


class RatePlanCreate(BaseModel):
    """A new rate plan: a name and the currency its prices are in."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(min_length=3, max_length=3)


class TariffVersionPublish(BaseModel):
    """The next version of a rate plan: its first day and its definition (docs/rating.md)."""

    model_config = ConfigDict(extra="forbid")

    effective_from: date
    definition: dict[str, Any]


@router.post("/rate-plans", status_code=201)
async def create_rate_plan(
    body: RatePlanCreate, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """Create a rate plan without versions; publish versions or import destinations next."""
    plan = await c.rating.CreateRatePlan(rating_pb2.CreateRatePlanRequest(
        tenant_id=str(caller.tenant_id), name=body.name, currency=body.currency), timeout=c.timeout)
    return jsonable(plan)


@router.post("/rate-plans/{rate_plan_id}/versions", status_code=201)
async def publish_version(
    rate_plan_id: str, body: TariffVersionPublish, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Publish the next version of a rate plan, in effect from a day (on or after the latest's)."""
    response = await c.rating.PublishTariffVersion(rating_pb2.PublishTariffVersionRequest(
        tenant_id=str(caller.tenant_id), rate_plan_id=rate_plan_id,
        effective_from=body.effective_from.isoformat(), definition_json=json.dumps(body.definition),
    ), timeout=c.timeout)
    return {"version": response.version, "rate_plan": jsonable(response.rate_plan)}


async def upload_chunks(
    request: Request, header: rating_pb2.ImportDestinationsHeader
) -> AsyncIterator[rating_pb2.ImportDestinationsChunk]:
    """The import stream: the header, then the request body in chunks as it arrives."""
    yield rating_pb2.ImportDestinationsChunk(header=header)
    async for data in body_chunks(request):
        yield rating_pb2.ImportDestinationsChunk(data=data)


@router.put("/rate-plans/{rate_plan_id}/destinations", status_code=201, response_model=None)
async def import_destinations(
    rate_plan_id: str,
    request: Request,
    effective_from: date = Query(description="first day of the new version, YYYY-MM-DD"),
    service_type: Literal["voice", "sms"] = Query(default="voice"),
    caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any] | JSONResponse:
    """Publish a version whose voice (or SMS) rates are the CSV body's, the rest as the latest's.

    A file with any bad row publishes nothing: 422 listing the first 100 bad rows.
    """
    header = rating_pb2.ImportDestinationsHeader(
        tenant_id=str(caller.tenant_id), rate_plan_id=rate_plan_id,
        effective_from=effective_from.isoformat(), service_type=service_type,
    )
    response = await c.rating.ImportDestinations(upload_chunks(request, header), timeout=c.bill_run_timeout)
    if response.errors:
        return problem(
            422, f"the file has {response.error_count} bad row(s); nothing was published",
            [{"field": "file", "reason": f"line {e.line} {e.field}: {e.reason}"} for e in response.errors],
        )
    return {"version": response.version, "rows": int(response.rows), "bytes": int(response.bytes),
            "rate_plan": jsonable(response.rate_plan)}


@router.get("/rate-plans")
async def list_rate_plans(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """The tenant's rate plans by name, each with its latest version."""
    response = await c.rating.ListRatePlans(rating_pb2.ListRatePlansRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return {"rate_plans": [jsonable(row) for row in response.rate_plans]}


@router.get("/rate-plans/{rate_plan_id}")
async def get_rate_plan(
    rate_plan_id: str,
    as_of: date | None = Query(default=None, description="also show the version in effect that day"),
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A rate plan and its versions; with as_of, the version in effect that day and its definition."""
    response = await c.rating.GetRatePlan(rating_pb2.GetRatePlanRequest(
        tenant_id=str(caller.tenant_id), rate_plan_id=rate_plan_id,
        as_of=as_of.isoformat() if as_of else ""), timeout=c.timeout)
    body = jsonable(response.rate_plan)
    if as_of is not None:
        in_effect = jsonable(response.in_effect) if response.HasField("in_effect") else None
        if in_effect is not None:
            in_effect["definition"] = json.loads(response.definition_json)
        body["as_of"] = as_of.isoformat()
        body["in_effect"] = in_effect
    return body


class QuoteAsk(BaseModel):
    """A hypothetical record to price now (prepaid authorization); nothing is recorded."""

    model_config = ConfigDict(extra="forbid")

    service_type: str = Field(examples=["voice"])
    quantity: str = Field(pattern=r"^\d+(\.\d+)?$", description="in the base unit: s, messages, bytes",
                          examples=["180"])
    destination: str = Field(default="", max_length=32, examples=["+442079460000"])
    started_at: str = Field(default="", description="RFC 3339; now when empty")


@router.post("/accounts/{account_id}/quote")
async def quote(
    account_id: str, body: QuoteAsk, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The price of a record now under the account's tariff, and the allowance it would use."""
    check_own_account(caller, account_id)
    response = await c.rating.Quote(rating_pb2.QuoteRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, **body.model_dump(),
    ), timeout=c.timeout)
    return jsonable(response)


class RerateAsk(BaseModel):
    """The period whose monthly cycles to re-rate (dates in the account's timezone)."""

    model_config = ConfigDict(extra="forbid")

    period_start: date
    period_end: date


@router.post("/accounts/{account_id}/rerate")
async def rerate(
    account_id: str, body: RerateAsk, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Re-rate the account's cycles with the tariff versions in effect now.

    Identical prices change nothing; differences are written as adjustment parts, never by
    editing what was rated; records unrated before and priced now are rated.
    """
    response = await c.rating.Rerate(rating_pb2.RerateRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id,
        period_start=body.period_start.isoformat(), period_end=body.period_end.isoformat(),
    ), timeout=c.bill_run_timeout)
    return jsonable(response)
