"""Signed webhooks: the tenant's endpoints, their secrets and the delivery log (docs/webhooks.md)."""

from __future__ import annotations

from typing import Any

from billing.notify.v1 import webhooks_pb2, webhooks_pb2_grpc
from fastapi import APIRouter, Depends, HTTPException, Query, Response

from services.gateway.deps import WRITERS, Clients, allow, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable
from services.gateway.webhook_models import EndpointDisable, WebhookEndpointBody, WebhookSettingsBody

router = APIRouter(prefix="/v1", tags=["webhooks"])

NO_STORE = {"Cache-Control": "no-store"}
"""Answers showing a secret once are not to be cached (or kept for replay)."""


def webhooks(c: Clients) -> webhooks_pb2_grpc.WebhookServiceStub:
    """The notify service's webhook stub."""
    if c.webhooks is None:
        raise HTTPException(503, "webhooks are not available")
    return c.webhooks


@router.get("/webhook-settings")
async def get_webhook_settings(
    caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Whether the tenant may register http:// URLs and private-network targets (default no)."""
    settings = await webhooks(c).GetWebhookSettings(webhooks_pb2.GetWebhookSettingsRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return jsonable(settings)


@router.put("/webhook-settings")
async def set_webhook_settings(
    body: WebhookSettingsBody, caller: Principal = Depends(allow(Role.ADMIN)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Allow or refuse http:// URLs and loopback, private, link-local and CGNAT targets (admins only)."""
    settings = await webhooks(c).SetWebhookSettings(webhooks_pb2.SetWebhookSettingsRequest(
        tenant_id=str(caller.tenant_id), allow_private_targets=body.allow_private_targets), timeout=c.timeout)
    return jsonable(settings)


@router.post("/webhooks", status_code=201)
async def create_webhook(
    body: WebhookEndpointBody, response: Response, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Register an endpoint; the answer shows its signing secret, this once only.

    The URL must resolve to public addresses (unless the tenant allows private targets); every
    event whose type matches one of `event_types` is POSTed to it, signed.
    """
    created = await webhooks(c).CreateEndpoint(webhooks_pb2.CreateEndpointRequest(
        tenant_id=str(caller.tenant_id), url=body.url, event_types=body.event_types,
        description=body.description), timeout=c.timeout)
    response.headers.update(NO_STORE)
    return jsonable(created)


@router.get("/webhooks")
async def list_webhooks(
    caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
    status: str = Query(default="", description="enabled or disabled; empty for all"),
) -> dict[str, Any]:
    """The tenant's endpoints; a disabled one says why and since when (`disabled_reason`)."""
    listed = await webhooks(c).ListEndpoints(webhooks_pb2.ListEndpointsRequest(
        tenant_id=str(caller.tenant_id), status=status), timeout=c.timeout)
    return {"endpoints": [jsonable(endpoint) for endpoint in listed.endpoints]}


@router.get("/webhooks/{endpoint_id}")
async def get_webhook(
    endpoint_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """One endpoint, with its active secrets by id and prefix."""
    endpoint = await webhooks(c).GetEndpoint(webhooks_pb2.GetEndpointRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id), timeout=c.timeout)
    return jsonable(endpoint)


@router.put("/webhooks/{endpoint_id}")
async def update_webhook(
    endpoint_id: str, body: WebhookEndpointBody, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Replace the endpoint's URL, event types and description (checked as on registration)."""
    endpoint = await webhooks(c).UpdateEndpoint(webhooks_pb2.UpdateEndpointRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id, url=body.url, event_types=body.event_types,
        description=body.description), timeout=c.timeout)
    return jsonable(endpoint)


@router.delete("/webhooks/{endpoint_id}", status_code=204, response_class=Response)
async def delete_webhook(
    endpoint_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> Response:
    """Remove the endpoint with its secrets and its delivery log."""
    await webhooks(c).DeleteEndpoint(webhooks_pb2.DeleteEndpointRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id), timeout=c.timeout)
    return Response(status_code=204)


@router.post("/webhooks/{endpoint_id}/disable")
async def disable_webhook(
    endpoint_id: str, body: EndpointDisable, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Stop sending to the endpoint; deliveries of new events wait until it is enabled."""
    endpoint = await webhooks(c).DisableEndpoint(webhooks_pb2.DisableEndpointRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id, reason=body.reason), timeout=c.timeout)
    return jsonable(endpoint)


@router.post("/webhooks/{endpoint_id}/enable")
async def enable_webhook(
    endpoint_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Send to a disabled endpoint again: its waiting deliveries go out at once."""
    endpoint = await webhooks(c).EnableEndpoint(webhooks_pb2.EnableEndpointRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id), timeout=c.timeout)
    return jsonable(endpoint)


@router.post("/webhooks/{endpoint_id}/secrets", status_code=201)
async def rotate_webhook_secret(
    endpoint_id: str, response: Response, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Add a second signing secret (shown this once): both sign every delivery until one is retired."""
    created = await webhooks(c).RotateSecret(webhooks_pb2.RotateSecretRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id), timeout=c.timeout)
    response.headers.update(NO_STORE)
    return jsonable(created)


@router.delete("/webhooks/{endpoint_id}/secrets/{secret_id}")
async def retire_webhook_secret(
    endpoint_id: str, secret_id: str, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Stop signing with a secret (the endpoint's last one cannot be retired)."""
    endpoint = await webhooks(c).RetireSecret(webhooks_pb2.RetireSecretRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id, secret_id=secret_id), timeout=c.timeout)
    return jsonable(endpoint)


@router.get("/webhooks/{endpoint_id}/deliveries")
async def list_webhook_deliveries(
    endpoint_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
    status: str = Query(default="", description="pending, delivered or failed; empty for all"),
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
) -> dict[str, Any]:
    """The endpoint's deliveries, newest first, paged (`next_page_token` is empty on the last page)."""
    listed = await webhooks(c).ListDeliveries(webhooks_pb2.ListWebhookDeliveriesRequest(
        tenant_id=str(caller.tenant_id), endpoint_id=endpoint_id, status=status, page_size=page_size,
        page_token=page_token), timeout=c.timeout)
    return {"deliveries": [jsonable(delivery) for delivery in listed.deliveries],
            "next_page_token": listed.next_page_token}


@router.get("/webhook-deliveries/{delivery_id}")
async def get_webhook_delivery(
    delivery_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """One delivery with every attempt: when, the HTTP status, why it failed, how long it took."""
    delivery = await webhooks(c).GetDelivery(webhooks_pb2.GetWebhookDeliveryRequest(
        tenant_id=str(caller.tenant_id), delivery_id=delivery_id), timeout=c.timeout)
    return jsonable(delivery)


@router.post("/webhook-deliveries/{delivery_id}/redeliver", status_code=202)
async def redeliver_webhook(
    delivery_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Send the delivery once more, now, whatever its status (the endpoint must be enabled)."""
    delivery = await webhooks(c).Redeliver(webhooks_pb2.RedeliverRequest(
        tenant_id=str(caller.tenant_id), delivery_id=delivery_id), timeout=c.timeout)
    return jsonable(delivery)
