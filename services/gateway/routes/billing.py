"""Bill runs and invoices."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from billing.notify.v1 import notify_pb2
from fastapi import APIRouter, Depends, Query

from services.gateway.billing_models import VoidRequest
from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import BillRunCreate, bill_run_json, jsonable

router = APIRouter(prefix="/v1", tags=["billing"])

VERIFIERS = (Role.AUDITOR, Role.ADMIN, Role.OPERATOR)


@router.post("/bill-runs", status_code=201)
async def run_billing(
    body: BillRunCreate, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Bill every account whose bill period ends on bill_date, and answer once the run completes.

    Each account is billed for [bill_date - 1 cycle, bill_date) in its timezone: one finalized,
    numbered invoice per account and bill date, so running it again bills only the accounts
    still without one. A bill date after today is refused.
    """
    bill_run = await c.invoice.RunBilling(invoice_pb2.RunBillingRequest(
        tenant_id=str(caller.tenant_id), bill_date=body.bill_date,
    ), timeout=c.bill_run_timeout)
    return bill_run_json(bill_run)


@router.get("/bill-runs")
async def list_bill_runs(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """The tenant's bill runs with their progress."""
    response = await c.invoice.ListBillRuns(invoice_pb2.ListBillRunsRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return {"bill_runs": [bill_run_json(run) for run in response.bill_runs]}


@router.get("/bill-runs/{bill_run_id}")
async def get_bill_run(
    bill_run_id: str, caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """A bill run's progress: accounts due, invoices created and already present."""
    bill_run = await c.invoice.GetBillRun(invoice_pb2.GetBillRunRequest(
        tenant_id=str(caller.tenant_id), bill_run_id=bill_run_id), timeout=c.timeout)
    return bill_run_json(bill_run)


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
    """An invoice with its lines, subtotal, tax, total, amounts paid and credited, and amount due."""
    return jsonable(await fetch_invoice(caller, c, invoice_id))


@router.get("/accounts/{account_id}/invoices")
async def list_invoices(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
) -> dict[str, Any]:
    """An account's invoices, oldest period first, paged (`next_page_token` is empty on the last page)."""
    check_own_account(caller, account_id)
    response = await c.invoice.ListInvoices(invoice_pb2.ListInvoicesRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, page_size=page_size,
        page_token=page_token), timeout=c.timeout)
    return {"invoices": [jsonable(invoice) for invoice in response.invoices],
            "next_page_token": response.next_page_token}


@router.post("/invoices/{invoice_id}/void")
async def void_invoice(
    invoice_id: str, body: VoidRequest | None = None, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Void a finalized invoice nothing was paid on or credited against; its number stays used."""
    invoice = await c.invoice.VoidInvoice(invoice_pb2.VoidInvoiceRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id, reason=body.reason if body else "",
    ), timeout=c.timeout)
    return jsonable(invoice)


@router.get("/invoices/{invoice_id}/verification")
async def verify_invoice(
    invoice_id: str, caller: Principal = Depends(allow(*VERIFIERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """An auditor's check: the invoice replayed from its events gives the same document, and its
    usage lines re-derived from the rated records and tariff versions give the same totals."""
    verification = await c.invoice.VerifyInvoice(invoice_pb2.VerifyInvoiceRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id), timeout=c.bill_run_timeout)
    return jsonable(verification)


@router.get("/invoices/{invoice_id}/deliveries")
async def list_deliveries(
    invoice_id: str, caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The email issuing an invoice, sent or failing (every email naming the invoice, payment
    receipts and reminders too: GET /v1/notifications/deliveries?invoice_id=...)."""
    await fetch_invoice(caller, c, invoice_id)
    response = await c.notify.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id, kind="invoice_issued"),
        timeout=c.timeout)
    return {"deliveries": [jsonable(delivery) for delivery in response.deliveries]}
