"""Demo data: a tenant with UK VAT, a few plans, 50 subscribers, a day of last month's synthetic
usage and the bill run closing last month (taxed invoices in English and German)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from services.gateway.cli import create_tenant

PLANS = [
    {"name": "Fibre 100", "currency": "GBP", "recurring_fee": "29.90", "usage_prices": [
        {"service_type": "voice", "unit": "minute", "unit_price": "0.019"},
        {"service_type": "sms", "unit": "message", "unit_price": "0.09"},
        {"service_type": "data", "unit": "gigabyte", "unit_price": "0.50"}]},
    {"name": "Mobile 10GB", "currency": "GBP", "recurring_fee": "15.00", "usage_prices": [
        {"service_type": "voice", "unit": "minute", "unit_price": "0.05"},
        {"service_type": "sms", "unit": "message", "unit_price": "0.10"},
        {"service_type": "data", "unit": "megabyte", "unit_price": "0.002"}]},
    {"name": "Business Voice", "currency": "GBP", "recurring_fee": "49.00", "usage_prices": [
        {"service_type": "voice", "unit": "second", "unit_price": "0.0002"},
        {"service_type": "sms", "unit": "message", "unit_price": "0.08"},
        {"service_type": "data", "unit": "gigabyte", "unit_price": "1.00"}]},
]
SUBSCRIBERS = 50
RECORDS_PER_SUBSCRIBER = 40
TAX_REGION = "GB"
VAT = {"name": "VAT", "rate_percent": "20", "mode": "exclusive", "effective_from": "2011-01-04"}
GERMAN_EVERY = 5
"""Every fifth subscriber reads invoices in German."""
PAYING_SUBSCRIBERS = 30
ITEMISED_EVERY = 10
"""Every tenth subscriber (01, 11, ...) asked for itemisation pages in their invoice PDF."""
DISPUTING_SUBSCRIBER = 35
"""An unpaid subscriber who disputes a usage line through self-service (held out of dunning)."""
"""The first subscribers pay (by card or in part by bank transfer); the others stay unpaid."""


def synthetic_usage(account_ids: list[str], day: date, seed: int = 7) -> list[dict[str, Any]]:
    """A reproducible day of calls, messages and data sessions."""
    rng = random.Random(seed)
    start_of_day = datetime.combine(day, datetime.min.time(), UTC)
    records = []
    for account_id in account_ids:
        for n in range(RECORDS_PER_SUBSCRIBER):
            kind = rng.choice(["voice", "voice", "sms", "data"])
            quantity, unit = {
                "voice": (rng.randint(5, 900), "second"),
                "sms": (1, "message"),
                "data": (rng.randint(10**5, 5 * 10**8), "byte"),
            }[kind]
            records.append({
                "record_id": f"{account_id[:8]}-{n}", "source": "demo-mediation",
                "account_id": account_id, "service_type": kind, "quantity": quantity,
                "unit": unit,
                "started_at": (start_of_day + timedelta(seconds=rng.randint(0, 86399))).isoformat(),
            })
    return records


def phone_number(n: int) -> str:
    """The demo subscriber's phone number (an identity naming its account in CDRs)."""
    return f"+44207946{n:04d}"


