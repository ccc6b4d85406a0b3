"""Billing queries end to end through the gateway: a customer's line dispute answered and settled with a
credit note, an adjustment on the next invoice, overdue queries, disputed amounts held out of dunning,
and the bad inputs of issue 8 (other accounts, other tenants, too much credit, closed queries)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import nats
import pytest
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from tests.e2e.conftest import Stack
from tests.e2e.test_invoicing import BILL_DATE, account_body, amount, created, new_plan, refused
from tests.e2e.test_payments import settled
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

HOLDS_DURABLE = "payment-disputes"


def gbp(value: str | Decimal) -> dict[str, str]:
    return {"amount": str(value), "currency": "GBP"}


async def billed_accounts(api: httpx.AsyncClient, names: list[str], fee: str) -> list[dict[str, Any]]:
    """Accounts on a plan since last month, billed on the first of this month; their invoices."""
    plan_id = await new_plan(api, f"{names[0]} plan", fee)
    account_ids = [str((await created(api.post("/v1/accounts", json={
        **account_body(plan_id, n), "name": name})))["account_id"]) for n, name in enumerate(names)]
    await created(api.post("/v1/bill-runs", json={"bill_date": BILL_DATE.isoformat()}))
    invoices = []
    for account_id in account_ids:
        listed = (await created(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
        assert len(listed) == 1, listed
        invoices.append(await created(api.get(f"/v1/invoices/{listed[0]['invoice_id']}")))
    return invoices


def charged_line(invoice: dict[str, Any]) -> dict[str, Any]:
    """The invoice's first line with a positive amount."""
    return next(line for line in invoice["lines"] if amount(line) > 0)


@asynccontextmanager
async def jetstream(stack: Stack) -> AsyncIterator[JetStreamContext]:
    """A JetStream client of the stack's NATS."""
    nc = await nats.connect(stack.nats_url)
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


async def applied_by_payment(stack: Stack, query_id: str, event: str) -> None:
    """Wait until the support service published the query's event and the payment service's dispute
    consumer acknowledged it (so dunning sees the hold opened or released)."""
    async with jetstream(stack) as js:

        async def published() -> int:
            try:
                last = await js.get_last_msg("EVENTS", f"events.support.Query.{event}")
            except NotFoundError:
                return 0
            return int(last.seq or 0) if json.loads(last.data or b"{}")["aggregate_id"] == query_id else 0

        sequence = await eventually(published)

        async def acknowledged() -> bool:
            info = await js.consumer_info("EVENTS", HOLDS_DURABLE)
            return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= sequence

        await eventually(acknowledged)


@dataclass
class Desk:
    """The callers of one tenant's support desk (and a stranger from another tenant)."""

    admin: httpx.AsyncClient
    agent: httpx.AsyncClient
    customer: httpx.AsyncClient
    neighbour: httpx.AsyncClient
    stranger: httpx.AsyncClient


async def test_a_customer_line_dispute_is_answered_and_settled_with_a_credit_note(stack: Stack) -> None:
    tenant = stack.create_tenant("Support Telco")
    other_tenant = stack.create_tenant("Other Support Telco")
    async with stack.client(tenant["api_key"]) as admin, stack.client(other_tenant["api_key"]) as stranger:
        invoice, neighbours = await billed_accounts(admin, ["Disputing Home", "Neighbour Home"], "20.00")
        agent = stack.client(await new_key(admin, "support"))
        customer = stack.client(await new_key(admin, "customer", account_id=invoice["account_id"]))
        neighbour = stack.client(await new_key(admin, "customer", account_id=neighbours["account_id"]))
        async with agent, customer, neighbour:
            desk = Desk(admin, agent, customer, neighbour, stranger)
            query = await check_thread(desk, invoice)
            await check_settled_with_a_credit_note(desk, invoice, query)


