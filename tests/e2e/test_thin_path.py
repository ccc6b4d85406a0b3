"""Steps 1-9 of the thin path, through the public gateway only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e

TODAY = datetime.now(UTC).date()
BILL_DATE = TODAY.replace(day=1)
"""Accounts bill on cycle day 1: this bill date closes last month's period."""
PERIOD_START = (BILL_DATE - timedelta(days=1)).replace(day=1)
USAGE_DAY = PERIOD_START + timedelta(days=14)
NOON = datetime.combine(USAGE_DAY, time(12), UTC)


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
    """A usage record from the 'e2e' source, started at noon mid last month."""
    return {"record_id": record_id, "source": "e2e", "account_id": account_id,
            "service_type": service_type, "quantity": quantity, "unit": unit,
            "started_at": NOON.isoformat(), **extra}


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

        # 2. a plan and an account on it since the start of last month
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
            "plan_id": plan.json()["plan_id"], "timezone": "Europe/Berlin",
            "start_date": PERIOD_START.isoformat()})
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
        window = {"start": f"{USAGE_DAY}T00:00:00+00:00",
                  "end": f"{USAGE_DAY + timedelta(days=1)}T00:00:00+00:00"}

        async def rated() -> list[dict[str, Any]] | None:
            response = await operator.get(f"/v1/accounts/{account_id}/rated-usage", params=window)
            summaries: list[dict[str, Any]] = response.json()["summaries"]
            return summaries if len(summaries) == 3 else None

        summaries = {s["service_type"]: s for s in await eventually(rated)}
        assert summaries["voice"]["amount"]["amount"].startswith("0.04166")
        assert summaries["data"]["amount"] == {"amount": "0.050000", "currency": "EUR"}

        # 5. bill run: one finalized, numbered invoice with last month's usage and the fee of
        # last month and (in advance) this month; running it again changes nothing
        run = await operator.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()})
        assert run.status_code == 201, run.text
        assert (run.json()["status"], run.json()["invoices_created"]) == ("completed", 1)
        rerun = await operator.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()})
        assert rerun.status_code == 201, rerun.text
        assert rerun.json()["bill_run_id"] == run.json()["bill_run_id"]
        listed = (await operator.get(f"/v1/accounts/{account_id}/invoices")).json()["invoices"]
        assert len(listed) == 1
        invoice_id = listed[0]["invoice_id"]
        invoice = (await operator.get(f"/v1/invoices/{invoice_id}")).json()
        assert invoice["number"] == "INV-00000001"
        assert invoice["status"] == "issued"
        assert (invoice["period_start"], invoice["period_end"]) == (
            PERIOD_START.isoformat(), BILL_DATE.isoformat())
        amounts = sorted((line["kind"], line["service_type"], line["amount"]["amount"])
                         for line in invoice["lines"])
        assert amounts == [("recurring", "", "10.00"), ("recurring", "", "10.00"),
                           ("usage", "data", "0.05"), ("usage", "sms", "0.15"),
                           ("usage", "voice", "0.04")]
        assert invoice["total"] == {"amount": "20.24", "currency": "EUR"}
        assert sum(Decimal(line["amount"]["amount"]) for line in invoice["lines"]) == Decimal("20.24")

        # 1. tenancy: another tenant's invoice does not exist for them
        assert (await stranger.get(f"/v1/invoices/{invoice_id}")).status_code == 404
        assert (await stranger.get(f"/v1/accounts/{account_id}")).status_code == 404

        # 7. payment, idempotent on retry; the invoice becomes paid
        payment_body = {"invoice_id": invoice_id, "amount": {"amount": "20.24", "currency": "EUR"}}
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
        assert len([m for m in mails if "Subject: Invoice INV-00000001" in m]) == 1

        async def receipt() -> list[str]:
            mails = [m.read_text(errors="replace") for m in stack.mail.folder.glob("*.eml")]
            return [m for m in mails if "Subject: Payment received" in m and "ada@example.org" in m]

        assert len(await eventually(receipt)) == 1

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
            "bill_date": (TODAY + timedelta(days=32)).replace(day=1).isoformat()})
        assert future.status_code == 422
        assert future.json()["errors"][0]["field"] == "bill_date"
        empty = await admin.post("/v1/usage/batches", json={"records": []})
        assert empty.status_code == 422
