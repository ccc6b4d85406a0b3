"""Invoicing end to end through the gateway: bad inputs, taxes, proration, idempotent bill runs,
documents, explanations, credit notes, verification and voiding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

TODAY = datetime.now(UTC).date()
BILL_DATE = TODAY.replace(day=1)
"""Accounts bill on cycle day 1 by default: this bill date closes last month."""
PERIOD_START = (BILL_DATE - timedelta(days=1)).replace(day=1)
EARLIER_START = (PERIOD_START - timedelta(days=1)).replace(day=1)
NEXT_BILL_DATE = (TODAY + timedelta(days=32)).replace(day=1)
USAGE_DAY = PERIOD_START + timedelta(days=14)
NOON = datetime.combine(USAGE_DAY, time(12), UTC)
CENT = Decimal("0.01")
VAT = {"name": "VAT", "rate_percent": "20", "mode": "exclusive", "effective_from": "2020-01-01"}
PRICES = [{"service_type": "voice", "unit": "minute", "unit_price": "0.0179"},
          {"service_type": "sms", "unit": "message", "unit_price": "0.07"},
          {"service_type": "data", "unit": "megabyte", "unit_price": "0.0123"}]


def cents(value: Decimal) -> Decimal:
    """Rounded once to the minor unit, half up (docs/money.md)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount(line_or_money: dict[str, Any]) -> Decimal:
    """The decimal amount of a line or a money object."""
    money = line_or_money.get("amount", line_or_money)
    return Decimal(money["amount"] if isinstance(money, dict) else money)


def refused(response: httpx.Response, statuses: tuple[int, ...], field: str | None = None) -> None:
    """The gateway answered problem+json with one of the statuses, naming the field when given."""
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if field is not None:
        assert field in [e["field"] for e in response.json().get("errors", [])], response.text


async def created(call: Any) -> dict[str, Any]:
    """The body of a call answered 200 or 201."""
    response: httpx.Response = await call
    assert response.status_code in (200, 201), f"{response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


async def new_plan(api: httpx.AsyncClient, name: str, fee: str, currency: str = "GBP",
                   prices: list[dict[str, str]] | None = None) -> str:
    """A plan's id."""
    body = {"name": name, "currency": currency, "recurring_fee": fee, "usage_prices": prices or []}
    return str((await created(api.post("/v1/plans", json=body)))["plan_id"])


def account_body(plan_id: str, n: int = 0, **extra: Any) -> dict[str, Any]:
    """A London customer on the plan since the start of last month."""
    return {"name": f"Customer {n}", "billing_email": f"customer{n}@example.org", "plan_id": plan_id,
            "timezone": "Europe/London", "start_date": PERIOD_START.isoformat(),
            "address_lines": [f"{n + 1} Example Road", "London", "N1 9GU"], **extra}


def usage_records(account_id: str, noon: datetime = NOON) -> list[dict[str, Any]]:
    """Two calls, three messages and a data session mid last month (or on another day at noon)."""
    def record(key: str, service_type: str, quantity: str, unit: str, minutes: int) -> dict[str, Any]:
        """One record, `minutes` after noon."""
        return {"record_id": f"{account_id[:8]}-{key}", "source": "e2e-switch",
                "account_id": account_id, "service_type": service_type, "quantity": quantity,
                "unit": unit, "started_at": (noon + timedelta(minutes=minutes)).isoformat()}

    return [record("v1", "voice", "125", "second", 0), record("v2", "voice", "61", "second", 5),
            record("s1", "sms", "3", "message", 10), record("d1", "data", "5000000", "byte", 15)]


async def wait_rated(api: httpx.AsyncClient, account_id: str, records: int, day: date = USAGE_DAY) -> None:
    """Poll until rating has priced that many records of the account on the usage day."""
    window = {"start": f"{day}T00:00:00Z", "end": f"{day + timedelta(days=1)}T00:00:00Z"}

    async def rated() -> bool:
        response = await api.get(f"/v1/accounts/{account_id}/rated-usage", params=window)
        return sum(int(s["record_count"]) for s in response.json()["summaries"]) >= records

    await eventually(rated)


