"""The gateway's dunning routes over stand-in services: bodies, roles, errors."""

from __future__ import annotations

from uuid import uuid4

import grpc
import httpx
from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import dunning_pb2

from services.gateway.app import create_app
from services.gateway.deps import Clients
from tests.unit.gateway.gateway_fakes import TENANT, FakeKeys, FakeService, rpc_error

POLICY = {"reminder_days": [1, 7, 14], "retry_days": [3, 10], "suspend_after_days": 21,
          "late_fee": {"percent": "2.5", "fixed": {"GBP": "5.00"}, "after_days": 10}}


def gateway(dunning: FakeService | None, invoice: FakeService | None = None,
            role: str = "operator") -> httpx.AsyncClient:
    """A client of the gateway whose payment service answers dunning calls from a stand-in."""
    clients = Clients(usage=FakeService(), rating=FakeService(), invoice=invoice or FakeService(),
                      payment=FakeService(), notify=FakeService(), timeout=5, bill_run_timeout=5,
                      dunning=dunning)
    app = create_app(clients, FakeKeys())  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                             headers={"Authorization": f"Bearer {role}"})


async def test_a_policy_is_sent_for_the_callers_tenant_and_answered_with_nulls_for_none() -> None:
    dunning = FakeService(ConfigureDunningPolicy=dunning_pb2.DunningPolicy(reminder_days=[1, 7, 14]))
    async with gateway(dunning) as client:
        response = await client.put("/v1/dunning-policy", json=POLICY)
    assert response.status_code == 200
    assert response.json() == {"reminder_days": [1, 7, 14], "retry_days": [], "is_default": False,
                                "late_fee": None, "suspend_after_days": None}
    (request,) = dunning.requests["ConfigureDunningPolicy"]
    assert request.tenant_id == str(TENANT)
    assert (list(request.reminder_days), list(request.retry_days), request.suspend_after_days) == (
        [1, 7, 14], [3, 10], 21)
    assert (request.late_fee.percent, dict(request.late_fee.fixed), request.late_fee.after_days) == (
        "2.5", {"GBP": "5.00"}, 10)


async def test_never_suspending_without_a_fee_sends_neither() -> None:
    dunning = FakeService(ConfigureDunningPolicy=dunning_pb2.DunningPolicy())
    body: dict[str, object] = {"reminder_days": [], "retry_days": [], "suspend_after_days": None}
    async with gateway(dunning) as client:
        assert (await client.put("/v1/dunning-policy", json=body)).status_code == 200
    (request,) = dunning.requests["ConfigureDunningPolicy"]
    assert not request.HasField("late_fee") and not request.HasField("suspend_after_days")


async def test_malformed_policies_are_refused_naming_the_field_without_calling_the_service() -> None:
    dunning = FakeService()
    cases = [
        ({**POLICY, "reminder_days": [0, 7]}, "reminder_days[0]"),
        ({**POLICY, "retry_days": ["3"]}, "retry_days[0]"),
        ({**POLICY, "late_fee": {"percent": "2,5", "after_days": 3}}, "late_fee.percent"),
        ({**POLICY, "late_fee": {"fixed": {"gbp": "5"}, "after_days": 3}}, "late_fee.fixed.gbp.[key]"),
        ({**POLICY, "reminder_days": list(range(1, 12))}, "reminder_days"),
        ({"reminder_days": [1], "retry_days": []}, "suspend_after_days"),
        ({**POLICY, "grace_days": 3}, "grace_days"),
    ]
    async with gateway(dunning) as client:
        for body, field in cases:
            response = await client.put("/v1/dunning-policy", json=body)
            assert response.status_code == 422, body
            assert field in [error["field"] for error in response.json()["errors"]], response.json()
    assert dunning.requests == {}


async def test_the_services_field_violation_is_answered_as_a_422_naming_the_field() -> None:
    violation = rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "reminder_days[1]: must_increase",
                          "reminder_days[1]", "must_increase")
    async with gateway(FakeService(ConfigureDunningPolicy=violation)) as client:
        response = await client.put("/v1/dunning-policy", json={**POLICY, "reminder_days": [7, 1]})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "reminder_days[1]", "reason": "must_increase"}]


async def test_only_admins_and_operators_change_the_policy_or_run_dunning() -> None:
    async with gateway(FakeService(), role="support") as client:
        assert (await client.put("/v1/dunning-policy", json=POLICY)).status_code == 403
        assert (await client.post("/v1/dunning-runs", json={})).status_code == 403


async def test_staff_read_the_policy() -> None:
    dunning = FakeService(GetDunningPolicy=dunning_pb2.DunningPolicy(
        reminder_days=[1, 7, 14], retry_days=[3, 10], suspend_after_days=21, is_default=True))
    async with gateway(dunning, role="auditor") as client:
        response = await client.get("/v1/dunning-policy")
    assert response.status_code == 200
    assert response.json() == {"reminder_days": [1, 7, 14], "retry_days": [3, 10], "is_default": True,
                                "suspend_after_days": 21, "late_fee": None}


async def test_a_customer_reads_the_dunning_of_their_own_account_only() -> None:
    account = str(uuid4())
    dunning = FakeService(GetDunning=dunning_pb2.Dunning(account_id=account, episode=1, status="open"))
    invoice = FakeService(GetAccount=invoice_pb2.Account(account_id=account))
    async with gateway(dunning, invoice, role=f"customer:{account}") as client:
        own = await client.get(f"/v1/accounts/{account}/dunning")
        other = await client.get(f"/v1/accounts/{uuid4()}/dunning")
    assert own.status_code == 200
    assert (own.json()["episode"], own.json()["status"], own.json()["late_fee"]) == (1, "open", None)
    assert other.status_code == 404
    assert len(dunning.requests["GetDunning"]) == 1


async def test_another_tenants_account_is_not_found() -> None:
    invoice = FakeService(GetAccount=rpc_error(grpc.StatusCode.NOT_FOUND, "account not found"))
    dunning = FakeService()
    async with gateway(dunning, invoice) as client:
        response = await client.get(f"/v1/accounts/{uuid4()}/dunning")
    assert response.status_code == 404
    assert dunning.requests == {}


async def test_a_run_is_for_the_callers_tenant_on_the_date_asked() -> None:
    run = dunning_pb2.DunningRun(date="2026-03-10", accounts=2, actions={"reminded": 2})
    dunning = FakeService(RunDunning=run)
    async with gateway(dunning) as client:
        response = await client.post("/v1/dunning-runs", json={"date": "2026-03-10"})
        today = await client.post("/v1/dunning-runs")
        bad = await client.post("/v1/dunning-runs", json={"date": "10/03/2026"})
    assert response.status_code == 200
    assert response.json() == {"date": "2026-03-10", "accounts": 2, "actions": {"reminded": 2},
                               "failures": []}
    assert today.status_code == 200
    assert bad.status_code == 422
    assert [(r.tenant_id, r.date) for r in dunning.requests["RunDunning"]] == [
        (str(TENANT), "2026-03-10"), (str(TENANT), "")]


async def test_without_a_dunning_client_the_routes_answer_503() -> None:
    async with gateway(None) as client:
        response = await client.get("/v1/dunning-policy")
    assert response.status_code == 503
