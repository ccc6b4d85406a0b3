"""The simulated PSP's HTTP API: charges, lookups, refunds, payment methods, 3-D Secure, chargebacks."""

from __future__ import annotations

import asyncio
import contextlib
import html
from typing import Any

from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from devstack.psp_simulator.ledger import (
    CARD_EXPIRY,
    CARDS,
    Behaviour,
    Charge,
    Ledger,
    PspError,
    check_currency,
    parse_amount,
)
from devstack.psp_simulator.webhooks import WebhookSender


class ChargeBody(BaseModel):
    """A charge request: a token, an amount (decimal string) and our metadata."""

    token: str
    amount: str
    currency: str
    description: str = ""
    metadata: dict[str, str] = Field(default_factory=dict)


class RefundBody(BaseModel):
    """A refund request, idempotent by refund_id."""

    refund_id: str = Field(min_length=1, max_length=255)
    amount: str
    currency: str


class CompletionBody(BaseModel):
    """How the customer's 3-D Secure authentication ended."""

    result: str


class ChargebackBody(BaseModel):
    """How much the card holder's bank takes back (default: all that is left)."""

    amount: str | None = None


def error_body(error: PspError, **extra: Any) -> dict[str, Any]:
    """The error shape every failing call answers."""
    kind = "card_error" if error.status == 402 else "invalid_request_error"
    return {"error": {"type": kind, "code": error.code, "message": error.message, **extra}}


def charge_response(charge: Charge) -> JSONResponse:
    """200 with the charge; 402 with the charge inside the error when it was declined."""
    if charge.status == "failed":
        declined = PspError(402, charge.failure_reason, "the card was declined")
        return JSONResponse(error_body(declined, charge=charge.to_json()), status_code=402)
    return JSONResponse(charge.to_json())


async def until_disconnected(request: Request) -> None:
    """Return once the client has closed the connection."""
    while (await request.receive())["type"] != "http.disconnect":
        continue


async def hold(request: Request, seconds: float) -> None:
    """Keep the answer back until the client gives up or the time is over."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(until_disconnected(request), seconds)


def three_ds_page(charge: Charge) -> str:
    """A bare authentication page: two buttons posting the result."""
    ref = html.escape(charge.id)
    button = ('<button onclick="fetch(\'/3ds/{ref}/complete\', {{method: \'POST\', headers: '
              '{{\'Content-Type\': \'application/json\'}}, body: JSON.stringify({{result: \'{r}\'}})}})'
              '.then(() => location.reload())">{label}</button>')
    return (f"<!doctype html><title>3-D Secure</title><h1>Authenticate {charge.amount} "
            f"{charge.currency}</h1><p>Charge {ref}: {charge.status}</p>"
            + button.format(ref=ref, r="succeed", label="Authenticate")
            + button.format(ref=ref, r="fail", label="Fail"))


def create_app(ledger: Ledger, sender: WebhookSender, late_seconds: float,
               hold_seconds: float) -> FastAPI:
    """The simulator's routes over one ledger."""
    app = FastAPI(title="PSP simulator", docs_url=None, redoc_url=None)

    @app.exception_handler(PspError)
    async def refused(request: Request, error: PspError) -> JSONResponse:
        return JSONResponse(error_body(error), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(PspError(400, "invalid_request", str(error.errors()))), 400)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/charges")
    async def create_charge(body: ChargeBody, request: Request,
                            idempotency_key: str = Header("", alias="Idempotency-Key")) -> JSONResponse:
        if not idempotency_key:
            raise PspError(400, "missing_idempotency_key", "send an Idempotency-Key header")
        currency = check_currency(body.currency)
        amount = parse_amount(body.amount, currency)
        card = CARDS.get(body.token)
        if card is None:
            raise PspError(400, "unknown_token", "no such payment method")
        charge = ledger.replay(idempotency_key, body.token, amount, currency)
        if charge is not None:
            return charge_response(charge)
        if card.behaviour is Behaviour.LOST:
            await hold(request, hold_seconds)
            raise PspError(503, "lost", "the request was lost")
        charge = ledger.create(idempotency_key, card, body.token, amount, currency, body.metadata,
                               body.description, str(request.base_url).rstrip("/"))
        if card.behaviour is Behaviour.LATE:
            sender.send_after(late_seconds, lambda: ledger.settle(charge.id, succeeded=True))
        if card.behaviour is Behaviour.TIMEOUT:
            await hold(request, hold_seconds)
        return charge_response(charge)

    @app.get("/v1/charges")
    async def search_charges(payment_id: str, tenant_id: str = "") -> dict[str, Any]:
        wanted = {"payment_id": payment_id, **({"tenant_id": tenant_id} if tenant_id else {})}
        return {"object": "list", "data": [charge.to_json() for charge in ledger.search(wanted)]}

    @app.get("/v1/charges/{charge_id}")
    async def get_charge(charge_id: str) -> dict[str, Any]:
        return ledger.get(charge_id).to_json()

    @app.post("/v1/charges/{charge_id}/refunds")
    async def refund(charge_id: str, body: RefundBody) -> dict[str, Any]:
        currency = check_currency(body.currency)
        amount = parse_amount(body.amount, currency)
        charge = ledger.get(charge_id)
        return ledger.refund(charge_id, body.refund_id, amount, currency).to_json(charge)

    @app.get("/v1/payment_methods/{token}")
    async def payment_method(token: str) -> dict[str, Any]:
        card = CARDS.get(token)
        if card is None:
            raise PspError(404, "unknown_token", "no such payment method")
        month, year = CARD_EXPIRY
        return {"token": token, "brand": card.brand, "last4": card.last4,
                "exp_month": month, "exp_year": year}

    @app.get("/3ds/{charge_id}", response_class=HTMLResponse)
    async def three_ds(charge_id: str) -> str:
        return three_ds_page(ledger.get(charge_id))

    @app.post("/3ds/{charge_id}/complete")
    async def complete_three_ds(charge_id: str, body: CompletionBody) -> dict[str, Any]:
        event = ledger.complete_3ds(charge_id, body.result)
        sender.send(event)
        return ledger.get(charge_id).to_json()

    @app.post("/charges/{charge_id}/chargeback")
    async def chargeback(charge_id: str, body: ChargebackBody) -> dict[str, Any]:
        event = ledger.chargeback(charge_id, body.amount)
        sender.send(event)
        return dict(event["data"]["chargeback"])

    return app
