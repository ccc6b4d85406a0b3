"""Invoice explanations end to end: a tariff with an allowance, calls crossing it, data sessions and a
prorated subscription are billed, then every line is explained through the gateway (JSON and the
itemised PDF), for staff and the account's own customer only."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from pypdf import PdfReader

from tests.e2e.conftest import Stack
from tests.e2e.test_invoicing import (
    BILL_DATE,
    PERIOD_START,
    USAGE_DAY,
    amount,
    cents,
    created,
    only_invoice,
    refused,
    wait_rated,
)
from tests.e2e.test_thin_path import new_key

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")
NOON = datetime.combine(USAGE_DAY, time(12), UTC)
START = PERIOD_START + timedelta(days=10)
NUMBER = "+447700900123"
DEFINITION = {
    "bands": [{"name": "peak", "windows": [{"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "00:00",
                                            "end": "24:00"}]}],
    "voice": [{"band": "peak", "rates": [
        {"prefix": "44", "name": "United Kingdom", "per_minute": "0.04"},
        {"prefix": "4420", "name": "United Kingdom London", "per_minute": "0.05", "connect_fee": "0.01"},
        {"prefix": "33", "name": "France", "per_minute": "0.12", "connect_fee": "0.05",
         "first_increment": 1, "next_increment": 1, "minimum_charge": "0.10"},
    ]}],
    "sms": [{"prefix": "33", "name": "France", "per_message": "0.08"}],
    "data": {"unit": "gigabyte", "per_unit": "5", "session_rounding_bytes": 1_000_000},
    "allowances": [{"name": "national", "service_type": "voice", "quantity": "300", "prefixes": ["44"]}],
}


def record(record_id: str, service_type: str, quantity: int, unit: str, minutes: int,
           destination: str = "") -> dict[str, Any]:
    """A record of the subscriber on the usage day, `minutes` after noon."""
    body: dict[str, Any] = {
        "record_id": record_id, "source": "switch", "subscriber": NUMBER, "service_type": service_type,
        "quantity": str(quantity), "unit": unit,
        "started_at": (NOON + timedelta(minutes=minutes)).isoformat()}
    if destination:
        body["attributes"] = {"destination": destination}
    return body


USAGE = [
    record("call-1", "voice", 192, "second", 0, "+442079460000"),
    record("call-2", "voice", 200, "second", 10, "+442079460001"),
    record("call-3", "voice", 5, "second", 20, "+33212345678"),
    record("sms-1", "sms", 1, "message", 25, "+33612345678"),
    record("data-1", "data", 1_234_567, "byte", 30),
    record("data-2", "data", 1_500_000_000, "byte", 40),
]


def day(value: date) -> str:
    """A date as English explanations word it."""
    return format_date(value, "medium", locale="en_GB")


def gbp(value: Decimal) -> str:
    """An amount as English explanations word it: at least two decimals, no trailing zeros beyond."""
    return f"{format_decimal(value.normalize(), '#,##0.00', locale='en_GB', decimal_quantization=False)} GBP"


def when(minutes: int) -> str:
    """The local time of a record `minutes` after noon, as English explanations word it."""
    local = (NOON + timedelta(minutes=minutes)).astimezone(LONDON)
    return f"{day(local.date())} {format_time(local, 'short', locale='en_GB')}"


async def billed_invoice(api: httpx.AsyncClient) -> tuple[dict[str, Any], str, str]:
    """The itemised account's invoice for last month, its account id and another account's id."""
    await created(api.put("/v1/tax-regions/GB/rates", json={
        "name": "VAT", "rate_percent": "20", "mode": "exclusive", "effective_from": "2020-01-01"}))
    rate_plan = await created(api.post("/v1/rate-plans", json={"name": "UK Home", "currency": "GBP"}))
    await created(api.post(f"/v1/rate-plans/{rate_plan['rate_plan_id']}/versions", json={
        "effective_from": (PERIOD_START - timedelta(days=30)).isoformat(), "definition": DEFINITION}))
    plan = await created(api.post("/v1/plans", json={
        "name": "Home", "currency": "GBP", "recurring_fee": "10.00",
        "rate_plan_id": rate_plan["rate_plan_id"]}))
    account = await created(api.post("/v1/accounts", json={
        "name": "Ada", "billing_email": "ada@example.org", "plan_id": plan["plan_id"],
        "timezone": "Europe/London", "start_date": START.isoformat(), "identities": [NUMBER],
        "tax_region": "GB", "itemised_invoices": True}))
    assert account["details"]["itemised_invoices"] is True
    other = await created(api.post("/v1/accounts", json={
        "name": "Bob", "billing_email": "bob@example.org", "plan_id": plan["plan_id"],
        "timezone": "Europe/London", "start_date": START.isoformat()}))
    await created(api.post(f"/v1/accounts/{account['account_id']}/charges", json={
        "charge_id": "router", "description": "Router", "amount": {"amount": "25.00", "currency": "GBP"},
        "charge_date": USAGE_DAY.isoformat()}))
    batch = await created(api.post("/v1/usage/batches", json={"records": USAGE}))
    assert batch["accepted"] == len(USAGE), batch
    await wait_rated(api, account["account_id"], len(USAGE))
    await created(api.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))
    return await only_invoice(api, account["account_id"]), account["account_id"], other["account_id"]


async def test_every_line_of_an_invoice_is_explained_and_itemised(stack: Stack) -> None:
    tenant = stack.create_tenant("Explained Telco")
    async with stack.client(tenant["api_key"]) as api:
        invoice, account_id, other_id = await billed_invoice(api)
        lines = {(line["kind"], line["destination_class"], line["service_type"]): line
                 for line in invoice["lines"]}
        path = f"/v1/invoices/{invoice['invoice_id']}"
        await check_london_calls(api, path, lines[("usage", "United Kingdom London", "voice")])
        await check_other_usage(api, path, lines)
        await check_charges(api, path, lines)
        await check_summary(api, path, invoice)
        await check_itemised_pdf(api, path)
        await check_access(stack, api, path, lines[("usage", "France", "sms")]["index"], account_id, other_id)


async def explained(api: httpx.AsyncClient, path: str, index: int, **params: Any) -> dict[str, Any]:
    """A line's explanation."""
    return await created(api.get(f"{path}/lines/{index}/explanation", params=params))


