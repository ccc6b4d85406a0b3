"""Signed webhooks and print batches end to end: a bill run's finalized invoices reach a local
receiver signed, and the paper accounts' invoices come back as one PDF with a manifest."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from services.notify.webhooks.verification import verify
from tests.e2e.conftest import Stack
from tests.e2e.test_invoicing import BILL_DATE, account_body, created, new_plan, refused
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e


@dataclass
class Receiver:
    """An HTTP/1.1 endpoint on 127.0.0.1 recording each POST's headers and body."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readline()
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append((headers, body))
            writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    server = await asyncio.start_server(found.handle, "127.0.0.1", 0)
    found.port = server.sockets[0].getsockname()[1]
    yield found
    server.close()


async def test_bill_run_sends_signed_webhooks_and_prints_the_paper_accounts(
    stack: Stack, receiver: Receiver
) -> None:
    tenant, other = stack.create_tenant("Webhook Telco"), stack.create_tenant("Nosy Telco")
    async with stack.client(tenant["api_key"]) as admin, stack.client(other["api_key"]) as stranger:
        operator = stack.client(await new_key(admin, "operator"))
        hook_url = f"http://127.0.0.1:{receiver.port}/billing"
        refused(await stranger.post("/v1/webhooks", json={"url": hook_url, "event_types": ["*"]}),
                (422,), "url")
        refused(await operator.put("/v1/webhook-settings", json={"allow_private_targets": True}), (403,))
        assert (await created(admin.put("/v1/webhook-settings", json={"allow_private_targets": True}))) == {
            "allow_private_targets": True}
        refused(await operator.post("/v1/webhooks", json={"url": hook_url, "event_types": ["invoices.*"]}),
                (422,), "event_types")
        registered = await operator.post("/v1/webhooks", json={
            "url": hook_url, "event_types": ["invoice.Invoice.Finalized"], "description": "ERP"})
        assert registered.status_code == 201, registered.text
        assert registered.headers["cache-control"] == "no-store"
        endpoint_id = registered.json()["endpoint"]["endpoint_id"]
        secret = registered.json()["secret"]["secret"]
        assert "secret" not in (await created(operator.get(f"/v1/webhooks/{endpoint_id}")))

        plan_id = await new_plan(operator, "Paper Home", "20.00")
        bodies = [account_body(plan_id, 0, address_lines=["9 Upper Street", "London", "N1 0NY"]),
                  account_body(plan_id, 1, address_lines=["1 Mare Street", "London", "E8 4RP"]),
                  account_body(plan_id, 2, address_lines=["5 Low Road", "Leeds", "LS1 1AA"])]
        accounts = [str((await created(operator.post("/v1/accounts", json=body)))["account_id"])
                    for body in bodies]
        islington, hackney, email_only = accounts
        for account_id in (islington, hackney):
            preference = await created(operator.put(f"/v1/accounts/{account_id}/delivery-preferences",
                                                    json={"paper": True}))
            assert preference["paper"] is True
        unset = await created(operator.get(f"/v1/accounts/{email_only}/delivery-preferences"))
        assert unset["paper"] is False
        refused(await stranger.put(f"/v1/accounts/{islington}/delivery-preferences", json={"paper": True}),
                (404,))
        refused(await operator.put(f"/v1/accounts/{islington}/delivery-preferences", json={"paper": "yes"}),
                (422,), "paper")

        run = await created(operator.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))

        async def three_received() -> bool:
            return len(receiver.requests) >= 3

        await eventually(three_received, timeout=60)
        finalized = [signed_event(headers, body, secret) for headers, body in receiver.requests]
        assert {event["type"] for event in finalized} == {"Invoice.Finalized"}
        assert all(event["tenant_id"] == tenant["tenant_id"] for event in finalized)

        async def three_delivered() -> dict[str, Any] | None:
            """The deliveries once all three are recorded delivered (after the receiver answered)."""
            listed: dict[str, Any] = await created(operator.get(f"/v1/webhooks/{endpoint_id}/deliveries"))
            statuses = sorted(d["status"] for d in listed["deliveries"])
            assert set(statuses) <= {"pending", "delivered"}, statuses
            return listed if statuses == ["delivered"] * 3 else None

        listed = await eventually(three_delivered)

        batch = await ready_batch(operator, run["bill_run_id"])
        assert (batch["document_count"], batch["status"]) == (2, "ready")
        pdf = await operator.get(f"/v1/print-batches/{batch['batch_id']}.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert len(PdfReader(io.BytesIO(pdf.content)).pages) == batch["page_count"] >= 2
        manifest = await operator.get(f"/v1/print-batches/{batch['batch_id']}/manifest.csv")
        rows = list(csv.DictReader(io.StringIO(manifest.text)))
        assert [(row["account_id"], row["postcode"]) for row in rows] == [
            (hackney, "E8 4RP"), (islington, "N1 0NY")]
        assert rows[1]["first_page"] == str(int(rows[0]["page_count"]) + 1)
        refused(await stranger.get(f"/v1/print-batches/{batch['batch_id']}"), (404,))

        delivery_id = listed["deliveries"][0]["delivery_id"]
        again = await operator.post(f"/v1/webhook-deliveries/{delivery_id}/redeliver")
        assert again.status_code == 202, again.text

        async def redelivered() -> bool:
            return len(receiver.requests) == 4

        await eventually(redelivered)
        assert receiver.requests[3][0]["billing-webhook-id"] == delivery_id
        log = await created(operator.get(f"/v1/webhook-deliveries/{delivery_id}"))
        assert [attempt["manual"] for attempt in log["attempt_log"]] == [False, True]
        await operator.aclose()


def signed_event(headers: dict[str, str], body: bytes, secret: str) -> dict[str, Any]:
    """The delivered envelope, after checking its signature as a receiver would."""
    verify(body, headers["billing-webhook-signature"], [secret], now=time.time())
    envelope: dict[str, Any] = json.loads(body)
    return envelope


async def ready_batch(api: httpx.AsyncClient, bill_run_id: str) -> dict[str, Any]:
    """The bill run's print batch once built."""

    async def ready() -> dict[str, Any] | None:
        listed = await created(api.get("/v1/print-batches", params={"bill_run_id": bill_run_id}))
        batches = [b for b in listed["batches"] if b["status"] != "building"]
        return batches[0] if batches else None

    found: dict[str, Any] = await eventually(ready, timeout=60)
    return found
