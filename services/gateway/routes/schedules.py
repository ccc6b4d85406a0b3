"""The tenant's bill-run schedule."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends

from services.gateway.billing_models import ScheduleSet
from services.gateway.deps import STAFF, WRITERS, Clients, allow, clients
from services.gateway.keys import Principal
from services.gateway.models import jsonable

router = APIRouter(prefix="/v1/billing-schedule", tags=["billing"])


@router.put("")
async def configure_billing_schedule(
    body: ScheduleSet, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """Set the cycle days accounts may bill on and the local time each day's bill run starts."""
    schedule = await c.invoice.ConfigureBillingSchedule(invoice_pb2.ConfigureBillingScheduleRequest(
        tenant_id=str(caller.tenant_id), timezone=body.timezone,
        runs=[invoice_pb2.ScheduledRun(cycle_day=run.cycle_day, at=run.at) for run in body.runs],
    ), timeout=c.timeout)
    return jsonable(schedule)


@router.get("")
async def get_billing_schedule(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """The bill-run schedule; until configured, day 1 at 00:00 UTC (is_default true)."""
    schedule = await c.invoice.GetBillingSchedule(invoice_pb2.GetBillingScheduleRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return jsonable(schedule)