async def check_london_calls(api: httpx.AsyncClient, path: str, line: dict[str, Any]) -> None:
    """Two calls crossing the allowance, paged one entry at a time, summing to the line."""
    entries, token = [], ""
    while True:
        page = await explained(api, path, line["index"], page_size=1, page_token=token)
        entries += page["entries"]
        token = page["next_page_token"]
        if token is None:
            break
    assert [(e["record_id"], e["part"], e["basis"]) for e in entries] == [
        ("call-1", 0, "included"), ("call-2", 0, "included"), ("call-2", 1, "charged")]
    assert [e["text"] for e in entries] == [
        "call to +44 20 7946 0000 (United Kingdom London), 3 min 12 s: 3 min 12 s included in allowance"
        " 'national'; tariff 'UK Home' v1",
        "call to +44 20 7946 0001 (United Kingdom London), 3 min 20 s: 1 min 48 s included in allowance"
        " 'national'; tariff 'UK Home' v1",
        "call to +44 20 7946 0001 (United Kingdom London), 3 min 20 s: 1 min 32 s beyond the allowance,"
        " billed 60/60 as 2 min at 0.05 GBP/min peak, no connect fee = 0.10 GBP; tariff 'UK Home' v1",
    ]
    charged = entries[2]
    assert (charged["quantity"], charged["billed_quantity"]) == ("92", "120")
    assert charged["record_quantity"] == "200"
    assert (charged["rate"], charged["rate_unit"], charged["increments"], charged["band"]) == (
        "0.05", "minute", "60/60", "peak")
    assert (charged["tariff_name"], charged["tariff_version"], charged["destination"]) == (
        "UK Home", 1, "+44 20 7946 0001")
    assert charged["started_local"] == when(10)
    summed = sum((amount(e) for e in entries), Decimal(0))
    assert page["entry_count"] == 3
    assert Decimal(page["unrounded_total"]) == summed == Decimal("0.1")
    assert cents(summed) == amount(line)
    assert page["text"] == f"Sum of 3 rated parts from {when(0)} to {when(10)}: 0.10 GBP."
    german = await explained(api, path, line["index"], locale="de")
    assert german["entries"][2]["text"] == (
        "Anruf an +44 20 7946 0001 (United Kingdom London), 3 Min. 20 Sek.: 1 Min. 32 Sek. über das"
        " Inklusivvolumen hinaus, abgerechnet im Takt 60/60 als 2 Min. zu 0,05 GBP/Min. (peak), ohne"
        " Verbindungsentgelt = 0,10 GBP; Tarif „UK Home“ Version 1")