async def check_thread(desk: Desk, invoice: dict[str, Any]) -> dict[str, Any]:
    """The customer disputes a line, the agent answers and asks, the customer replies; others see nothing."""
    line = charged_line(invoice)
    opened = await created(desk.customer.post("/v1/queries", headers={"Idempotency-Key": "dispute-1"}, json={
        "invoice_id": invoice["invoice_id"], "line_index": line["index"], "category": "wrong_amount",
        "subject": "The fee is too high", "body": "I was promised 16.00 a month.",
        "disputed_amount": gbp("4.00")}))
    assert (opened["state"], opened["account_id"], opened["disputed_amount"]) == (
        "open", invoice["account_id"], gbp("4.00"))
    assert opened["opened_by"] == {"role": "customer", "id": invoice["account_id"]}
    path = f"/v1/queries/{opened['query_id']}"
    commented = await created(desk.agent.post(f"{path}/comments", json={"body": "Looking at your contract."}))
    assert commented["first_response_at"]
    asked = await created(desk.agent.post(f"{path}/ask-customer", json={"body": "Who promised it?"}))
    assert asked["state"] == "awaiting_customer"
    replied = await created(desk.customer.post(f"{path}/comments", json={"body": "Your shop, in May."}))
    assert replied["state"] == "open"
    roles = [c["author"]["role"] for c in replied["comments"]]
    assert roles == ["customer", "support", "support", "customer"]

    refused(await desk.neighbour.get(path), (404,))
    refused(await desk.neighbour.post(f"{path}/comments", json={"body": "Me too"}), (404,))
    refused(await desk.stranger.post(f"{path}/comments", json={"body": "Hello"}), (404,))
    refused(await desk.stranger.get(path), (404,))
    assert (await created(desk.customer.get(path)))["version"] == replied["version"]
    assert (await created(desk.neighbour.get("/v1/queries")))["queries"] == []
    mine = await created(desk.customer.get("/v1/queries"))
    assert [q["query_id"] for q in mine["queries"]] == [opened["query_id"]]
    return replied


async def check_settled_with_a_credit_note(
    desk: Desk, invoice: dict[str, Any], query: dict[str, Any]
) -> None:
    """Too much credit is refused and writes nothing; the credit note references the line; a closed
    query stays closed."""
    line = charged_line(invoice)
    path = f"/v1/queries/{query['query_id']}"
    credit_notes = f"/v1/invoices/{invoice['invoice_id']}/credit-notes"
    too_much = gbp(amount(line) + Decimal("0.01"))
    refused(await desk.agent.post(f"{path}/resolve", json={
        "outcome": "credit_note", "note": "Refunded.",
        "credit_lines": [{"line_index": line["index"], "amount": too_much}]}),
        (422,), "credit_lines[0].amount.amount")
    assert (await created(desk.admin.get(credit_notes)))["credit_notes"] == []
    unchanged = await created(desk.customer.get(path))
    assert (unchanged["state"], unchanged["version"]) == ("open", query["version"])

    resolved = await created(desk.agent.post(f"{path}/resolve", json={
        "outcome": "credit_note", "note": "The promotional price applies; 4.00 credited.",
        "credit_lines": [{"line_index": line["index"], "amount": gbp("4.00")}]}))
    outcome = resolved["outcome"]
    assert (resolved["state"], outcome["kind"], outcome["amount"]) == ("resolved", "credit_note", gbp("4.00"))
    [note] = (await created(desk.customer.get(credit_notes)))["credit_notes"]
    assert (note["credit_note_id"], note["number"]) == (outcome["credit_note_id"],
                                                        outcome["credit_note_number"])
    assert [(n["line_index"], n["amount"]) for n in note["lines"]] == [(line["index"], gbp("4.00"))]

    refused(await desk.agent.post(f"{path}/resolve", json={"outcome": "explained", "note": "Again."}), (409,))
    refused(await desk.customer.post(f"{path}/comments", json={"body": "Thanks!"}), (409,))
    assert len((await created(desk.admin.get(credit_notes)))["credit_notes"]) == 1
    history = await created(desk.admin.get(f"{path}/history"))
    assert [e["type"] for e in history["events"]] == [
        "Query.Opened", "Query.Commented", "Query.CustomerAsked", "Query.Commented", "Query.Resolved"]
    assert history["events"][-1]["data"]["credit_note_id"] == note["credit_note_id"]