async def only_invoice(
    api: httpx.AsyncClient, account_id: str, bill_date: date = BILL_DATE
) -> dict[str, Any]:
    """The account's one invoice whose period ends on the bill date."""
    listed = (await created(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
    found = [i for i in listed if i["period_end"] == bill_date.isoformat()]
    assert len(found) == 1, listed
    return await created(api.get(f"/v1/invoices/{found[0]['invoice_id']}"))


def lines_sum(invoice: dict[str, Any]) -> Decimal:
    """The invoice's lines added up (a tax the prices include is shown, not added)."""
    return sum((amount(line) for line in invoice["lines"]
                if not (line["kind"] == "tax" and line["tax_included"])), Decimal(0))


@dataclass
class Billed:
    """Taxed accounts of a tenant billed for last month."""

    account_ids: list[str]
    bill_run: dict[str, Any]
    invoices: list[dict[str, Any]]


async def bill_last_month(api: httpx.AsyncClient, accounts: int = 1, locale: str = "en") -> Billed:
    """UK VAT and accounts with last month's usage, billed on the first of this month."""
    await created(api.put("/v1/tax-regions/GB/rates", json=VAT))
    plan_id = await new_plan(api, "Home Fibre", "12.34", prices=PRICES)
    bodies = [account_body(plan_id, n, tax_region="GB", locale=locale) for n in range(accounts)]
    account_ids = [str((await created(api.post("/v1/accounts", json=body)))["account_id"])
                   for body in bodies]
    for account_id in account_ids:
        batch = await created(api.post("/v1/usage/batches", json={"records": usage_records(account_id)}))
        assert batch["accepted"] == 4, batch
    for account_id in account_ids:
        await wait_rated(api, account_id, 4)
    run = await created(api.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))
    invoices = [await only_invoice(api, account_id) for account_id in account_ids]
    return Billed(account_ids, run, invoices)


def billing_cli(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the gateway's billing CLI against the stack's invoice service."""
    return subprocess.run(
        [sys.executable, "-m", "services.gateway.billing_cli", *args],
        env={**os.environ, "INVOICE_GRPC": stack.running.grpc_addresses["invoice"]},
        capture_output=True, text=True, timeout=300, check=False,
    )


async def test_bad_inputs_are_refused_and_nothing_is_written(stack: Stack) -> None:
    tenant = stack.create_tenant("Refusing Telco")
    async with stack.client(tenant["api_key"]) as api:
        home = await new_plan(api, "Home", "10.00")
        euro = await new_plan(api, "Euro Home", "10.00", currency="EUR")
        for day in (0, 32, 15):
            refused(await api.post("/v1/accounts", json=account_body(home, bill_cycle_day=day)),
                    (422,), "bill_cycle_day")
        refused(await api.post("/v1/accounts", json=account_body(home, locale="xx-Nowhere")),
                (422,), "locale")
        refused(await api.post("/v1/accounts", json=account_body(home, tax_region="ZZ")), (422,))
        account_id = (await created(api.post("/v1/accounts", json=account_body(home))))["account_id"]
        subscriptions = f"/v1/accounts/{account_id}/subscriptions"
        before = await created(api.get(subscriptions))
        assert len(before["subscriptions"]) == 1
        subscription_id = before["subscriptions"][0]["subscription_id"]

        refused(await api.post(subscriptions, json={"plan_id": home}), (409, 422))
        refused(await api.post(subscriptions, json={"plan_id": euro}), (422,), "plan_id")
        refused(await api.post(f"/v1/subscriptions/{subscription_id}/plan-changes",
                               json={"plan_id": euro}), (422,), "plan_id")
        refused(await api.post(f"/v1/accounts/{account_id}/charges", json={
            "description": "Router", "amount": {"amount": 12.5, "currency": "GBP"}}), (422,), "amount.amount")
        assert await created(api.get(subscriptions)) == before

        refused(await api.put("/v1/tax-regions/GB/rates", json={**VAT, "mode": "sometimes"}),
                (422,), "mode")
        assert (await created(api.get("/v1/tax-regions")))["regions"] == []
        refused(await api.post("/v1/bill-runs", json={"bill_date": NEXT_BILL_DATE.isoformat()}),
                (422,), "bill_date")
        assert (await created(api.get("/v1/bill-runs")))["bill_runs"] == []

        closing = await created(api.post("/v1/accounts", json=account_body(home, 1)))
        closed_id = closing["account_id"]
        closed = await created(api.post(f"/v1/accounts/{closed_id}/close", json={"reason": "moved"}))
        assert closed["status"] == "closed"
        closed_subscriptions = await created(api.get(f"/v1/accounts/{closed_id}/subscriptions"))
        refused(await api.post(f"/v1/accounts/{closed_id}/subscriptions", json={"plan_id": euro}),
                (409, 422))
        refused(await api.post(f"/v1/accounts/{closed_id}/charges", json={
            "description": "Late fee", "amount": {"amount": "5.00", "currency": "GBP"}}), (409, 422))
        refused(await api.put(f"/v1/accounts/{closed_id}/billing-details", json={
            "name": "Renamed", "billing_email": "renamed@example.org"}), (409, 422))
        assert await created(api.get(f"/v1/accounts/{closed_id}")) == closed
        assert await created(api.get(f"/v1/accounts/{closed_id}/subscriptions")) == closed_subscriptions


async def test_taxed_invoice_adds_up_and_a_second_run_bills_nothing_again(stack: Stack) -> None:
    tenant = stack.create_tenant("Taxed Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await bill_last_month(api)
        await check_taxed_and_billed_once(stack, api, tenant["tenant_id"], billed)


async def check_taxed_and_billed_once(
    stack: Stack, api: httpx.AsyncClient, tenant_id: str, billed: Billed
) -> None:
    """The invoice adds up with its tax; billing the same date again (API or CLI) adds nothing."""
    invoice = billed.invoices[0]
    assert (billed.bill_run["status"], billed.bill_run["accounts_due"]) == ("completed", 1)
    assert billed.bill_run["invoices_created"] == 1
    assert (invoice["period_start"], invoice["period_end"]) == (PERIOD_START.isoformat(),
                                                                BILL_DATE.isoformat())
    assert lines_sum(invoice) == amount(invoice["total"])
    taxes = [line for line in invoice["lines"] if line["kind"] == "tax"]
    assert [(t["tax_rate_percent"], t["tax_included"]) for t in taxes] == [("20", False)]
    subtotal = sum((amount(line) for line in invoice["lines"] if line["kind"] != "tax"), Decimal(0))
    assert amount(invoice["subtotal"]) == subtotal
    assert amount(invoice["tax_total"]) == amount(taxes[0]) == cents(subtotal * Decimal("0.2"))
    assert amount(invoice["total"]) == subtotal + amount(taxes[0])
    assert amount(invoice["amount_due"]) == amount(invoice["total"])
    assert invoice["lines"][-1]["kind"] == "tax"
    assert [line["index"] for line in invoice["lines"]] == list(range(len(invoice["lines"])))

    again = await created(api.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))
    assert again["bill_run_id"] == billed.bill_run["bill_run_id"]
    cli = billing_cli(stack, "bill-run", "--tenant", tenant_id, "--date", BILL_DATE.isoformat())
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["bill_run_id"] == billed.bill_run["bill_run_id"]
    still = await only_invoice(api, billed.account_ids[0])
    assert (still["invoice_id"], still["lines"]) == (invoice["invoice_id"], invoice["lines"])
    runs = (await created(api.get("/v1/bill-runs")))["bill_runs"]
    assert [(r["bill_date"], r["status"]) for r in runs] == [(BILL_DATE.isoformat(), "completed")]
    run = await created(api.get(f"/v1/bill-runs/{billed.bill_run['bill_run_id']}"))
    assert run["bill_date"] == BILL_DATE.isoformat()


async def test_plan_change_mid_cycle_is_prorated_on_the_next_invoice(stack: Stack) -> None:
    tenant = stack.create_tenant("Upgrading Telco")
    async with stack.client(tenant["api_key"]) as api:
        basic = await new_plan(api, "Basic", "30.00")
        plus = await new_plan(api, "Plus", "60.00")
        account_id = (await created(api.post("/v1/accounts", json=account_body(
            basic, start_date=EARLIER_START.isoformat()))))["account_id"]
        await created(api.post("/v1/bill-runs", json={"bill_date": PERIOD_START.isoformat()}))
        first = await only_invoice(api, account_id, PERIOD_START)
        assert sorted(amount(line) for line in first["lines"]) == [Decimal("30.00")] * 2

        listed = await created(api.get(f"/v1/accounts/{account_id}/subscriptions"))
        subscription_id = listed["subscriptions"][0]["subscription_id"]
        change = PERIOD_START + timedelta(days=10)
        changed = await created(api.post(f"/v1/subscriptions/{subscription_id}/plan-changes", json={
            "plan_id": plus, "effective_date": change.isoformat()}))
        assert [(s["plan_id"], s["start"], s["end"]) for s in changed["segments"]] == [
            (basic, EARLIER_START.isoformat(), change.isoformat()), (plus, change.isoformat(), "")]

        await created(api.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))
        second = await only_invoice(api, account_id)
        cycle_days = Decimal((BILL_DATE - PERIOD_START).days)
        kept = cents(Decimal("30.00") * (change - PERIOD_START).days / cycle_days)
        credit = kept - Decimal("30.00")
        charge = cents(Decimal("60.00") * (BILL_DATE - change).days / cycle_days)
        prorations = sorted((amount(line), line["covers_start"], line["covers_end"])
                            for line in second["lines"] if line["kind"] == "proration")
        assert [a for a, _, _ in prorations] == [credit, charge]
        assert prorations[1][1:] == (change.isoformat(), BILL_DATE.isoformat())
        recurring = [(amount(line), line["covers_start"]) for line in second["lines"]
                     if line["kind"] == "recurring"]
        assert recurring == [(Decimal("60.00"), BILL_DATE.isoformat())]
        assert lines_sum(second) == amount(second["total"]) == credit + charge + Decimal("60.00")


async def test_invoice_documents_in_pdf_and_html(stack: Stack) -> None:
    tenant = stack.create_tenant("Document Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await bill_last_month(api, accounts=2, locale="de")
        await check_documents(stack, api, billed)


async def check_documents(stack: Stack, api: httpx.AsyncClient, billed: Billed) -> None:
    """A PDF and an HTML invoice, for staff and the account's own customer only."""
    invoice = billed.invoices[0]
    pdf = await api.get(f"/v1/invoices/{invoice['invoice_id']}.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "filename=" in pdf.headers["content-disposition"]
    assert ".pdf" in pdf.headers["content-disposition"]
    html = await api.get(f"/v1/invoices/{invoice['invoice_id']}.html")
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    assert invoice["number"] in html.text
    assert invoice["locale"] == "de"
    async with stack.client(await new_key(api, "customer", account_id=billed.account_ids[0])) as own:
        assert (await own.get(f"/v1/invoices/{invoice['invoice_id']}.pdf")).status_code == 200
    async with stack.client(await new_key(api, "customer", account_id=billed.account_ids[1])) as other:
        assert (await other.get(f"/v1/invoices/{invoice['invoice_id']}.pdf")).status_code == 404


async def test_explaining_a_usage_line_lists_its_rated_parts_with_raw_records(stack: Stack) -> None:
    tenant = stack.create_tenant("Explaining Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await bill_last_month(api)
        await check_explained(stack, api, billed)


async def check_explained(stack: Stack, api: httpx.AsyncClient, billed: Billed) -> None:
    """The voice line's parts, paged, each with its raw record; other lines are not explained."""
    invoice = billed.invoices[0]
    voice = next(line for line in invoice["lines"]
                 if line["kind"] == "usage" and line["service_type"] == "voice")
    path = f"/v1/invoices/{invoice['invoice_id']}/lines/{voice['index']}/records"
    first = await created(api.get(path, params={"page_size": 1}))
    assert first["next_page_token"]
    rest = await created(api.get(path, params={"page_size": 100, "page_token": first["next_page_token"]}))
    assert rest["next_page_token"] is None
    parts = first["parts"] + rest["parts"]
    prefix = billed.account_ids[0][:8]
    assert sorted({p["record_id"] for p in parts}) == [f"{prefix}-v1", f"{prefix}-v2"]
    assert all(p["record"]["record_id"] == p["record_id"] for p in parts)
    assert sorted(Decimal(p["record"]["quantity"]) for p in parts if p["part"] == 0) == [61, 125]
    assert cents(sum((amount(p) for p in parts), Decimal(0))) == amount(voice)

    recurring = next(line for line in invoice["lines"] if line["kind"] == "recurring")
    not_usage = await api.get(f"/v1/invoices/{invoice['invoice_id']}/lines/{recurring['index']}/records")
    refused(not_usage, (422,), "index")
    refused(await api.get(f"/v1/invoices/{invoice['invoice_id']}/lines/999/records"), (404,))
    async with stack.client(await new_key(api, "customer", account_id=billed.account_ids[0])) as own:
        assert (await own.get(path)).status_code == 200


async def test_a_credit_note_reduces_the_amount_due(stack: Stack) -> None:
    tenant = stack.create_tenant("Crediting Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await bill_last_month(api)
        await check_credited(api, billed.invoices[0])


async def check_credited(api: httpx.AsyncClient, invoice: dict[str, Any]) -> None:
    """A credit note on a usage line and part of the fee, with tax; retried, it is the same note."""
    voice = next(line for line in invoice["lines"] if line["service_type"] == "voice")
    recurring = next(line for line in invoice["lines"] if line["kind"] == "recurring")
    path = f"/v1/invoices/{invoice['invoice_id']}/credit-notes"
    body = {"reason": "network outage", "lines": [
        {"line_index": voice["index"]}, {"line_index": recurring["index"], "amount": "1.00"}]}
    too_much = {"reason": "typo", "lines": [{"line_index": recurring["index"], "amount": "999.00"}]}
    refused(await api.post(path, json=too_much), (422,), "lines[0].amount")

    headers = {"Idempotency-Key": "outage-credit"}
    note = await created(api.post(path, json=body, headers=headers))
    subtotal = amount(voice) + Decimal("1.00")
    assert amount(note["subtotal"]) == subtotal
    assert amount(note["tax"]) == cents(subtotal * Decimal("0.2"))
    assert amount(note["total"]) == subtotal + amount(note["tax"])
    retried = await created(api.post(path, json=body, headers=headers))
    assert retried["credit_note_id"] == note["credit_note_id"]

    after = await created(api.get(f"/v1/invoices/{invoice['invoice_id']}"))
    assert amount(after["amount_credited"]) == amount(note["total"])
    assert amount(after["amount_due"]) == amount(invoice["amount_due"]) - amount(note["total"])
    listed = (await created(api.get(path)))["credit_notes"]
    assert [n["credit_note_id"] for n in listed] == [note["credit_note_id"]]
    assert await created(api.get(f"/v1/credit-notes/{note['credit_note_id']}")) == note
    pdf = await api.get(f"/v1/credit-notes/{note['credit_note_id']}.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF")
    refused(await api.post(f"/v1/invoices/{invoice['invoice_id']}/void", json={"reason": "x"}), (409,))


async def test_an_invoice_verifies_for_auditors_and_through_the_cli(stack: Stack) -> None:
    tenant = stack.create_tenant("Audited Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await bill_last_month(api)
        await check_verified(stack, api, tenant["tenant_id"], billed.invoices[0])


async def check_verified(stack: Stack, api: httpx.AsyncClient, tenant_id: str,
                         invoice: dict[str, Any]) -> None:
    """Verified through the API (auditors, not support) and the CLI."""
    path = f"/v1/invoices/{invoice['invoice_id']}/verification"
    verification = await created(api.get(path))
    assert verification["verified"] is True, verification
    assert verification["document_matches"] and verification["totals_match"]
    usage_lines = [line["index"] for line in invoice["lines"] if line["kind"] == "usage"]
    assert sorted(check["index"] for check in verification["lines"]) == usage_lines
    async with stack.client(await new_key(api, "auditor")) as auditor:
        assert (await auditor.get(path)).status_code == 200
    async with stack.client(await new_key(api, "support")) as support:
        assert (await support.get(path)).status_code == 403
    cli = billing_cli(stack, "verify", "--tenant", tenant_id, "--invoice", invoice["invoice_id"])
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["verified"] is True


async def test_voiding_an_invoice_keeps_its_number_used(stack: Stack) -> None:
    tenant = stack.create_tenant("Voiding Telco")
    async with stack.client(tenant["api_key"]) as api:
        invoice = (await bill_last_month(api)).invoices[0]
        path = f"/v1/invoices/{invoice['invoice_id']}/void"
        voided = await created(api.post(path, json={"reason": "billed in error"}))
        assert (voided["status"], voided["void_reason"]) == ("void", "billed in error")
        assert voided["number"] == invoice["number"]
        assert (await created(api.get(f"/v1/invoices/{invoice['invoice_id']}")))["status"] == "void"
        refused(await api.post(path, json={"reason": "again"}), (409,))


async def test_a_voided_invoices_usage_and_fee_are_billed_again_on_the_next_invoice(stack: Stack) -> None:
    tenant = stack.create_tenant("Re-billing Telco")
    earlier_day = EARLIER_START + timedelta(days=14)
    async with stack.client(tenant["api_key"]) as api:
        plan_id = await new_plan(api, "Home Fibre", "12.34", prices=PRICES)
        account_id = (await created(api.post("/v1/accounts", json=account_body(
            plan_id, start_date=EARLIER_START.isoformat()))))["account_id"]
        records = usage_records(account_id, datetime.combine(earlier_day, time(12), UTC))
        await created(api.post("/v1/usage/batches", json={"records": records}))
        await wait_rated(api, account_id, 4, earlier_day)
        await created(api.post("/v1/bill-runs", json={"bill_date": PERIOD_START.isoformat()}))
        first = await only_invoice(api, account_id, PERIOD_START)
        usage = {line["service_type"]: amount(line) for line in first["lines"] if line["kind"] == "usage"}
        assert set(usage) == {"voice", "sms", "data"}
        await created(api.post(f"/v1/invoices/{first['invoice_id']}/void", json={"reason": "wrong address"}))

        await created(api.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))
        second = await only_invoice(api, account_id)

    again = {line["service_type"]: amount(line) for line in second["lines"] if line["kind"] == "prior_period"}
    assert again == usage
    assert all(line["record_count"] for line in second["lines"] if line["kind"] == "prior_period")
    fees = sorted((line["covers_start"], amount(line))
                  for line in second["lines"] if line["kind"] == "recurring")
    cycles = (EARLIER_START, PERIOD_START, BILL_DATE)
    assert fees == [(start.isoformat(), Decimal("12.34")) for start in cycles]
    assert lines_sum(second) == amount(second["total"])
