"""The gateway's webhook routes over a fake notify service."""

from __future__ import annotations

import grpc
import httpx
from billing.notify.v1 import webhooks_pb2

from services.gateway.app import create_app
from services.gateway.deps import Clients
from tests.unit.gateway.gateway_fakes import TENANT, FakeKeys, FakeService, rpc_error

ENDPOINT = webhooks_pb2.Endpoint(endpoint_id="e-1", url="https://erp.example.net/in",
                                 event_types=["payment.*"], status="enabled")


def gateway(webhooks: FakeService | None, role: str = "operator") -> httpx.AsyncClient:
    """The gateway over fakes, with or without the webhook service."""
    clients = Clients(usage=FakeService(), rating=FakeService(), invoice=FakeService(), payment=FakeService(),
                      notify=FakeService(), timeout=5, bill_run_timeout=5, webhooks=webhooks)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(clients, FakeKeys())),  # type: ignore[arg-type]
                             base_url="http://gateway", headers={"Authorization": f"Bearer {role}"})


async def test_registering_shows_the_secret_once_and_is_not_cached() -> None:
    service = FakeService(CreateEndpoint=webhooks_pb2.CreatedEndpoint(
        endpoint=ENDPOINT, secret=webhooks_pb2.CreatedSecret(secret="whsec_abc")))
    async with gateway(service) as api:
        response = await api.post("/v1/webhooks", json={
            "url": "https://erp.example.net/in", "event_types": ["payment.*"], "description": "ERP"})

    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["secret"]["secret"] == "whsec_abc"
    [request] = service.requests["CreateEndpoint"]
    assert (request.tenant_id, request.url, list(request.event_types), request.description) == (
        str(TENANT), "https://erp.example.net/in", ["payment.*"], "ERP")


async def test_refusals_of_the_service_name_the_field() -> None:
    service = FakeService(CreateEndpoint=rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "url: ssrf_blocked",
                                                   "url", "ssrf_blocked"))
    async with gateway(service) as api:
        response = await api.post("/v1/webhooks", json={"url": "https://10.0.0.1/", "event_types": ["*"]})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "url", "reason": "ssrf_blocked"}]


async def test_bodies_are_checked_before_the_service_is_asked() -> None:
    service = FakeService()
    async with gateway(service) as api:
        no_types = await api.post("/v1/webhooks", json={"url": "https://a.example/", "event_types": []})
        extra = await api.post("/v1/webhooks", json={"url": "https://a.example/", "event_types": ["*"],
                                                     "secret": "mine"})
        setting = await api.put("/v1/webhook-settings", json={"allow_private_targets": "yes"})

    assert [e["field"] for e in no_types.json()["errors"]] == ["event_types"]
    assert [e["field"] for e in extra.json()["errors"]] == ["secret"]
    assert setting.status_code in (403, 422)
    assert service.requests == {}


async def test_only_admins_change_the_settings_and_customers_see_no_webhooks() -> None:
    service = FakeService(SetWebhookSettings=webhooks_pb2.WebhookSettings(allow_private_targets=True))
    async with gateway(service, role="operator") as operator:
        refused = await operator.put("/v1/webhook-settings", json={"allow_private_targets": True})
    async with gateway(service, role="admin") as admin:
        allowed = await admin.put("/v1/webhook-settings", json={"allow_private_targets": True})
    async with gateway(service, role="customer") as customer:
        hidden = await customer.get("/v1/webhooks")

    assert (refused.status_code, allowed.status_code, hidden.status_code) == (403, 200, 403)
    assert allowed.json() == {"allow_private_targets": True}


async def test_delete_answers_no_content_and_redelivery_is_accepted() -> None:
    service = FakeService(DeleteEndpoint=webhooks_pb2.DeleteEndpointResponse(),
                          Redeliver=webhooks_pb2.WebhookDelivery(delivery_id="d-1", status="failed"))
    async with gateway(service) as api:
        deleted = await api.delete("/v1/webhooks/e-1")
        redelivered = await api.post("/v1/webhook-deliveries/d-1/redeliver")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert redelivered.status_code == 202 and redelivered.json()["delivery_id"] == "d-1"


async def test_without_the_webhook_service_the_routes_answer_503() -> None:
    async with gateway(None) as api:
        response = await api.get("/v1/webhooks")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