async def check_other_usage(api: httpx.AsyncClient, path: str, lines: dict[Any, dict[str, Any]]) -> None:
    """A short call raised to its minimum, an SMS, and data sessions rounded per session."""
    france = await explained(api, path, lines[("usage", "France", "voice")]["index"])
    assert [e["text"] for e in france["entries"]] == [
        "call to +33 2123 4567 8 (France), 5 s, billed 1/1 as 5 s at 0.12 GBP/min peak + 0.05 GBP connect"
        " fee = 0.06 GBP, raised to the minimum charge 0.10 GBP; tariff 'UK Home' v1"]
    assert france["entries"][0]["minimum_applied"] is True
    sms = await explained(api, path, lines[("usage", "France", "sms")]["index"])
    assert [e["text"] for e in sms["entries"]] == [
        "SMS to +33 6123 4567 8 (France), 1 message at 0.08 GBP = 0.08 GBP; tariff 'UK Home' v1"]
    data_line = lines[("usage", "", "data")]
    data = await explained(api, path, data_line["index"])
    assert [(e["record_id"], e["billed_quantity"], e["session_rounding_bytes"], amount(e))
            for e in data["entries"]] == [("data-1", "2000000", 1_000_000, Decimal("0.01")),
                                          ("data-2", "1500000000", 1_000_000, Decimal("7.5"))]
    assert data["entries"][0]["text"] == (
        "data session of 1,234,567 bytes (1.234567 MB), rounded up to the next 1,000,000 bytes (1 MB) as"
        " 2,000,000 bytes (2 MB), billed as 0.002 GB at 5.00 GBP/GB = 0.01 GBP; tariff 'UK Home' v1")
    assert data["entries"][1]["started_local"] == when(40)
    assert cents(Decimal(data["unrounded_total"])) == amount(data_line) == Decimal("7.51")


async def check_charges(api: httpx.AsyncClient, path: str, lines: dict[Any, dict[str, Any]]) -> None:
    """The prorated first cycle, the cycle in advance, the one-time charge and the tax."""
    cycle_days = (BILL_DATE - PERIOD_START).days
    days = (BILL_DATE - START).days
    proration = lines[("proration", "", "")]
    first = await explained(api, path, proration["index"])
    unrounded = (Decimal("10.00") * days / cycle_days).quantize(Decimal("0.000001"))
    assert first["recurring"]["days"] == days and first["recurring"]["cycle_days"] == cycle_days
    assert Decimal(first["recurring"]["unrounded"]) == unrounded
    assert cents(unrounded) == amount(proration)
    last_day = day(BILL_DATE - timedelta(days=1))
    assert first["text"] == (
        f"Home: 10.00 GBP per cycle x {days} of the {cycle_days} days of the cycle {day(PERIOD_START)} to"
        f" {last_day} ({day(START)} to {last_day}) = {gbp(unrounded)}, rounded half up to"
        f" {gbp(amount(proration))}.")
    advance = await explained(api, path, lines[("recurring", "", "")]["index"])
    assert advance["recurring"]["covers_start"] == BILL_DATE.isoformat()
    assert advance["text"].startswith("Home: 10.00 GBP per cycle for the whole cycle")
    router = await explained(api, path, lines[("one_time", "", "")]["index"])
    assert router["text"] == f"One-time charge 'Router' of {day(USAGE_DAY)}: 25.00 GBP."
    assert router["one_time"] == {"charge_id": "router", "charge_date": USAGE_DAY.isoformat()}
    tax_line = lines[("tax", "", "")]
    tax = await explained(api, path, tax_line["index"])
    assert (tax["tax"]["rate_percent"], tax["tax"]["included"]) == ("20", False)
    assert cents(Decimal(tax["tax"]["unrounded"])) == amount(tax_line)
    assert tax["text"].startswith(f"20% of {tax['tax']['base']['amount']} GBP = ")


