"""The gateway's notification routes: what they ask notify, who may call them."""

from __future__ import annotations

from typing import cast

import grpc
import httpx
from billing.notify.v1 import notify_pb2

from services.gateway.app import create_app
from services.gateway.deps import Clients
from services.gateway.keys import KeyStore
from tests.unit.gateway.gateway_fakes import FakeKeys, FakeService, rpc_error

ACCOUNT = "00000000-0000-4000-8000-0000000000a1"
OTHER = "00000000-0000-4000-8000-0000000000b2"
TEMPLATE = {"subject": "Thanks for {{ amount }}", "text": "Dear {{ customer_name }}",
            "html": "<p>Dear {{ customer_name }}</p>"}


def api(notify: FakeService, role: str = "operator") -> httpx.AsyncClient:
    """A client of the gateway over a fake notify service."""
    clients = Clients(usage=FakeService(), rating=FakeService(), invoice=FakeService(),
                      payment=FakeService(), notify=notify, timeout=5, bill_run_timeout=5)
    app = create_app(clients, cast(KeyStore, FakeKeys()))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                             headers={"Authorization": f"Bearer {role}"})


def delivery(account_id: str = ACCOUNT) -> notify_pb2.Delivery:
    return notify_pb2.Delivery(delivery_id="d-1", kind="payment_received", account_id=account_id,
                               status="queued", attempts=2, last_error="smtp: 451 later",
                               next_attempt_at="2025-02-01T06:12:00+00:00")


def notify_service() -> FakeService:
    return FakeService(
        ListDeliveries=notify_pb2.ListDeliveriesResponse(deliveries=[delivery()], next_page_token="t2"),
        GetDelivery=delivery(),
        PutTemplate=notify_pb2.Template(kind="payment_received", locale="de", source="tenant"),
        GetTemplate=notify_pb2.Template(kind="payment_received", locale="en", source="default"),
        ListTemplates=notify_pb2.ListTemplatesResponse(templates=[notify_pb2.Template(locale="de")]),
        DeleteTemplate=notify_pb2.DeleteTemplateResponse(),
        PreviewTemplate=notify_pb2.RenderedEmail(subject="Thanks for €42.41", locale="en_GB"),
    )


async def test_staff_list_deliveries_with_every_filter_passed_on() -> None:
    notify = notify_service()
    async with api(notify) as client:
        response = await client.get("/v1/notifications/deliveries", params={
            "invoice_id": "inv-1", "account_id": ACCOUNT, "kind": "payment_received",
            "status": "queued", "since": "2025-02-01T00:00:00+00:00", "page_size": 10,
            "page_token": "t1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_page_token"] == "t2"
    assert body["deliveries"][0]["last_error"] == "smtp: 451 later"
    [request] = notify.requests["ListDeliveries"]
    assert (request.invoice_id, request.account_id, request.kind, request.status, request.since,
            request.page_size, request.page_token) == (
        "inv-1", ACCOUNT, "payment_received", "queued", "2025-02-01T00:00:00+00:00", 10, "t1")


async def test_a_customer_lists_only_their_own_accounts_deliveries() -> None:
    notify = notify_service()
    async with api(notify, role=f"customer:{ACCOUNT}") as client:
        own = await client.get("/v1/notifications/deliveries")
        other = await client.get("/v1/notifications/deliveries", params={"account_id": OTHER})
    assert own.status_code == 200
    assert other.status_code == 404
    [request] = notify.requests["ListDeliveries"]
    assert request.account_id == ACCOUNT


async def test_a_customer_gets_their_delivery_but_not_another_accounts() -> None:
    async with api(notify_service(), role=f"customer:{ACCOUNT}") as client:
        mine = await client.get("/v1/notifications/deliveries/d-1")
    async with api(notify_service(), role=f"customer:{OTHER}") as client:
        theirs = await client.get("/v1/notifications/deliveries/d-1")
    assert mine.status_code == 200
    assert mine.json()["attempts"] == 2
    assert theirs.status_code == 404


async def test_an_unknown_delivery_is_not_found_and_a_bad_filter_names_the_field() -> None:
    notify = FakeService(
        GetDelivery=rpc_error(grpc.StatusCode.NOT_FOUND, "delivery d-9 not found"),
        ListDeliveries=rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "status: unknown_status",
                                 "status", "unknown_status"))
    async with api(notify) as client:
        missing = await client.get("/v1/notifications/deliveries/d-9")
        refused = await client.get("/v1/notifications/deliveries", params={"status": "lost"})
    assert missing.status_code == 404
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "status", "reason": "unknown_status"}]


async def test_an_operator_stores_gets_lists_previews_and_deletes_templates() -> None:
    notify = notify_service()
    async with api(notify) as client:
        stored = await client.put("/v1/notification-templates/payment_received/de", json=TEMPLATE)
        current = await client.get("/v1/notification-templates/payment_received/en")
        listed = await client.get("/v1/notification-templates", params={"kind": "payment_received"})
        preview = await client.post("/v1/notification-templates/payment_received/en/preview",
                                    json={"subject": "Thanks for {{ amount }}"})
        deleted = await client.delete("/v1/notification-templates/payment_received/de")
    assert (stored.status_code, stored.json()["source"]) == (200, "tenant")
    assert current.json()["source"] == "default"
    assert [t["locale"] for t in listed.json()["templates"]] == ["de"]
    assert preview.json()["subject"] == "Thanks for €42.41"
    assert deleted.status_code == 204
    [put] = notify.requests["PutTemplate"]
    assert (put.kind, put.locale, put.subject, put.text, put.html) == (
        "payment_received", "de", *TEMPLATE.values())
    [previewed] = notify.requests["PreviewTemplate"]
    assert (previewed.subject, previewed.text, previewed.html) == ("Thanks for {{ amount }}", "", "")


async def test_a_template_with_a_missing_or_unknown_part_is_refused_before_notify() -> None:
    notify = notify_service()
    async with api(notify) as client:
        missing = await client.put("/v1/notification-templates/payment_received/de",
                                   json={"subject": "x", "text": "y"})
        unknown = await client.put("/v1/notification-templates/payment_received/de",
                                   json={**TEMPLATE, "footer": "z"})
    assert missing.status_code == 422
    assert {"field": "html", "reason": "Field required"} in missing.json()["errors"]
    assert unknown.status_code == 422
    assert not notify.requests["PutTemplate"]


async def test_a_template_notify_refuses_names_the_part_and_the_reason() -> None:
    notify = FakeService(PutTemplate=rpc_error(
        grpc.StatusCode.INVALID_ARGUMENT, "text: unknown_variable: nope", "text",
        "unknown_variable: nope"))
    async with api(notify) as client:
        response = await client.put("/v1/notification-templates/payment_received/de", json=TEMPLATE)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "text", "reason": "unknown_variable: nope"}]


async def test_only_admins_and_operators_change_templates_and_customers_do_not_read_them() -> None:
    async with api(notify_service(), role="support") as support:
        assert (await support.get("/v1/notification-templates/payment_received/en")).status_code == 200
        put = await support.put("/v1/notification-templates/payment_received/en", json=TEMPLATE)
        deleted = await support.delete("/v1/notification-templates/payment_received/en")
    async with api(notify_service(), role=f"customer:{ACCOUNT}") as customer:
        read = await customer.get("/v1/notification-templates")
    assert (put.status_code, deleted.status_code, read.status_code) == (403, 403, 403)
