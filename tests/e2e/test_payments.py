"""Payments end to end through the gateway: allocation, credit, refunds, cards, webhooks, self-service.

After every step the ledger is checked against the invoice service: its balance equals the open
invoices' amounts due (as the invoice service reports them) minus the credit held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_invoicing import account_body, amount, created, new_plan, refused
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

TODAY = datetime.now(UTC).date()
BILL_DATE = TODAY.replace(day=1)
PERIOD_START = (BILL_DATE - timedelta(days=1)).replace(day=1)
EARLIER_START = (PERIOD_START - timedelta(days=1)).replace(day=1)
OPEN = ("finalized", "issued", "partially_paid", "overdue")


@dataclass
class Billed:
    """An account with two issued invoices, oldest first."""

    account_id: str
    invoices: list[dict[str, Any]]


async def account_with_two_invoices(api: httpx.AsyncClient, name: str) -> Billed:
    """A GBP account on a 20.00 plan since two months ago, billed on both bill dates since."""
    plan_id = await new_plan(api, name, "20.00")
    body = {**account_body(plan_id), "name": name, "start_date": EARLIER_START.isoformat()}
    account_id = str((await created(api.post("/v1/accounts", json=body)))["account_id"])
    for bill_date in (PERIOD_START, BILL_DATE):
        await created(api.post("/v1/bill-runs", json={"bill_date": bill_date.isoformat()}))
    invoices = (await created(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
    assert len(invoices) == 2, invoices
    assert all(amount(i["total"]) > 0 for i in invoices)
    return Billed(account_id, invoices)


async def invoice_states(api: httpx.AsyncClient, account_id: str) -> list[tuple[str, Decimal]]:
    """(status, amount due) of the account's invoices, oldest first, as the invoice service says."""
    listed = (await created(api.get(f"/v1/accounts/{account_id}/invoices")))["invoices"]
    return [(i["status"], amount(i["amount_due"])) for i in listed]


async def settled(api: httpx.AsyncClient, account_id: str, statuses: list[str]) -> dict[str, Any]:
    """Wait until the invoices reach the statuses and the ledger agrees with them; the ledger."""

    async def agreed() -> dict[str, Any] | None:
        states = await invoice_states(api, account_id)
        ledger = await created(api.get(f"/v1/accounts/{account_id}/ledger"))
        open_due = sum((due for status, due in states if status in OPEN), Decimal(0))
        balance_agrees = amount(ledger["balance"]) == open_due - amount(ledger["credit"])
        ledger_due = sum((amount(i["amount_due"]) for i in ledger["open_invoices"]), Decimal(0))
        wanted = [status for status, _ in states] == statuses
        return ledger if wanted and balance_agrees and ledger_due == open_due else None

    ledger: dict[str, Any] = await eventually(agreed)
    return ledger


