"""Plans and accounts."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import (
    AccountCreate,
    BillingDetailsFields,
    IdentityAssign,
    PlanCreate,
    jsonable,
)
from services.gateway.problems import flattened

router = APIRouter(prefix="/v1", tags=["plans and accounts"])
DETAILS = "details."
"""The invoice service's name for the billing details the request bodies carry flat."""


@router.post("/plans", status_code=201)
async def create_plan(
    body: PlanCreate, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """Create a plan: a recurring fee per period and a price per unit of each service type."""
    plan = await c.invoice.CreatePlan(invoice_pb2.CreatePlanRequest(
        tenant_id=str(caller.tenant_id), name=body.name, currency=body.currency,
        recurring_fee=body.recurring_fee,
        usage_prices=[invoice_pb2.UsagePrice(**price.model_dump()) for price in body.usage_prices],
        rate_plan_id=body.rate_plan_id or "",
    ), timeout=c.timeout)
    return jsonable(plan)


@router.get("/plans/{plan_id}")
async def get_plan(
    plan_id: str, caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """A plan of the caller's tenant."""
    plan = await c.invoice.GetPlan(invoice_pb2.GetPlanRequest(
        tenant_id=str(caller.tenant_id), plan_id=plan_id), timeout=c.timeout)
    return jsonable(plan)


@router.post("/accounts", status_code=201)
async def open_account(
    body: AccountCreate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Open an account subscribed to a plan; it bills in the plan's currency.

    Its bill periods end on its cycle day each month; a child account (parent_account_id)
    is billed on its parent's invoice.
    """
    with flattened(DETAILS):
        account = await c.invoice.OpenAccount(invoice_pb2.OpenAccountRequest(
            tenant_id=str(caller.tenant_id), name=body.name, billing_email=body.billing_email,
            plan_id=body.plan_id, timezone=body.timezone, currency=body.currency or "",
            identities=body.identities, details=details_to_proto(body),
            bill_cycle_day=body.bill_cycle_day or 0, parent_account_id=body.parent_account_id or "",
            start_date=body.start_date or "",
        ), timeout=c.timeout)
    return jsonable(account)


def details_to_proto(body: BillingDetailsFields) -> invoice_pb2.BillingDetails:
    """The billing details of a request body on the wire."""
    return invoice_pb2.BillingDetails(
        address_lines=body.address_lines, locale=body.locale, tax_region=body.tax_region,
        tax_id=body.tax_id, itemised_invoices=body.itemised_invoices,
    )


@router.get("/accounts/{account_id}")
async def get_account(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """An account of the caller's tenant (customers: their own only)."""
    check_own_account(caller, account_id)
    account = await c.invoice.GetAccount(invoice_pb2.GetAccountRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return jsonable(account)


@router.post("/accounts/{account_id}/identities", status_code=201)
async def assign_identity(
    account_id: str, body: IdentityAssign, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Name the account by a subscriber identity in usage records (repeating it changes nothing)."""
    account = await c.invoice.AssignIdentity(invoice_pb2.AssignIdentityRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, identity=body.identity,
    ), timeout=c.timeout)
    return jsonable(account)


@router.delete("/accounts/{account_id}/identities/{identity:path}")
async def release_identity(
    account_id: str, identity: str, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Release a subscriber identity from the account (e.g. a number ported out)."""
    account = await c.invoice.ReleaseIdentity(invoice_pb2.ReleaseIdentityRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, identity=identity,
    ), timeout=c.timeout)
    return jsonable(account)
