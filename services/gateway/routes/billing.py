"""Bill runs and invoices."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from billing.notify.v1 import notify_pb2
from fastapi import APIRouter, Depends

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import BillRunCreate, jsonable

router = APIRouter(prefix="/v1", tags=["billing"])


@router.post("/bill-runs", status_code=201)
async def run_billing(
    body: BillRunCreate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Bill every active account for [period_start, period_end) in each account's timezone.

    One finalized, numbered invoice per account and period: running it again bills only
    accounts without an invoice for the period.
    """
    bill_run = await c.invoice.RunBilling(invoice_pb2.RunBillingRequest(
        tenant_id=str(caller.tenant_id), period_start=body.period_start,
        period_end=body.period_end,
    ), timeout=c.bill_run_timeout)
    return jsonable(bill_run)


async def fetch_invoice(caller: Principal, c: Clients, invoice_id: str) -> invoice_pb2.Invoice:
    """An invoice of the caller's tenant (customers: of their own account only)."""
    invoice = await c.invoice.GetInvoice(invoice_pb2.GetInvoiceRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id), timeout=c.timeout)
    check_own_account(caller, invoice.account_id)
    return invoice


@router.get("/invoices/{invoice_id}")
async def get_invoice(
    invoice_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """An invoice with its lines, total, amount paid and amount due."""
    return jsonable(await fetch_invoice(caller, c, invoice_id))


@router.get("/accounts/{account_id}/invoices")
async def list_invoices(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """An account's invoices, oldest period first."""
    check_own_account(caller, account_id)
    response = await c.invoice.ListInvoices(invoice_pb2.ListInvoicesRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return {"invoices": [jsonable(invoice) for invoice in response.invoices]}


@router.get("/invoices/{invoice_id}/deliveries")
async def list_deliveries(
    invoice_id: str, caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Emails sent (or failing) about an invoice."""
    await fetch_invoice(caller, c, invoice_id)
    response = await c.notify.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id), timeout=c.timeout)
    return {"deliveries": [jsonable(delivery) for delivery in response.deliveries]}