async def test_partial_and_over_payment_credit_and_refund_keep_ledger_and_invoices_in_step(
    stack: Stack,
) -> None:
    tenant = stack.create_tenant("Allocating Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await account_with_two_invoices(api, "Allocation Home")
        older, newer = (amount(i["total"]) for i in billed.invoices)
        await settled(api, billed.account_id, ["issued", "issued"])

        first_body = {"account_id": billed.account_id, "method": "bank_transfer", "reference": "BACS 1",
                      "amount": {"amount": str(older + Decimal("5.00")), "currency": "GBP"}}
        first = await created(api.post("/v1/payments", json=first_body, headers={"Idempotency-Key": "p1"}))
        again = await created(api.post("/v1/payments", json=first_body, headers={"Idempotency-Key": "p1"}))
        assert again["payment_id"] == first["payment_id"]
        await settled(api, billed.account_id, ["paid", "partially_paid"])

        rest = newer - Decimal("5.00") + Decimal("7.50")
        second = await created(api.post("/v1/payments", headers={"Idempotency-Key": "p2"}, json={
            "invoice_id": billed.invoices[1]["invoice_id"], "method": "cash",
            "amount": {"amount": str(rest), "currency": "GBP"}}))
        ledger = await settled(api, billed.account_id, ["paid", "paid"])
        assert (amount(ledger["balance"]), amount(ledger["credit"])) == (Decimal("-7.50"), Decimal("7.50"))

        refunded = await created(api.post(f"/v1/payments/{second['payment_id']}/refunds",
                                          headers={"Idempotency-Key": "r1"},
                                          json={"amount": {"amount": "10.00", "currency": "GBP"}}))
        assert refunded["status"] == "partially_refunded"
        ledger = await settled(api, billed.account_id, ["paid", "partially_paid"])
        assert amount(ledger["credit"]) == 0
        assert [amount(i["amount_due"]) for i in ledger["open_invoices"]] == [Decimal("2.50")]
        kinds = {entry["kind"] for entry in ledger["journal"]}
        assert {"InvoiceAdded", "PaymentReceived", "PaymentReversed"} <= kinds

        listed = await created(api.get(f"/v1/accounts/{billed.account_id}/payments"))
        assert [p["payment_id"] for p in listed["payments"]] == [second["payment_id"], first["payment_id"]]


async def test_bad_payments_are_refused_with_a_reason_and_write_nothing(stack: Stack) -> None:
    tenant = stack.create_tenant("Strict Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await account_with_two_invoices(api, "Strict Home")
        invoice_id = billed.invoices[0]["invoice_id"]

        def body(**change: Any) -> dict[str, Any]:
            return {"invoice_id": invoice_id, "method": "bank_transfer",
                    "amount": {"amount": "5.00", "currency": "GBP"}, **change}

        refused(await api.post("/v1/payments", json=body(amount={"amount": "0", "currency": "GBP"})),
                (422,), "amount.amount")
        refused(await api.post("/v1/payments", json=body(amount={"amount": "-3", "currency": "GBP"})),
                (422,), "amount.amount")
        refused(await api.post("/v1/payments", json=body(amount={"amount": "5.00", "currency": "EUR"})),
                (422,), "amount.currency")
        refused(await api.post("/v1/payments", json=body(invoice_id="7f1c5a52-5d59-4a8e-9b53-1d2b1c0e5e11")),
                (404,))
        refused(await api.post("/v1/payments", json=body(method="card")), (422,))
        payment = await created(api.post("/v1/payments", json=body()))
        refused(await api.post(f"/v1/payments/{payment['payment_id']}/refunds",
                               json={"amount": {"amount": "5.01", "currency": "GBP"}}),
                (422,), "amount.amount")
        voided = billed.invoices[1]["invoice_id"]
        await created(api.post(f"/v1/invoices/{voided}/void", json={"reason": "billed in error"}))
        refused(await api.post("/v1/payments", json=body(invoice_id=voided)), (409,))
        ledger = await settled(api, billed.account_id, ["partially_paid", "void"])
        assert [amount(i["amount_due"]) for i in ledger["open_invoices"]] == [
            amount(billed.invoices[0]["total"]) - Decimal("5.00")]


async def test_customer_pays_own_invoice_by_stored_card_and_sees_only_own_account(stack: Stack) -> None:
    tenant = stack.create_tenant("Self Service Telco")
    async with stack.client(tenant["api_key"]) as admin:
        mine = await account_with_two_invoices(admin, "Self Service Home")
        other = await account_with_two_invoices(admin, "Neighbour Home")
        async with stack.client(await new_key(admin, "customer", account_id=mine.account_id)) as me:
            wallet = await created(me.post(f"/v1/accounts/{mine.account_id}/payment-methods",
                                           json={"token": "tok_visa"}))
            [method] = wallet["methods"]
            assert (method["brand"], method["last4"], method["is_default"]) == ("visa", "4242", True)
            refused(await me.post(f"/v1/accounts/{mine.account_id}/payment-methods",
                                  json={"token": "4242 4242 4242 4242"}), (422,), "token")
            total = amount(mine.invoices[0]["total"])
            paid = await created(me.post("/v1/payments", json={
                "invoice_id": mine.invoices[0]["invoice_id"], "method": "card",
                "payment_method_id": method["payment_method_id"],
                "amount": {"amount": str(total), "currency": "GBP"}}))
            assert paid["status"] == "succeeded"
            await settled(me, mine.account_id, ["paid", "issued"])

            refused(await me.post("/v1/payments", json={
                "invoice_id": mine.invoices[1]["invoice_id"], "method": "bank_transfer",
                "amount": {"amount": "1.00", "currency": "GBP"}}), (403,))
            refused(await me.get(f"/v1/accounts/{other.account_id}/ledger"), (404,))
            refused(await me.post("/v1/payments", json={
                "invoice_id": other.invoices[0]["invoice_id"], "method": "card", "token": "tok_visa",
                "amount": {"amount": "1.00", "currency": "GBP"}}), (404,))


async def test_late_card_success_arrives_through_the_gateway_webhook(stack: Stack) -> None:
    tenant = stack.create_tenant("Webhook Telco")
    async with stack.client(tenant["api_key"]) as api:
        billed = await account_with_two_invoices(api, "Late Card Home")
        pending = await created(api.post("/v1/payments", json={
            "invoice_id": billed.invoices[0]["invoice_id"], "method": "card", "token": "tok_late",
            "amount": {"amount": str(amount(billed.invoices[0]["total"])), "currency": "GBP"}}))
        assert pending["status"] == "pending"

        async def succeeded() -> bool:
            payment = await created(api.get(f"/v1/payments/{pending['payment_id']}"))
            return bool(payment["status"] == "succeeded")

        await eventually(succeeded)
        await settled(api, billed.account_id, ["paid", "issued"])
        forged = await api.post("/v1/payment-providers/simulator/webhooks", content=b'{"id": "evt_x"}',
                                headers={"Simulator-Signature": "t=1,v1=00"})
        assert forged.status_code == 422, forged.text


async def test_dunning_from_reminder_to_suspension_and_back_on_payment(stack: Stack) -> None:
    tenant = stack.create_tenant("Dunning Telco")
    async with stack.client(tenant["api_key"]) as api:
        await created(api.put("/v1/dunning-policy", json={
            "reminder_days": [1, 7], "retry_days": [3], "suspend_after_days": 14,
            "late_fee": {"fixed": {"GBP": "5.00"}, "after_days": 10}}))
        billed = await account_with_two_invoices(api, "Dunned Home")
        await settled(api, billed.account_id, ["issued", "issued"])
        await created(api.post(f"/v1/accounts/{billed.account_id}/payment-methods",
                               json={"token": "tok_decline"}))
        due = datetime.fromisoformat(billed.invoices[0]["due_date"]).date()

        async def dun(days_overdue: int) -> dict[str, Any]:
            when = due + timedelta(days=days_overdue)
            run = await created(api.post("/v1/dunning-runs", json={"date": when.isoformat()}))
            assert run["failures"] == [], run
            return await created(api.get(f"/v1/accounts/{billed.account_id}/dunning"))

        assert (await dun(1))["reminder_steps"] == [1]
        assert (await dun(1))["reminder_steps"] == [1]
        retried = await dun(3)
        assert len(retried["retries"]) == 1
        retry = await created(api.get(f"/v1/payments/{retried['retries'][0]['payment_id']}"))
        assert (retry["status"], retry["failure_reason"]) == ("failed", "card_declined")
        assert (await dun(10))["late_fee"]["amount"] == {"amount": "5.00", "currency": "GBP"}
        suspended = await dun(14)
        assert (suspended["reminder_steps"], suspended["suspended"]) == ([1, 2], True)
        account = await created(api.get(f"/v1/accounts/{billed.account_id}"))
        assert account["status"] == "suspended"

        ledger = await settled(api, billed.account_id, ["issued", "issued"])
        await created(api.post("/v1/payments", json={
            "account_id": billed.account_id, "method": "bank_transfer",
            "amount": {"amount": ledger["balance"]["amount"], "currency": "GBP"}}))
        await settled(api, billed.account_id, ["paid", "paid"])

        async def restored() -> bool:
            account = await created(api.get(f"/v1/accounts/{billed.account_id}"))
            return bool(account["status"] == "active")

        await eventually(restored)
        dunning = await created(api.get(f"/v1/accounts/{billed.account_id}/dunning"))
        assert (dunning["status"], dunning["suspended"]) == ("closed", False)
