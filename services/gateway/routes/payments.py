"""Payments."""

from __future__ import annotations

from typing import Any

from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2
from fastapi import APIRouter, Depends, Header

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import PaymentCreate, jsonable
from services.gateway.routes.billing import fetch_invoice

router = APIRouter(prefix="/v1", tags=["payments"])


@router.post("/payments", status_code=201)
async def record_payment(
    body: PaymentCreate,
    idempotency_key: str = Header(default="", max_length=200,
                                  description="retries with the same key return the same payment"),
    caller: Principal = Depends(allow(*WRITERS, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Record a payment for an invoice; the invoice becomes paid when covered."""
    await fetch_invoice(caller, c, body.invoice_id)
    payment = await c.payment.RecordPayment(payment_pb2.RecordPaymentRequest(
        tenant_id=str(caller.tenant_id), invoice_id=body.invoice_id,
        amount=common_pb2.Money(amount=body.amount.amount, currency=body.amount.currency),
        method=body.method, reference=body.reference, idempotency_key=idempotency_key,
    ), timeout=c.timeout)
    return jsonable(payment)


@router.get("/payments/{payment_id}")
async def get_payment(
    payment_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A payment of the caller's tenant."""
    payment = await c.payment.GetPayment(payment_pb2.GetPaymentRequest(
        tenant_id=str(caller.tenant_id), payment_id=payment_id), timeout=c.timeout)
    check_own_account(caller, payment.account_id)
    return jsonable(payment)
