"""Dunning: the tenant's policy, an account's dunning, runs on demand."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import dunning_pb2, dunning_pb2_grpc
from fastapi import APIRouter, Depends, HTTPException

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.dunning_models import DunningPolicySet, DunningRunCreate
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable

router = APIRouter(prefix="/v1", tags=["dunning"])


def dunning_service(c: Clients) -> dunning_pb2_grpc.DunningServiceStub:
    """The payment service's dunning stub."""
    if c.dunning is None:
        raise HTTPException(503, "dunning is not available")
    return c.dunning


def policy_json(policy: dunning_pb2.DunningPolicy) -> dict[str, Any]:
    """A policy as JSON: no late fee or no suspension are null, not absent."""
    body = jsonable(policy)
    body.setdefault("late_fee", None)
    body.setdefault("suspend_after_days", None)
    return body


@router.put("/dunning-policy")
async def configure_dunning_policy(
    body: DunningPolicySet, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """Replace the tenant's reminder, retry, late-fee and suspension schedule (days after the due date)."""
    request = dunning_pb2.ConfigureDunningPolicyRequest(
        tenant_id=str(caller.tenant_id), reminder_days=body.reminder_days, retry_days=body.retry_days,
    )
    if body.late_fee is not None:
        request.late_fee.CopyFrom(dunning_pb2.LateFee(
            percent=body.late_fee.percent or "", fixed=body.late_fee.fixed,
            after_days=body.late_fee.after_days))
    if body.suspend_after_days is not None:
        request.suspend_after_days = body.suspend_after_days
    policy = await dunning_service(c).ConfigureDunningPolicy(request, timeout=c.timeout)
    return policy_json(policy)


@router.get("/dunning-policy")
async def get_dunning_policy(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """The tenant's dunning policy; until configured, the default (is_default true): reminders 1, 7
    and 14 days overdue, retries 3 and 10, no late fee, suspension after 21 days."""
    policy = await dunning_service(c).GetDunningPolicy(dunning_pb2.GetDunningPolicyRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return policy_json(policy)


@router.get("/accounts/{account_id}/dunning")
async def get_account_dunning(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The account's dunning: current or last episode, steps taken, suspended or not (status none
    when it was never overdue)."""
    check_own_account(caller, account_id)
    await c.invoice.GetAccount(invoice_pb2.GetAccountRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    dunning = await dunning_service(c).GetDunning(dunning_pb2.GetDunningRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    body = jsonable(dunning)
    body.setdefault("late_fee", None)
    return body


@router.post("/dunning-runs")
async def run_dunning(
    body: DunningRunCreate | None = None, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Dun the tenant's overdue accounts now, as of a date (default today, UTC): what a scheduled run
    does. Steps already taken are not taken again."""
    run = await dunning_service(c).RunDunning(dunning_pb2.RunDunningRequest(
        tenant_id=str(caller.tenant_id), date=(body.date or "") if body else ""),
        timeout=c.bill_run_timeout)
    return jsonable(run)