async def test_an_adjustment_lands_as_a_charge_and_unanswered_queries_become_overdue(stack: Stack) -> None:
    tenant = stack.create_tenant("Adjusting Telco")
    async with stack.client(tenant["api_key"]) as admin:
        await created(admin.put("/v1/support-policy", json={"response_target_hours": 2}))
        plan_id = await new_plan(admin, "Adjusted plan", "15.00")
        account_id = (await created(admin.post("/v1/accounts", json=account_body(plan_id))))["account_id"]
        goodwill = await created(admin.post("/v1/queries", json={
            "account_id": account_id, "category": "other", "subject": "Outage last week",
            "body": "No internet for three days."}))
        settled_query = await created(admin.post(f"/v1/queries/{goodwill['query_id']}/resolve", json={
            "outcome": "adjustment", "note": "Three days credited on your next invoice.",
            "adjustment": gbp("-1.50")}))
        outcome = settled_query["outcome"]
        assert (outcome["kind"], outcome["amount"]) == ("adjustment", gbp("-1.50"))
        account_events = await created(admin.get(f"/v1/audit/account/{account_id}/events"))
        charges = [e["data"] for e in account_events["events"] if e["type"] == "Account.ChargeAdded"]
        assert [(c["charge_id"], c["amount"]) for c in charges] == [(outcome["charge_id"], gbp("-1.50"))]

        waiting = await created(admin.post("/v1/queries", json={
            "account_id": account_id, "category": "payment_missing", "subject": "Where is my payment?",
            "body": "I paid by transfer on Monday."}))
        assert waiting["respond_by"] == (
            datetime.fromisoformat(waiting["opened_at"]) + timedelta(hours=2)).isoformat()
        soon = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
        overdue = await created(admin.get("/v1/queries", params={"overdue_only": "true", "as_of": soon}))
        assert [q["query_id"] for q in overdue["queries"]] == [waiting["query_id"]]
        assert overdue["queries"][0]["overdue"] is True
        assert (await created(admin.get("/v1/queries", params={"overdue_only": "true"})))["queries"] == []
        refused(await admin.put("/v1/support-policy", json={"response_target_hours": 0}),
                (422,), "response_target_hours")
        assert (await created(admin.get("/v1/support-policy")))["response_target_hours"] == 2


async def test_disputed_amounts_are_held_out_of_dunning_while_the_query_is_open(stack: Stack) -> None:
    tenant = stack.create_tenant("Holding Telco")
    async with stack.client(tenant["api_key"]) as admin:
        await created(admin.put("/v1/dunning-policy", json={
            "reminder_days": [1], "retry_days": [], "suspend_after_days": None,
            "late_fee": {"percent": "10", "after_days": 1}}))
        whole, part = await billed_accounts(admin, ["Wholly Disputed", "Partly Disputed"], "30.00")
        for invoice in (whole, part):
            await settled(admin, invoice["account_id"], ["issued"])
        whole_query = await created(admin.post("/v1/queries", json={
            "account_id": whole["account_id"], "invoice_id": whole["invoice_id"], "category": "wrong_amount",
            "subject": "Billed after cancelling", "body": "I cancelled.", "disputed_amount": whole["total"]}))
        await applied_by_payment(stack, whole_query["query_id"], "Opened")
        line = charged_line(part)
        part_query = await created(admin.post("/v1/queries", json={
            "account_id": part["account_id"], "invoice_id": part["invoice_id"], "line_index": line["index"],
            "category": "wrong_amount", "subject": "Part of the fee", "body": "Five too much.",
            "disputed_amount": gbp("5.00")}))
        await applied_by_payment(stack, part_query["query_id"], "Opened")

        async def dun(invoice: dict[str, Any], days_overdue: int) -> dict[str, Any]:
            when = datetime.fromisoformat(invoice["due_date"]).date() + timedelta(days=days_overdue)
            run = await created(admin.post("/v1/dunning-runs", json={"date": when.isoformat()}))
            assert run["failures"] == [], run
            return await created(admin.get(f"/v1/accounts/{invoice['account_id']}/dunning"))

        def ten_percent(value: Decimal) -> dict[str, str]:
            return gbp((value / 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

        assert (await dun(whole, 2))["status"] == "none"
        partly = await dun(part, 2)
        assert (partly["status"], partly["late_fee"]["amount"]) == (
            "open", ten_percent(amount(part["total"]) - Decimal("5.00")))

        await created(admin.post(f"/v1/queries/{whole_query['query_id']}/reject", json={
            "reason": "The cancellation took effect after the period."}))
        await applied_by_payment(stack, whole_query["query_id"], "Rejected")
        dunned = await dun(whole, 3)
        assert dunned["status"] == "open"
        assert dunned["late_fee"]["amount"] == ten_percent(amount(whole["total"]))
