"""Versioned tariffs end to end: a rate plan through the gateway prices usage, allowances split calls,
and a quote shows what the next call would cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).date()
NOON = datetime.combine(YESTERDAY, datetime.min.time(), UTC) + timedelta(hours=12)
NUMBER = "+447700900001"
DESTINATIONS = (
    "prefix,destination,rate,connect_fee,first_increment,next_increment\n"
    "44,United Kingdom,0.04,0,60,60\n"
    "4420,United Kingdom London,0.05,0.01,60,60\n"
    "33,France,0.12,0.05,1,1\n"
)


def usage(record_id: str, service_type: str, quantity: str, unit: str, **extra: Any) -> dict[str, Any]:
    """A record of the subscriber, yesterday at noon."""
    return {"record_id": record_id, "source": "switch", "subscriber": NUMBER,
            "service_type": service_type, "quantity": quantity, "unit": unit,
            "started_at": NOON.isoformat(), **extra}


async def test_rate_plan_versions_price_usage_and_quote(stack: Stack) -> None:
    tenant = stack.create_tenant("Tariffed Telco")
    async with stack.client(tenant["api_key"]) as admin:
        operator = httpx.AsyncClient(base_url=str(admin.base_url), timeout=60, headers={
            "Authorization": f"Bearer {await new_key(admin, 'operator')}"})
        created = await operator.post("/v1/rate-plans", json={"name": "UK Home", "currency": "GBP"})
        assert created.status_code == 201, created.text
        plan_id = created.json()["rate_plan_id"]
        first_day = (YESTERDAY - timedelta(days=30)).isoformat()
        v1 = await operator.post(f"/v1/rate-plans/{plan_id}/versions", json={
            "effective_from": first_day, "definition": {
                "sms": [{"prefix": "33", "name": "France", "per_message": "0.08"}],
                "data": {"unit": "gigabyte", "per_unit": "5"}}})
        assert v1.status_code in (200, 201), v1.text
        bad = await operator.put(f"/v1/rate-plans/{plan_id}/destinations", params={
            "effective_from": first_day, "service_type": "voice"},
            content=DESTINATIONS + "4x,Broken,abc,0,60,60\n")
        assert bad.status_code == 422, bad.text
        imported = await operator.put(f"/v1/rate-plans/{plan_id}/destinations", params={
            "effective_from": first_day, "service_type": "voice"}, content=DESTINATIONS)
        assert imported.status_code in (200, 201), imported.text
        current = await operator.get(f"/v1/rate-plans/{plan_id}", params={"as_of": str(YESTERDAY)})
        assert current.status_code == 200, current.text
        assert current.json()["in_effect"]["version"] == 2
        body = current.json()["in_effect"]["definition"]
        assert sorted(rate["prefix"] for rate in body["voice"][0]["rates"]) == ["33", "44", "4420"]
        body["allowances"] = [{"name": "national", "service_type": "voice", "quantity": "120",
                               "prefixes": ["44"]}]
        v3 = await operator.post(f"/v1/rate-plans/{plan_id}/versions", json={
            "effective_from": first_day, "definition": body})
        assert v3.status_code in (200, 201), v3.text

        other_currency = await operator.post("/v1/plans", json={
            "name": "Wrong", "currency": "EUR", "recurring_fee": "10.00", "rate_plan_id": plan_id})
        assert other_currency.status_code == 422, other_currency.text
        assert "rate_plan_id" in other_currency.text
        unknown = await operator.post("/v1/plans", json={
            "name": "Wrong", "currency": "GBP", "recurring_fee": "10.00",
            "rate_plan_id": "00000000-0000-4000-8000-000000000000"})
        assert unknown.status_code == 422, unknown.text
        assert "unknown_rate_plan" in unknown.text
        plan = await operator.post("/v1/plans", json={
            "name": "UK Home", "currency": "GBP", "recurring_fee": "10.00", "rate_plan_id": plan_id})
        assert plan.status_code == 201, plan.text
        assert plan.json()["rate_plan_id"] == plan_id
        account = await operator.post("/v1/accounts", json={
            "name": "Ada", "billing_email": "ada@example.org", "plan_id": plan.json()["plan_id"],
            "timezone": "Europe/London", "identities": [NUMBER]})
        assert account.status_code == 201, account.text
        account_id = account.json()["account_id"]

        batch = await operator.post("/v1/usage/batches", json={"records": [
            usage("call-1", "voice", "192", "second", attributes={"destination": "+442079460000"}),
            usage("sms-1", "sms", "1", "message", attributes={"destination": "+33612345678"}),
            usage("data-1", "data", "1500000000", "byte"),
            usage("call-x", "voice", "60", "second", attributes={"destination": "+99912345"}),
        ]})
        assert batch.json()["accepted"] == 4, batch.text

        async def rated() -> dict[str, Any]:
            response = await operator.get(f"/v1/accounts/{account_id}/rated-usage", params={
                "start": f"{YESTERDAY}T00:00:00Z", "end": f"{YESTERDAY + timedelta(days=1)}T00:00:00Z"})
            summaries = {s["service_type"]: s for s in response.json()["summaries"]}
            return summaries if len(summaries) == 3 else {}

        summaries = await eventually(rated)
        amounts = {kind: Decimal(s["amount"]["amount"]) for kind, s in summaries.items()}
        # 192 s to London: 120 s included in the allowance, 72 s charged in 60/60 steps = 2 min
        assert amounts == {"voice": Decimal("0.10"), "sms": Decimal("0.08"), "data": Decimal("7.5")}
        assert summaries["voice"]["quantity"] == "192"

        parts = (await operator.get(f"/v1/accounts/{account_id}/rated-records", params={
            "start": f"{YESTERDAY}T00:00:00Z", "end": f"{YESTERDAY + timedelta(days=1)}T00:00:00Z",
        })).json()["parts"]
        call = [p for p in parts if p["record_id"] == "call-1"]
        assert [(p["part"], p["allowance"], p["quantity"]) for p in call] == [
            (0, "national", "120"), (1, "", "72")]
        assert all(p["tariff_version"] == 3 and p["explanation"] for p in parts)
        unrated = (await operator.get("/v1/usage/unrated", params={"account_id": account_id})
                   ).json()["records"]
        assert [(u["record_id"], u["reason"]) for u in unrated] == [("call-x", "no_destination_rate")]

        quote = await operator.post(f"/v1/accounts/{account_id}/quote", json={
            "service_type": "voice", "quantity": "60", "destination": "+442079460000",
            "started_at": (NOON + timedelta(hours=1)).isoformat()})
        assert quote.status_code == 200, quote.text
        answer = quote.json()
        assert Decimal(answer["total"]["amount"]) == Decimal("0.06")
        assert answer["allowances"] == [{"name": "national", "before": "0", "after": "0"}]
        assert "United Kingdom London" in answer["parts"][0]["explanation"]
        period = {"period_start": str(YESTERDAY), "period_end": str(YESTERDAY + timedelta(days=1))}
        same = await operator.post(f"/v1/accounts/{account_id}/rerate", json=period)
        assert same.status_code == 200, same.text
        assert (same.json()["adjusted"], Decimal(same.json()["difference"])) == (0, 0)
        for table in body["voice"]:
            for rate in table["rates"]:
                if rate["prefix"] == "4420":
                    rate["per_minute"] = "0.10"
        v4 = await operator.post(f"/v1/rate-plans/{plan_id}/versions", json={
            "effective_from": first_day, "definition": body})
        assert v4.status_code in (200, 201), v4.text
        corrected = await operator.post(f"/v1/accounts/{account_id}/rerate", json=period)
        assert (corrected.json()["adjusted"], Decimal(corrected.json()["difference"])) == (
            1, Decimal("0.1"))
        again = await operator.post(f"/v1/accounts/{account_id}/rerate", json=period)
        assert again.json()["adjusted"] == 0
        summaries = await rated()
        assert Decimal(summaries["voice"]["amount"]["amount"]) == Decimal("0.20")
        backwards = await operator.post(f"/v1/accounts/{account_id}/rerate", json={
            "period_start": str(YESTERDAY), "period_end": str(YESTERDAY)})
        assert backwards.status_code == 422
        no_plan = await operator.post(f"/v1/accounts/{account_id}/quote", json={
            "service_type": "fax", "quantity": "1"})
        assert no_plan.status_code == 422
        await operator.aclose()
