"""Account lifecycle: billing details, status changes and one-time charges."""

from __future__ import annotations

from typing import Any

from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends

from kernel.ids import new_id
from services.gateway.billing_models import BillingDetailsUpdate, ChargeCreate, Closing, StatusChange
from services.gateway.deps import WRITERS, Clients, allow, clients
from services.gateway.keys import Principal
from services.gateway.models import jsonable
from services.gateway.problems import flattened
from services.gateway.routes.catalog import DETAILS, details_to_proto

router = APIRouter(prefix="/v1/accounts", tags=["plans and accounts"])


@router.put("/{account_id}/billing-details")
async def update_billing_details(
    account_id: str, body: BillingDetailsUpdate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Replace the account's name, email, postal address, locale, tax region and whether its invoice
    PDFs are itemised (next invoices use them)."""
    with flattened(DETAILS):
        account = await c.invoice.UpdateBillingDetails(invoice_pb2.UpdateBillingDetailsRequest(
            tenant_id=str(caller.tenant_id), account_id=account_id, name=body.name,
            billing_email=body.billing_email, details=details_to_proto(body),
        ), timeout=c.timeout)
    return jsonable(account)


async def change_status(
    caller: Principal, c: Clients, account_id: str, action: str, body: StatusChange | None
) -> dict[str, Any]:
    """Ask the invoice service for one status change of the account."""
    closing = body if isinstance(body, Closing) else None
    account = await c.invoice.ChangeAccountStatus(invoice_pb2.ChangeAccountStatusRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, action=action,
        effective_date=(closing.effective_date or "") if closing else "",
        reason=body.reason if body else "",
    ), timeout=c.timeout)
    return jsonable(account)


@router.post("/{account_id}/suspend")
async def suspend_account(
    account_id: str, body: StatusChange | None = None, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Suspend the account: it is still billed but takes no new subscriptions."""
    return await change_status(caller, c, account_id, "suspend", body)


@router.post("/{account_id}/reactivate")
async def reactivate_account(
    account_id: str, body: StatusChange | None = None, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Reactivate a suspended account."""
    return await change_status(caller, c, account_id, "reactivate", body)


@router.post("/{account_id}/close")
async def close_account(
    account_id: str, body: Closing | None = None, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Close the account: subscriptions end on the closing date; the next bill run sends the final invoice."""
    return await change_status(caller, c, account_id, "close", body)


@router.post("/{account_id}/charges", status_code=201)
async def add_charge(
    account_id: str, body: ChargeCreate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Put a one-time charge (or a credit, when negative) on the account's next invoice.

    Sending the same charge_id again changes nothing and returns the charge.
    """
    charge = await c.invoice.AddCharge(invoice_pb2.AddChargeRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id,
        charge_id=body.charge_id or str(new_id()), description=body.description,
        amount=common_pb2.Money(amount=body.amount.amount, currency=body.amount.currency),
        charge_date=body.charge_date or "",
    ), timeout=c.timeout)
    return jsonable(charge)
