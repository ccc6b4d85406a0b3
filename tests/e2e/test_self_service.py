"""Self-service and the support agent's account view end to end: every service in its own process,
through the gateway only.

A customer reads their own account, invoices, PDF, payments and usage so far in the current cycle,
pays an invoice by card and opens a query; every other account's resource answers 404. An agent gets
the account's whole picture in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_invoicing import EARLIER_START, account_body, amount, created, new_plan, refused
from tests.e2e.test_payments import BILL_DATE, PERIOD_START
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")
VOICE = [{"service_type": "voice", "unit": "minute", "unit_price": "0.02"}]
PERIOD = "start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z"
SECTIONS = ("balance", "open_invoices", "recent_payments", "open_queries", "current_cycle_usage", "dunning")


@dataclass(frozen=True)
class Tenant:
    """A tenant with two billed accounts (two issued invoices each) and keys of its people."""

    admin_key: str
    customer_key: str
    support_key: str
    mine: str
    mine_invoices: list[dict[str, Any]]
    other: str
    other_invoice: str
    other_payment: str
    other_query: str


async def billed_account(admin: httpx.AsyncClient, plan_id: str, n: int) -> str:
    """A London account on the plan since two months ago."""
    body = account_body(plan_id, n, start_date=EARLIER_START.isoformat())
    return str((await created(admin.post("/v1/accounts", json=body)))["account_id"])


async def invoices_of(api: httpx.AsyncClient, account_id: str) -> list[dict[str, Any]]:
    """The account's invoices, oldest first."""
    listed: list[dict[str, Any]] = (await created(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
    return listed


@pytest.fixture(scope="module")
async def tenant(stack: Stack) -> Tenant:
    """Two accounts billed on the last two bill dates; the other account has paid 1.00 by transfer
    and has a query open."""
    created_tenant = stack.create_tenant("Self Service Views")
    async with stack.client(created_tenant["api_key"]) as admin:
        plan_id = await new_plan(admin, "Talk 20", "20.00", prices=VOICE)
        mine, other = [await billed_account(admin, plan_id, n) for n in (1, 2)]
        for bill_date in (PERIOD_START, BILL_DATE):
            await created(admin.post("/v1/bill-runs", json={"bill_date": bill_date.isoformat()}))
        mine_invoices, other_invoices = [await invoices_of(admin, a) for a in (mine, other)]
        assert len(mine_invoices) == len(other_invoices) == 2
        payment = await created(admin.post("/v1/payments", json={
            "invoice_id": other_invoices[0]["invoice_id"], "method": "bank_transfer",
            "amount": {"amount": "1.00", "currency": "GBP"}}))
        query = await created(admin.post("/v1/queries", json={
            "account_id": other, "category": "payment_missing", "subject": "Transfer not seen",
            "body": "The customer says they paid in full."}))
        return Tenant(
            admin_key=created_tenant["api_key"],
            customer_key=await new_key(admin, "customer", account_id=mine),
            support_key=await new_key(admin, "support"), mine=mine, mine_invoices=mine_invoices,
            other=other, other_invoice=other_invoices[0]["invoice_id"], other_payment=payment["payment_id"],
            other_query=query["query_id"])


def usage_in_cycle(account_id: str, cycle_start: datetime) -> list[dict[str, Any]]:
    """A 3-minute call (priced) and a message (the plan has no SMS price) between the cycle start and now."""
    started = cycle_start + (datetime.now(UTC) - cycle_start) / 2
    common = {"source": "self-service", "account_id": account_id, "started_at": started.isoformat()}
    return [{**common, "record_id": f"{account_id}-call", "service_type": "voice", "quantity": 180,
             "unit": "second"},
            {**common, "record_id": f"{account_id}-sms", "service_type": "sms", "quantity": 1,
             "unit": "message"}]


async def test_a_customer_sees_their_account_usage_so_far_and_pays_by_card(
    stack: Stack, tenant: Tenant,
) -> None:
    async with stack.client(tenant.admin_key) as admin, stack.client(tenant.customer_key) as me:
        account = await created(me.get(f"/v1/accounts/{tenant.mine}"))
        start = datetime.fromisoformat(account["current_cycle_start"])
        end = datetime.fromisoformat(account["current_cycle_end"])
        assert start <= datetime.now(UTC) < end
        assert [(t.day, t.hour, t.minute) for t in (start.astimezone(LONDON), end.astimezone(LONDON))] == [
            (1, 0, 0), (1, 0, 0)]

        batch = await created(admin.post("/v1/usage/batches",
                                         json={"records": usage_in_cycle(tenant.mine, start)}))
        assert batch["accepted"] == 2, batch

        async def rated() -> dict[str, Any] | None:
            usage = await created(me.get(f"/v1/accounts/{tenant.mine}/usage/current-cycle"))
            done = usage["services"] and usage["unrated"]["count"] == 1
            return usage if done else None

        usage = await eventually(rated)
        [voice] = usage["services"]
        assert (voice["service_type"], voice["unit"], Decimal(voice["quantity"]), voice["record_count"]) == (
            "voice", "second", 180, 1)
        assert voice["amount"] == {"amount": "0.060000", "currency": "GBP"}
        assert (usage["cycle_start"], usage["total"]) == (
            account["current_cycle_start"], {"amount": "0.060000", "currency": "GBP"})
        assert usage["unrated"] == {"count": 1, "reasons": {"no_price_for_service_type": 1}}

        due = sum((amount(i["amount_due"]) for i in tenant.mine_invoices), Decimal(0))

        async def in_the_ledger() -> dict[str, Any] | None:
            view = await created(me.get("/v1/me"))
            return view if amount(view["balance"]["balance"]) == due else None

        view = await eventually(in_the_ledger)
        assert (view["account"]["name"], view["account"]["status"]) == ("Customer 1", "active")
        assert view["account"]["current_cycle"] == {"start": account["current_cycle_start"],
                                                    "end": account["current_cycle_end"]}
        assert [i["invoice_id"] for i in view["open_invoices"]["invoices"]] == [
            i["invoice_id"] for i in tenant.mine_invoices]
        assert amount(view["open_invoices"]["amount_due"]) == due
        assert view["current_cycle_usage"]["total"] == usage["total"]
        assert (view["recent_payments"], view["dunning"]["status"]) == ({"payments": []}, "none")

        first = tenant.mine_invoices[0]
        pdf = await me.get(view["open_invoices"]["invoices"][0]["links"]["pdf"]["href"])
        assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
        assert pdf.content.startswith(b"%PDF")
        assert (await created(me.get(f"/v1/invoices/{first['invoice_id']}")))["number"] == first["number"]

        paid = await created(me.post(view["links"]["pay"]["href"], json={
            "invoice_id": first["invoice_id"], "method": "card", "token": "tok_visa",
            "amount": first["amount_due"]}))
        assert paid["status"] == "succeeded", paid

        async def settled() -> dict[str, Any] | None:
            after = await created(me.get("/v1/me"))
            still_open = [i["invoice_id"] for i in after["open_invoices"]["invoices"]]
            return after if still_open == [tenant.mine_invoices[1]["invoice_id"]] else None

        after = await eventually(settled)
        [payment] = after["recent_payments"]["payments"]
        assert (payment["payment_id"], payment["status"], payment["invoice_id"]) == (
            paid["payment_id"], "succeeded", first["invoice_id"])
        listed = await created(me.get(f"/v1/accounts/{tenant.mine}/payments"))
        assert [p["payment_id"] for p in listed["payments"]] == [paid["payment_id"]]


def other_accounts_resources(tenant: Tenant) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every route family a customer may use, aimed at the other account."""
    other, invoice = tenant.other, tenant.other_invoice
    payment, query = tenant.other_payment, tenant.other_query
    card = {"method": "card", "token": "tok_visa", "amount": {"amount": "1.00", "currency": "GBP"}}
    return [
        ("GET", f"/v1/accounts/{other}", None),
        ("GET", f"/v1/accounts/{other}/invoices", None),
        ("GET", f"/v1/invoices/{invoice}", None),
        ("GET", f"/v1/invoices/{invoice}.pdf", None),
        ("GET", f"/v1/accounts/{other}/payments", None),
        ("GET", f"/v1/payments/{payment}", None),
        ("POST", "/v1/payments", {**card, "invoice_id": invoice}),
        ("GET", f"/v1/accounts/{other}/ledger", None),
        ("GET", f"/v1/accounts/{other}/dunning", None),
        ("GET", f"/v1/accounts/{other}/rated-usage?{PERIOD}", None),
        ("GET", f"/v1/accounts/{other}/usage/current-cycle", None),
        ("GET", f"/v1/invoices/{invoice}/lines/0/records", None),
        ("GET", f"/v1/invoices/{invoice}/lines/0/explanation", None),
        ("GET", f"/v1/invoices/{invoice}/explanation", None),
        ("GET", f"/v1/queries?account_id={other}", None),
        ("GET", f"/v1/queries/{query}", None),
        ("POST", f"/v1/queries/{query}/comments", {"body": "Is this mine?"}),
        ("POST", "/v1/queries", {"account_id": other, "category": "other", "subject": "Hello", "body": "Hi"}),
    ]


async def test_a_customer_gets_404_for_every_resource_of_another_account(
    stack: Stack, tenant: Tenant,
) -> None:
    async with stack.client(tenant.customer_key) as me, stack.client(tenant.admin_key) as admin:
        for method, path, body in other_accounts_resources(tenant):
            refused(await me.request(method, path, json=body), (404,))
        refused(await me.get(f"/v1/accounts/{tenant.other}/overview"), (403,))
        refused(await me.get(f"/v1/accounts/{tenant.mine}/overview"), (403,))
        untouched = await created(admin.get(f"/v1/accounts/{tenant.other}/payments"))
    assert [p["payment_id"] for p in untouched["payments"]] == [tenant.other_payment]


async def test_an_agent_sees_the_whole_account_in_one_call(stack: Stack, tenant: Tenant) -> None:
    async with stack.client(tenant.customer_key) as me, stack.client(tenant.support_key) as agent:
        query = await created(me.post("/v1/queries", json={
            "invoice_id": tenant.mine_invoices[1]["invoice_id"], "category": "wrong_amount",
            "subject": "Why two monthly fees?", "body": "The invoice charges the fee twice."}))

        async def listed() -> dict[str, Any] | None:
            view = await created(agent.get(f"/v1/accounts/{tenant.mine}/overview"))
            queries = view["open_queries"].get("queries", [])
            return view if [q["query_id"] for q in queries] == [query["query_id"]] else None

        overview = await eventually(listed)
        assert [name for name in SECTIONS if "unavailable" in overview[name]] == []
        [shown] = overview["open_queries"]["queries"]
        assert (shown["state"], shown["overdue"], shown["invoice_id"]) == (
            "open", False, tenant.mine_invoices[1]["invoice_id"])
        assert (overview["account"]["account_id"], overview["dunning"]["status"]) == (tenant.mine, "none")
        assert tenant.mine_invoices[1]["invoice_id"] in [
            i["invoice_id"] for i in overview["open_invoices"]["invoices"]]
        assert overview["current_cycle_usage"]["cycle_start"] == overview["account"]["current_cycle"]["start"]
        assert overview["links"]["self"]["href"] == f"/v1/accounts/{tenant.mine}/overview"

        mine = (await created(me.get("/v1/me")))["open_queries"]["queries"]
        assert [q["query_id"] for q in mine] == [query["query_id"]]
        refused(await agent.get("/v1/me"), (403,))
        refused(await agent.get(f"/v1/accounts/{uuid4()}/overview"), (404,))
        refused(await agent.get("/v1/accounts/not-an-id/overview"), (422,), "account_id")

    stranger = stack.create_tenant("Stranger Telco")
    async with stack.client(stranger["api_key"]) as other_tenant:
        refused(await other_tenant.get(f"/v1/accounts/{tenant.mine}/overview"), (404,))
        refused(await other_tenant.get(f"/v1/accounts/{tenant.mine}/usage/current-cycle"), (404,))
