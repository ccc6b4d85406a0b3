"""Payments, refunds, stored payment methods, ledgers, and payment-gateway webhooks."""

from __future__ import annotations

from typing import Any

import grpc
from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import MoneyBody, jsonable
from services.gateway.payment_models import PaymentCreate, PaymentMethodCreate, RefundCreate
from services.gateway.routes.billing import fetch_invoice

router = APIRouter(prefix="/v1", tags=["payments"])
IDEMPOTENCY = Header(default="", max_length=200,
                     description="retries with the same key return the same result")
MAX_WEBHOOK_BYTES = 1 << 20


def money(body: MoneyBody) -> common_pb2.Money:
    """A money body on the wire."""
    return common_pb2.Money(amount=str(body.amount), currency=body.currency)


@router.post("/payments", status_code=201)
async def record_payment(
    body: PaymentCreate, idempotency_key: str = IDEMPOTENCY,
    caller: Principal = Depends(allow(*WRITERS, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Record money received, or charge a card: the target invoice first, then the oldest; the rest is credit.

    A card payment answers `pending` with an `action_url` when the customer must confirm (3-D Secure),
    and `unknown` when the gateway did not answer in time (it is resolved by polling before any new
    attempt). Customers may only pay by card, for their own account."""
    if caller.role is Role.CUSTOMER and body.method != "card":
        raise HTTPException(403, "customers pay by card; operators record other payments")
    account_id = body.account_id
    if body.invoice_id:
        invoice = await fetch_invoice(caller, c, body.invoice_id)
        account_id = account_id or invoice.account_id
    if account_id:
        check_own_account(caller, account_id)
    payment = await c.payment.RecordPayment(payment_pb2.RecordPaymentRequest(
        tenant_id=str(caller.tenant_id), invoice_id=body.invoice_id or "", account_id=account_id or "",
        amount=money(body.amount), method=body.method, reference=body.reference,
        idempotency_key=idempotency_key, payment_method_id=body.payment_method_id or "",
        token=body.token or "",
    ), timeout=c.timeout + 10)
    return jsonable(payment)


async def own_payment(caller: Principal, c: Clients, payment_id: str) -> payment_pb2.Payment:
    """A payment of the caller's tenant (and, for customers, of their own account)."""
    payment = await c.payment.GetPayment(payment_pb2.GetPaymentRequest(
        tenant_id=str(caller.tenant_id), payment_id=payment_id), timeout=c.timeout)
    check_own_account(caller, payment.account_id)
    return payment


@router.get("/payments/{payment_id}")
async def get_payment(
    payment_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A payment: its status, amounts refunded, and the gateway's reference."""
    return jsonable(await own_payment(caller, c, payment_id))


@router.post("/payments/{payment_id}/resolve")
async def resolve_payment(
    payment_id: str, caller: Principal = Depends(allow(*WRITERS, Role.SUPPORT, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Ask the payment gateway what became of a pending or unknown card payment."""
    await own_payment(caller, c, payment_id)
    payment = await c.payment.ResolvePayment(payment_pb2.GetPaymentRequest(
        tenant_id=str(caller.tenant_id), payment_id=payment_id), timeout=c.timeout + 10)
    return jsonable(payment)


@router.post("/payments/{payment_id}/refunds")
async def refund_payment(
    payment_id: str, body: RefundCreate, idempotency_key: str = IDEMPOTENCY,
    caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Give back part or all of a payment; the invoices it paid are re-opened (newest first)."""
    payment = await c.payment.RefundPayment(payment_pb2.RefundPaymentRequest(
        tenant_id=str(caller.tenant_id), payment_id=payment_id, amount=money(body.amount),
        reason=body.reason, idempotency_key=idempotency_key,
    ), timeout=c.timeout + 10)
    return jsonable(payment)


@router.get("/accounts/{account_id}/payments")
async def list_payments(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients), page_size: int = Query(default=100, ge=1, le=1000),
    page_token: str = "",
) -> dict[str, Any]:
    """An account's payments, newest first (`next_page_token` is empty on the last page)."""
    check_own_account(caller, account_id)
    response = await c.payment.ListPayments(payment_pb2.ListPaymentsRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, page_size=page_size,
        page_token=page_token), timeout=c.timeout)
    return {"payments": [jsonable(p) for p in response.payments],
            "next_page_token": response.next_page_token}


@router.get("/accounts/{account_id}/ledger")
async def get_ledger(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The account's balance (open invoices minus credit held), open invoices and double-entry journal."""
    check_own_account(caller, account_id)
    ledger = await c.payment.GetLedger(payment_pb2.AccountRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return jsonable(ledger)


@router.post("/accounts/{account_id}/payment-methods", status_code=201)
async def add_payment_method(
    account_id: str, body: PaymentMethodCreate,
    caller: Principal = Depends(allow(*WRITERS, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Keep a card on file as a gateway token; the gateway's brand, last four digits and expiry are shown."""
    check_own_account(caller, account_id)
    wallet = await c.payment.AddPaymentMethod(payment_pb2.AddPaymentMethodRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, token=body.token,
        make_default=body.make_default), timeout=c.timeout + 10)
    return jsonable(wallet)


@router.get("/accounts/{account_id}/payment-methods")
async def list_payment_methods(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The account's stored payment methods."""
    check_own_account(caller, account_id)
    wallet = await c.payment.ListPaymentMethods(payment_pb2.AccountRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return jsonable(wallet)


@router.delete("/accounts/{account_id}/payment-methods/{method_id}")
async def remove_payment_method(
    account_id: str, method_id: str, caller: Principal = Depends(allow(*WRITERS, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Forget a stored payment method."""
    check_own_account(caller, account_id)
    wallet = await c.payment.RemovePaymentMethod(payment_pb2.PaymentMethodRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, payment_method_id=method_id),
        timeout=c.timeout)
    return jsonable(wallet)


@router.post("/accounts/{account_id}/payment-methods/{method_id}/default")
async def choose_default_payment_method(
    account_id: str, method_id: str, caller: Principal = Depends(allow(*WRITERS, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Automatic charges (dunning retries) use this method."""
    check_own_account(caller, account_id)
    wallet = await c.payment.SetDefaultPaymentMethod(payment_pb2.PaymentMethodRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, payment_method_id=method_id),
        timeout=c.timeout)
    return jsonable(wallet)


@router.post("/payment-providers/{provider}/webhooks", tags=["webhooks"])
async def gateway_webhook(provider: str, request: Request, c: Clients = Depends(clients)) -> dict[str, str]:
    """Notifications from the payment gateway; authenticated by their signature, not an API key."""
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise HTTPException(413, "webhook body too large")
    try:
        await c.payment.HandleGatewayEvent(payment_pb2.GatewayEventRequest(
            provider=provider, body=body, headers=dict(request.headers)), timeout=c.timeout + 10)
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return {"status": "ignored"}
        raise
    return {"status": "ok"}