def asterisk_cdrs(day: date, seed: int = 11) -> tuple[str, int]:
    """A day of the PBX's Master.csv for the demo subscribers; returns it and how many were answered."""
    rng = random.Random(seed)
    rows, answered = [], 0
    for n in range(SUBSCRIBERS):
        for call in range(5):
            at = datetime.combine(day, datetime.min.time()) + timedelta(seconds=rng.randint(0, 80000))
            billsec = rng.randint(1, 1200)
            disposition = rng.choice(["ANSWERED"] * 4 + ["NO ANSWER"])
            answered += disposition == "ANSWERED"
            answer = at + timedelta(seconds=6) if disposition == "ANSWERED" else None
            end = (answer or at) + timedelta(seconds=billsec if answer else 20)
            rows.append(
                f'"","{phone_number(n)}","+3314{rng.randrange(10**7):07d}","from-internal",'
                f'"""Subscriber {n:02d}"" <{phone_number(n)}>","SIP/{n:04d}-{call:08x}",'
                f'"SIP/trunk-{call:08x}","Dial","SIP/trunk","{at:%Y-%m-%d %H:%M:%S}",'
                f'"{f"{answer:%Y-%m-%d %H:%M:%S}" if answer else ""}","{end:%Y-%m-%d %H:%M:%S}",'
                f'{billsec + 6},{billsec if answer else 0},"{disposition}","DOCUMENTATION",'
                f'"{day:%Y%m%d}.{n * 10 + call}",""\n')
    return "".join(rows), answered


def account_body(n: int, plan_id: str, start: date) -> dict[str, Any]:
    """A demo subscriber in London on cycle day 1 since `start`, some reading German."""
    return {
        "name": f"Subscriber {n:02d}", "billing_email": f"subscriber{n:02d}@example.net",
        "plan_id": plan_id, "timezone": "Europe/London", "identities": [phone_number(n)],
        "address_lines": [f"{n + 1} Demo Street", "London", f"EC1A {n % 9 + 1}BB"],
        "locale": "de" if n % GERMAN_EVERY == 0 else "en", "tax_region": TAX_REGION,
        "start_date": start.isoformat(), "itemised_invoices": n % ITEMISED_EVERY == 1,
    }


async def load_demo(gateway_url: str, database_url: str) -> dict[str, Any]:
    """Create the demo tenant through the gateway, give it a day of last month's usage and bill
    last month (bill date: the first of this month)."""
    tenant = await create_tenant("Demo Telco", database_url)
    headers = {"Authorization": f"Bearer {tenant['api_key']}"}
    bill_date = datetime.now(UTC).date().replace(day=1)
    period_start = (bill_date - timedelta(days=1)).replace(day=1)
    usage_day = period_start + timedelta(days=14)
    async with httpx.AsyncClient(base_url=gateway_url, headers=headers, timeout=300) as api:
        await checked(api.put(f"/v1/tax-regions/{TAX_REGION}/rates", json=VAT))
        plan_ids = [(await checked(api.post("/v1/plans", json=plan)))["plan_id"] for plan in PLANS]
        account_ids = [
            (await checked(api.post("/v1/accounts", json=account_body(
                n, plan_ids[n % len(plan_ids)], period_start))))["account_id"]
            for n in range(SUBSCRIBERS)
        ]
        records = synthetic_usage(account_ids, usage_day)
        await checked(api.post("/v1/usage/batches", json={"records": records}))
        cdrs, answered = asterisk_cdrs(usage_day)
        await checked(api.post("/v1/usage/imports", content=cdrs.encode(), params={
            "format": "asterisk", "source": "demo-pbx", "file_name": f"Master-{usage_day}.csv"}))
        await wait_until_rated(api, account_ids, usage_day, len(records) + answered)
        bill_run = await checked(api.post("/v1/bill-runs", json={"bill_date": bill_date.isoformat()}))
        invoices = await checked(api.get(f"/v1/accounts/{account_ids[0]}/invoices"))
        payments = await take_demo_payments(api, account_ids)
        support = await open_demo_queries(api, account_ids)
    return {**tenant, "account_ids": account_ids, "bill_run": bill_run, "payments": payments, **support,
            "invoice_ids": [invoice["invoice_id"] for invoice in invoices["invoices"]],
            "usage_day": datetime.now(UTC).date().isoformat()}


