"""Customer emails: the delivery log and each tenant's email templates."""

from __future__ import annotations

from typing import Any

from billing.notify.v1 import notify_pb2
from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import Strict, jsonable

router = APIRouter(prefix="/v1", tags=["notifications"])

KIND_PATH = ("invoice_issued, payment_received, payment_failed, dunning_reminder, account_suspended,"
             " query_awaiting_customer, query_resolved or query_rejected")
LOCALE_PATH = "a Babel locale such as en, de, de_AT"


class TemplateBody(Strict):
    """An email template: Jinja2 with the kind's variables; html is autoescaped."""

    subject: str = Field(min_length=1, max_length=1_000,
                         examples=["Invoice {{ invoice_number }} for {{ period }}"])
    text: str = Field(min_length=1, max_length=100_000,
                      examples=["Dear {{ customer_name }},\n\nyour invoice is ready.\n"])
    html: str = Field(min_length=1, max_length=200_000,
                      examples=["<p>Dear {{ customer_name }},</p><p>your invoice is ready.</p>"])


class TemplateDraft(Strict):
    """Parts of a template to preview; a part left out is the current template's."""

    subject: str = Field(default="", max_length=1_000)
    text: str = Field(default="", max_length=100_000)
    html: str = Field(default="", max_length=200_000)


def account_scope(caller: Principal, account_id: str) -> str:
    """The account a listing is limited to: a customer's own, whatever they ask for."""
    if caller.role is not Role.CUSTOMER:
        return account_id
    if account_id:
        check_own_account(caller, account_id)
    return str(caller.account_id)


@router.get("/notifications/deliveries")
async def list_deliveries(
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
    invoice_id: str = "", account_id: str = "",
    kind: str = Query(default="", description=KIND_PATH),
    status: str = Query(default="", description="queued, sent, failed or bounced"),
    since: str = Query(default="", examples=["2026-11-01T00:00:00Z"],
                       description="RFC 3339 instant (URL-encode a +): deliveries queued at or after it"),
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
) -> dict[str, Any]:
    """Emails to customers, oldest first, paged (`next_page_token` is empty on the last page).

    A queued delivery waits for its next attempt (`next_attempt_at`, `last_error`); failed ones
    name the reason; bounced ones carry the mail server's reply. Customers see their own only.
    """
    response = await c.notify.ListDeliveries(notify_pb2.ListDeliveriesRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id,
        account_id=account_scope(caller, account_id), kind=kind, status=status,
        since=since, page_size=page_size, page_token=page_token), timeout=c.timeout)
    return {"deliveries": [jsonable(delivery) for delivery in response.deliveries],
            "next_page_token": response.next_page_token}


@router.get("/notifications/deliveries/{delivery_id}")
async def get_delivery(
    delivery_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """One email delivery with its attempts and outcome."""
    delivery = await c.notify.GetDelivery(notify_pb2.GetDeliveryRequest(
        tenant_id=str(caller.tenant_id), delivery_id=delivery_id), timeout=c.timeout)
    check_own_account(caller, delivery.account_id)
    return jsonable(delivery)


@router.get("/notification-templates")
async def list_templates(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
    kind: str = Query(default="", description=KIND_PATH),
) -> dict[str, Any]:
    """The tenant's own email templates (the shipped defaults are not listed)."""
    response = await c.notify.ListTemplates(notify_pb2.ListTemplatesRequest(
        tenant_id=str(caller.tenant_id), kind=kind), timeout=c.timeout)
    return {"templates": [jsonable(template) for template in response.templates]}


@router.get("/notification-templates/{kind}/{locale}")
async def get_template(
    kind: str, locale: str, caller: Principal = Depends(allow(*STAFF)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The template emails of this kind to customers in this locale are written with.

    The tenant's own for the locale, else for its language, else the shipped default in that
    language, else the shipped English one; `source` says whose it is.
    """
    template = await c.notify.GetTemplate(notify_pb2.GetTemplateRequest(
        tenant_id=str(caller.tenant_id), kind=kind, locale=locale), timeout=c.timeout)
    return jsonable(template)


@router.put("/notification-templates/{kind}/{locale}")
async def put_template(
    kind: str, locale: str, body: TemplateBody, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Store the tenant's template of a kind and locale.

    Refused (422 naming subject, text or html) when a part does not parse, uses a variable the
    kind does not offer, or fails to render the kind's sample data.
    """
    template = await c.notify.PutTemplate(notify_pb2.PutTemplateRequest(
        tenant_id=str(caller.tenant_id), kind=kind, locale=locale, subject=body.subject,
        text=body.text, html=body.html), timeout=c.timeout)
    return jsonable(template)


@router.delete("/notification-templates/{kind}/{locale}", status_code=204)
async def delete_template(
    kind: str, locale: str, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> Response:
    """Remove the tenant's own template; its emails fall back along the chain."""
    await c.notify.DeleteTemplate(notify_pb2.DeleteTemplateRequest(
        tenant_id=str(caller.tenant_id), kind=kind, locale=locale), timeout=c.timeout)
    return Response(status_code=204)


@router.post("/notification-templates/{kind}/{locale}/preview")
async def preview_template(
    kind: str, locale: str, body: TemplateDraft | None = None,
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A sample email of the kind rendered in the locale: with the drafted parts, and the
    current template for the parts left out."""
    draft = body or TemplateDraft()
    rendered = await c.notify.PreviewTemplate(notify_pb2.PreviewTemplateRequest(
        tenant_id=str(caller.tenant_id), kind=kind, locale=locale, subject=draft.subject,
        text=draft.text, html=draft.html), timeout=c.timeout)
    return jsonable(rendered)
