"""Steps 1-9 of the thin path, through the public gateway only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).date()
TODAY = datetime.now(UTC).date()
NOON_YESTERDAY = datetime.combine(YESTERDAY, datetime.min.time(), UTC) + timedelta(hours=12)


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30.0) -> Any:
    """Poll until check returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.2)


def record(account_id: str, record_id: str, service_type: str, quantity: Any, unit: str,
           **extra: Any) -> dict[str, Any]:
    """A usage record from the 'e2e' source, started yesterday at noon."""
    return {"record_id": record_id, "source": "e2e", "account_id": account_id,
            "service_type": service_type, "quantity": quantity, "unit": unit,
            "started_at": NOON_YESTERDAY.isoformat(), **extra}


async def new_key(admin: httpx.AsyncClient, role: str, **extra: str) -> str:
    """Issue an API key of a role for the admin's tenant."""
    response = await admin.post("/v1/api-keys", json={"role": role, "label": role, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["api_key"])


async def test_usage_to_paid_invoice_with_email_and_audit(stack: Stack) -> None:
    tenant = stack.create_tenant("Fibre North")
    other = stack.create_tenant("Other Telco")
    async with stack.client(tenant["api_key"]) as admin, stack.client(other["api_key"]) as stranger:
        operator = stack.client(await new_key(admin, "operator"))
        auditor = stack.client(await new_key(admin, "auditor"))

        # 2. a plan and an account on it
        plan = await operator.post("/v1/plans", json={
            "name": "Home 100", "currency": "EUR", "recurring_fee": "10.00",
            "usage_prices": [
                {"service_type": "voice", "unit": "minute", "unit_price": "0.02"},
                {"service_type": "sms", "unit": "message", "unit_price": "0.05"},
                {"service_type": "data", "unit": "megabyte", "unit_price": "0.01"},
            ]})
        assert plan.status_code == 201, plan.text
        account = await operator.post("/v1/accounts", json={
            "name": "Ada Lovelace", "billing_email": "ada@example.org",
            "plan_id": plan.json()["plan_id"], "timezone": "Europe/Berlin"})
        assert account.status_code == 201, account.text
        account_id = account.json()["account_id"]
        assert account.json()["currency"] == "EUR"

        # 3. usage with per-record outcomes
        batch = await operator.post("/v1/usage/batches", json={"records": [
            record(account_id, "v1", "voice", 125, "second"),
            record(account_id, "s1", "sms", "3", "message"),
            record(account_id, "d1", "data", "5000000", "byte"),
            record(account_id, "v1", "voice", 125, "second"),
            record(account_id, "bad-q", "voice", "-5", "second"),
            record(account_id, "nan-q", "voice", "lots", "second"),
            record("00000000-0000-4000-8000-000000000000", "who", "sms", 1, "message"),
            record(account_id, "extra", "sms", 1, "message", colour="blue"),
        ]})
        assert batch.status_code == 200, batch.text
        body = batch.json()
        assert (body["accepted"], body["duplicate"], body["rejected"]) == (3, 1, 4)
        rejected = {o["record_id"]: (o["field"], o["reason"]) for o in body["outcomes"]
                    if o["outcome"] == "rejected"}
        assert rejected == {
            "bad-q": ("quantity", "negative"), "nan-q": ("quantity", "not_a_number"),
            "who": ("account_id", "unknown_account"), "extra": ("colour", "unknown_field"),
        }
        again = await operator.post("/v1/usage/batches", json={"records": [
            record(account_id, "s1", "sms", "3", "message")]})
        assert again.json()["duplicate"] == 1

        # 4. rated by the rating service
        window = {"start": f"{YESTERDAY}T00:00:00+00:00", "end": f"{TODAY}T00:00:00+00:00"}

        async def rated() -> list[dict[str, Any]] | None:
            response = await operator.get(f"/v1/accounts/{account_id}/rated-usage", params=window)
            summaries: list[dict[str, Any]] = response.json()["summaries"]
            return summaries if len(summaries) == 3 else None

        summaries = {s["service_type"]: s for s in await eventually(rated)}
        assert summaries["voice"]["amount"]["amount"].startswith("0.04166")
        assert summaries["data"]["amount"] == {"amount": "0.050000", "currency": "EUR"}

        # 5. bill run: one finalized, numbered invoice; running it again changes nothing
        period = {"period_start": YESTERDAY.isoformat(), "period_end": TODAY.isoformat()}
        run = await operator.post("/v1/bill-runs", json=period)
        assert run.status_code == 201, run.text
        assert run.json()["invoices_created"] == 1
        rerun = await operator.post("/v1/bill-runs", json=period)
        assert (rerun.json()["invoices_created"], rerun.json()["invoices_already_present"]) == (0, 1)
        invoice_id = run.json()["invoice_ids"][0]
        invoice = (await operator.get(f"/v1/invoices/{invoice_id}")).json()
        assert invoice["number"] == "INV-00000001"
        assert invoice["status"] == "finalized"
        amounts = {line["kind"] + ":" + line["service_type"]: line["amount"]["amount"]
                   for line in invoice["lines"]}
        assert amounts == {"recurring:": "10.00", "usage:voice": "0.04", "usage:sms": "0.15",
                           "usage:data": "0.05"}
        assert invoice["total"] == {"amount": "10.24", "currency": "EUR"}
        listed = await operator.get(f"/v1/accounts/{account_id}/invoices")
        assert [i["invoice_id"] for i in listed.json()["invoices"]] == [invoice_id]

        # 1. tenancy: another tenant's invoice does not exist for them
        assert (await stranger.get(f"/v1/invoices/{invoice_id}")).status_code == 404
        assert (await stranger.get(f"/v1/accounts/{account_id}")).status_code == 404

        # 7. payment, idempotent on retry; the invoice becomes paid
        payment_body = {"invoice_id": invoice_id, "amount": {"amount": "10.24", "currency": "EUR"}}
        headers = {"Idempotency-Key": "pay-1"}
        paid = await operator.post("/v1/payments", json=payment_body, headers=headers)
        assert paid.status_code == 201, paid.text
        retried = await operator.post("/v1/payments", json=payment_body, headers=headers)
        assert retried.json()["payment_id"] == paid.json()["payment_id"]

        async def invoice_paid() -> bool:
            found = (await operator.get(f"/v1/invoices/{invoice_id}")).json()
            return bool(found["status"] == "paid")

        await eventually(invoice_paid)

        # 8. the customer got exactly one email with the invoice
        async def delivered() -> list[dict[str, Any]] | None:
            response = await operator.get(f"/v1/invoices/{invoice_id}/deliveries")
            deliveries: list[dict[str, Any]] = response.json()["deliveries"]
            return deliveries if deliveries and deliveries[0]["status"] == "sent" else None

        deliveries = await eventually(delivered)
        assert [d["recipient"] for d in deliveries] == ["ada@example.org"]
        mails = [m.read_text(errors="replace") for m in stack.mail.folder.glob("*.eml")]
        assert len([m for m in mails if "INV-00000001" in m]) == 1

        # 9. the auditor reads the invoice's history; an operator may not
        history = await auditor.get(f"/v1/audit/invoice/{invoice_id}/events")
        assert history.status_code == 200, history.text
        assert [e["type"] for e in history.json()["events"]] == [
            "Invoice.Drafted", "Invoice.Finalized", "Invoice.PaymentApplied", "Invoice.Paid"]
        assert (await operator.get(f"/v1/audit/invoice/{invoice_id}/events")).status_code == 403
        await operator.aclose()
        await auditor.aclose()


async def test_one_trace_spans_gateway_usage_and_rating(stack: Stack) -> None:
    spans = [json.loads(line) for line in stack.spans_file.read_text().splitlines() if line]
    services_by_trace: dict[str, set[str]] = {}
    for span in spans:
        trace_id = span["context"]["trace_id"]
        service = span["resource"]["attributes"]["service.name"]
        services_by_trace.setdefault(trace_id, set()).add(service)
    assert any({"gateway", "usage", "invoice"} <= s for s in services_by_trace.values())
    assert any({"gateway", "usage", "rating"} <= s for s in services_by_trace.values())


async def test_bad_input_answers_problem_json_naming_the_field(stack: Stack) -> None:
    tenant = stack.create_tenant("Bad Input Telco")
    async with stack.client(tenant["api_key"]) as admin, stack.client() as anonymous:
        assert (await anonymous.get("/v1/plans/x")).status_code == 401
        malformed = await admin.post("/v1/plans", content=b"{not json",
                                     headers={"Content-Type": "application/json"})
        assert malformed.status_code == 422
        assert malformed.headers["content-type"] == "application/problem+json"
        unknown = await admin.post("/v1/plans", json={
            "name": "P", "currency": "EUR", "recurring_fee": "1", "colour": "red"})
        assert {"field": "colour", "reason": "Extra inputs are not permitted"} in (
            unknown.json()["errors"])
        missing = await admin.post("/v1/plans", json={"name": "P", "currency": "EUR"})
        assert [e["field"] for e in missing.json()["errors"]] == ["recurring_fee"]
        bad_unit = await admin.post("/v1/plans", json={
            "name": "P", "currency": "EUR", "recurring_fee": "1",
            "usage_prices": [{"service_type": "sms", "unit": "byte", "unit_price": "1"}]})
        assert bad_unit.status_code == 422
        assert bad_unit.json()["errors"][0]["field"] == "usage_prices[0].unit"
        plan = (await admin.post("/v1/plans", json={
            "name": "P", "currency": "EUR", "recurring_fee": "1"})).json()
        wrong_currency = await admin.post("/v1/accounts", json={
            "name": "A", "billing_email": "a@example.org", "plan_id": plan["plan_id"],
            "currency": "USD"})
        assert wrong_currency.status_code == 422
        assert wrong_currency.json()["errors"][0]["field"] == "currency"
        unknown_account = await admin.get(f"/v1/accounts/{plan['plan_id']}")
        assert unknown_account.status_code == 404
        future = await admin.post("/v1/bill-runs", json={
            "period_start": TODAY.isoformat(),
            "period_end": (TODAY + timedelta(days=30)).isoformat()})
        assert future.status_code == 422
        assert future.json()["errors"][0]["field"] == "period_end"
        empty = await admin.post("/v1/usage/batches", json={"records": []})
        assert empty.status_code == 422