async def take_demo_payments(api: httpx.AsyncClient, account_ids: list[str]) -> dict[str, int]:
    """Cards on file for the first subscribers, paid by card; bank transfers settling part of a few
    more; one 3-D Secure payment left waiting for the customer. The rest stay unpaid for dunning."""
    taken = {"card": 0, "bank_transfer": 0, "pending": 0}
    for n, account_id in enumerate(account_ids[:PAYING_SUBSCRIBERS]):
        [invoice] = (await checked(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
        due = Decimal(invoice["amount_due"]["amount"])
        body: dict[str, Any] = {"invoice_id": invoice["invoice_id"],
                                "amount": {"amount": str(due), "currency": invoice["total"]["currency"]}}
        if n % 3 == 0:
            wallet = await checked(api.post(f"/v1/accounts/{account_id}/payment-methods",
                                            json={"token": "tok_visa"}))
            body.update(method="card", payment_method_id=wallet["methods"][0]["payment_method_id"])
        elif n % 3 == 1:
            body.update(method="bank_transfer", reference=f"BACS {n:04d}",
                        amount={**body["amount"], "amount": str((due / 2).quantize(Decimal("0.01")))})
        else:
            body.update(method="card", token="tok_3ds" if n == 2 else "tok_mastercard")
        payment = await checked(api.post("/v1/payments", json=body,
                                         headers={"Idempotency-Key": f"demo-{invoice['invoice_id']}"}))
        taken["pending" if payment["status"] == "pending" else body["method"]] += 1
    return taken


async def open_demo_queries(api: httpx.AsyncClient, account_ids: list[str]) -> dict[str, Any]:
    """A customer disputes part of a usage line with their own key and an agent asks them back;
    an agent answers another customer's question about their plan fee (explained)."""
    account_id = account_ids[DISPUTING_SUBSCRIBER]
    [invoice] = (await checked(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
    line = next(line for line in invoice["lines"]
                if line["kind"] == "usage" and line["service_type"] == "voice")
    customer = await checked(api.post("/v1/api-keys", json={
        "role": "customer", "label": "demo self-service", "account_id": account_id}))
    disputed = (Decimal(line["amount"]["amount"]) / 2).quantize(Decimal("0.01"))
    dispute = await checked(api.post("/v1/queries", headers={
        "Authorization": f"Bearer {customer['api_key']}"}, json={
        "invoice_id": invoice["invoice_id"], "line_index": line["index"], "category": "usage_not_made",
        "subject": "Calls I did not make", "body": "Half of these calls were not made from my phone.",
        "disputed_amount": {"amount": str(disputed), "currency": line["amount"]["currency"]},
        "request_id": "demo-dispute"}))
    await checked(api.post(f"/v1/queries/{dispute['query_id']}/ask-customer", json={
        "body": "Could you tell us which numbers you do not recognise?"}))
    question = await checked(api.post("/v1/queries", json={
        "account_id": account_ids[0], "category": "other", "subject": "Why is my first bill higher?",
        "body": "Customer phoned: first bill higher than the plan fee.", "request_id": "demo-question"}))
    await checked(api.post(f"/v1/queries/{question['query_id']}/resolve", json={
        "outcome": "explained",
        "note": "The first bill includes usage and VAT on top of the monthly fee; see its explanation."}))
    return {"customer_key": customer["api_key"], "customer_account_id": account_id,
            "query_ids": [dispute["query_id"], question["query_id"]]}


async def checked(call: Any) -> dict[str, Any]:
    """The JSON body of a successful call; anything else stops the demo with the problem."""
    response: httpx.Response = await call
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body


async def wait_until_rated(
    api: httpx.AsyncClient, account_ids: list[str], day: date, expected: int
) -> None:
    """Poll rated usage until every demo record has been rated."""
    params = {"start": f"{day}T00:00:00+00:00", "end": f"{day + timedelta(days=1)}T00:00:00+00:00"}
    for _ in range(300):
        rated = 0
        for account_id in account_ids:
            body = await checked(api.get(f"/v1/accounts/{account_id}/rated-usage", params=params))
            rated += sum(int(s["record_count"]) for s in body["summaries"])
        if rated >= expected:
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("demo usage was not rated in time")