async def check_summary(api: httpx.AsyncClient, path: str, invoice: dict[str, Any]) -> None:
    """Every line's summary and the allowance that ran out at the second call."""
    summary = await created(api.get(f"{path}/explanation"))
    assert [line["index"] for line in summary["lines"]] == [line["index"] for line in invoice["lines"]]
    assert all(line["entries"] == [] for line in summary["lines"])
    total = gbp(Decimal(invoice["total"]["amount"]))
    assert summary["text"] == f"The {len(invoice['lines'])} lines add up to the total {total}."
    [national] = summary["allowances"]
    assert (national["name"], national["included"], national["used"]) == ("national", "300", "300")
    assert datetime.fromisoformat(national["exhausted_at"]) == NOON + timedelta(minutes=10)
    month = format_date(USAGE_DAY, "MMMM y", locale="en_GB")
    assert national["text"] == (
        f"Allowance 'national' (voice), {month}: 5 min included, 5 min used, ran out on {when(10)}.")


async def check_itemised_pdf(api: httpx.AsyncClient, path: str) -> None:
    """The PDF gains pages listing every entry, the charges and the allowance."""
    pdf = await api.get(f"{path}.pdf")
    assert pdf.status_code == 200, pdf.text
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) >= 2
    text = " ".join(" ".join(page.extract_text().split()) for page in pages[1:])
    assert "Itemisation of invoice" in text
    assert "1 min 32 s beyond the allowance, billed 60/60 as 2 min at 0.05 GBP/min peak" in text
    assert "raised to the minimum charge 0.10 GBP" in text
    assert "One-time charge 'Router'" in text
    assert "Allowance 'national' (voice)" in text


async def check_access(stack: Stack, api: httpx.AsyncClient, path: str, usage_index: int, account_id: str,
                       other_id: str) -> None:
    """Own customers and staff may ask; another account's customer, a missing line or a bad page may not."""
    usage = f"{path}/lines/{usage_index}/explanation"
    refused(await api.get(f"{path}/lines/999/explanation"), (404,))
    refused(await api.get(f"{path}/lines/-1/explanation"), (404,))
    refused(await api.get(usage, params={"page_size": 0}), (422,), "query.page_size")
    refused(await api.get(usage, params={"page_size": 1001}), (422,), "query.page_size")
    refused(await api.get(usage, params={"page_token": "nonsense"}), (422,), "page_token")
    async with stack.client(await new_key(api, "customer", account_id=account_id)) as own:
        assert (await own.get(f"{path}/explanation")).status_code == 200
        assert (await own.get(f"{path}/lines/0/explanation")).status_code == 200
    async with stack.client(await new_key(api, "customer", account_id=other_id)) as stranger:
        refused(await stranger.get(f"{path}/explanation"), (404,))
        refused(await stranger.get(f"{path}/lines/0/explanation"), (404,))
    async with stack.client(await new_key(api, "support")) as support:
        assert (await support.get(f"{path}/explanation")).status_code == 200
    details = f"/v1/accounts/{other_id}/billing-details"
    body = {"name": "Bob", "billing_email": "bob@example.org", "itemised_invoices": True}
    assert (await created(api.put(details, json=body)))["details"]["itemised_invoices"] is True
    refused(await api.put(details, json={**body, "itemised_invoices": "yes"}), (422,), "itemised_invoices")
