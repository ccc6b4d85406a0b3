"""Subscriptions: plans an account pays for, plan changes, cancellations and discounts."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends

from services.gateway.billing_models import (
    DiscountCreate,
    PlanChange,
    SubscriptionCancel,
    SubscriptionCreate,
)
from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable

router = APIRouter(prefix="/v1", tags=["subscriptions"])


@router.post("/accounts/{account_id}/subscriptions", status_code=201)
async def subscribe(
    account_id: str, body: SubscriptionCreate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Subscribe the account to a plan in its currency; the same plan may not overlap itself."""
    subscription = await c.invoice.Subscribe(invoice_pb2.SubscribeRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, plan_id=body.plan_id,
        start_date=body.start_date or "",
    ), timeout=c.timeout)
    return jsonable(subscription)


@router.get("/accounts/{account_id}/subscriptions")
async def list_subscriptions(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The account's subscriptions, each with its plan segments and discounts."""
    check_own_account(caller, account_id)
    response = await c.invoice.ListSubscriptions(invoice_pb2.ListSubscriptionsRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return {"subscriptions": [jsonable(s) for s in response.subscriptions]}


@router.post("/subscriptions/{subscription_id}/plan-changes")
async def change_plan(
    subscription_id: str, body: PlanChange, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Upgrade or downgrade from a date; the next invoice credits the old plan's paid-ahead days
    and charges the new plan's, prorated by day."""
    subscription = await c.invoice.ChangePlan(invoice_pb2.ChangePlanRequest(
        tenant_id=str(caller.tenant_id), subscription_id=subscription_id, plan_id=body.plan_id,
        effective_date=body.effective_date or "",
    ), timeout=c.timeout)
    return jsonable(subscription)


@router.post("/subscriptions/{subscription_id}/cancel")
async def cancel_subscription(
    subscription_id: str, body: SubscriptionCancel | None = None,
    caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """End the subscription: end_date is the first day not billed (default today)."""
    subscription = await c.invoice.CancelSubscription(invoice_pb2.CancelSubscriptionRequest(
        tenant_id=str(caller.tenant_id), subscription_id=subscription_id,
        end_date=(body.end_date or "") if body else "",
    ), timeout=c.timeout)
    return jsonable(subscription)


@router.post("/subscriptions/{subscription_id}/discounts")
async def add_discount(
    subscription_id: str, body: DiscountCreate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Discount the subscription by a percentage or a fixed amount for a number of bill cycles."""
    subscription = await c.invoice.AddDiscount(invoice_pb2.AddDiscountRequest(
        tenant_id=str(caller.tenant_id), subscription_id=subscription_id, kind=body.kind,
        value=body.value, cycles=body.cycles, description=body.description,
    ), timeout=c.timeout)
    return jsonable(subscription)
