"""Invoice explanations: every line broken down in words and numbers (docs/explanations.md)."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends, Query

from services.gateway.deps import STAFF, Clients, allow, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable
from services.gateway.routes.billing import fetch_invoice

router = APIRouter(prefix="/v1", tags=["billing"])

LOCALE = Query(default="", max_length=35, description="a locale to word the texts in (en, de); "
                                                      "default the invoice's")


def line_json(explanation: invoice_pb2.LineExplanation) -> dict[str, Any]:
    """A line's explanation as JSON, its counts as numbers (protobuf JSON makes 64-bit integers text)."""
    body = jsonable(explanation)
    body["entry_count"] = int(explanation.entry_count)
    body["next_page_token"] = explanation.next_page_token or None
    for entry, message in zip(body["entries"], explanation.entries, strict=True):
        entry["session_rounding_bytes"] = int(message.session_rounding_bytes)
    return body


@router.get("/invoices/{invoice_id}/lines/{index}/explanation")
async def explain_invoice_line(
    invoice_id: str, index: int,
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "", locale: str = LOCALE,
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """One invoice line explained: `text` says how its amount comes about, in the invoice's locale.

    Usage lines list their rated parts as `entries`, paged in event order (`next_page_token` is
    null on the last page): each with the destination, duration or bytes, increments, billed
    quantity, rate, band, allowance, amount (unrounded), tariff name and version, and a `text`;
    `unrounded_total` is the sum of all entries, which the line's amount rounds once. Recurring,
    proration, tax, discount, one-time and prior-period lines carry their arithmetic
    (`recurring`, `tax`, `discount`, `one_time`, `prior_period`). 404 when the invoice (or, for a
    customer, their own invoice) has no such line.
    """
    await fetch_invoice(caller, c, invoice_id)
    explanation = await c.invoice.ExplainLine(invoice_pb2.ExplainLineRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id, index=index, page_size=page_size,
        page_token=page_token, locale=locale,
    ), timeout=c.timeout)
    return line_json(explanation)


@router.get("/invoices/{invoice_id}/explanation")
async def explain_invoice(
    invoice_id: str, locale: str = LOCALE,
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Every line of an invoice explained (usage lines without their entries: page them through
    `/v1/invoices/{id}/lines/{index}/explanation`), and each allowance of the period: included,
    used and when it ran out."""
    await fetch_invoice(caller, c, invoice_id)
    explanation = await c.invoice.ExplainInvoice(invoice_pb2.ExplainInvoiceRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id, locale=locale), timeout=c.timeout)
    body = jsonable(explanation)
    body["lines"] = [line_json(line) for line in explanation.lines]
    return body
