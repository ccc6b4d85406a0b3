"""Account views over stand-in services: current-cycle usage, a customer's /v1/me and an agent's overview."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import grpc
import httpx
import pytest
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import dunning_pb2, payment_pb2
from billing.rating.v1 import rating_pb2
from billing.support.v1 import support_pb2

from kernel.clock import FixedClock
from services.gateway.app import create_app
from services.gateway.deps import Clients
from services.gateway.routes import overview
from tests.unit.gateway.gateway_fakes import TENANT, FakeKeys, FakeService, rpc_error

ACCOUNT = "00000000-0000-4000-8000-0000000000a1"
OTHER = "00000000-0000-4000-8000-0000000000b2"
CYCLE_START = "2026-02-28T00:00:00+00:00"
CYCLE_END = "2026-03-30T23:00:00+00:00"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
STAFF_ROLES = ("admin", "operator", "support", "auditor")


def gbp(amount: str) -> common_pb2.Money:
    """An amount of pounds on the wire."""
    return common_pb2.Money(amount=amount, currency="GBP")


def the_account(**changes: Any) -> invoice_pb2.Account:
    """The viewed account: London, cycle day 31, in its March cycle."""
    fields: dict[str, Any] = {
        "account_id": ACCOUNT, "name": "Home", "status": "active", "currency": "GBP",
        "timezone": "Europe/London", "bill_cycle_day": 31, "current_cycle_start": CYCLE_START,
        "current_cycle_end": CYCLE_END, **changes}
    return invoice_pb2.Account(**fields)


def invoice(number: int, status: str, due: str, account_id: str = ACCOUNT) -> invoice_pb2.Invoice:
    """An invoice of the account with an amount due."""
    return invoice_pb2.Invoice(
        invoice_id=f"inv-{number}", account_id=account_id, number=f"INV-{number:08}", status=status,
        period_start="2026-01-31", period_end="2026-02-28", issue_date="2026-02-28",
        due_date="2026-03-14", total=gbp("20.00"), amount_due=gbp(due))


def summaries() -> rating_pb2.SummarizeUsageResponse:
    """Voice and data rated so far."""
    return rating_pb2.SummarizeUsageResponse(summaries=[
        rating_pb2.UsageSummary(account_id=ACCOUNT, service_type="data", unit="megabyte",
                                quantity="1500", amount=gbp("1.500000"), record_count=2),
        rating_pb2.UsageSummary(account_id=ACCOUNT, service_type="voice", unit="minute",
                                quantity="12", amount=gbp("0.240001"), record_count=3),
    ])


def the_query() -> support_pb2.Query:
    """An open query disputing part of an invoice line, not answered in time."""
    return support_pb2.Query(
        query_id="q-1", account_id=ACCOUNT, invoice_id="inv-1", line_index=2, category="wrong_amount",
        subject="Roaming charge", state="open", opened_at="2026-03-09T09:00:00+00:00",
        respond_by="2026-03-10T09:00:00+00:00", overdue=True, disputed_amount=gbp("4.00"),
        comment_count=1)


@dataclass
class Backends:
    """Stand-ins of every service a view asks, answering for the account above."""

    invoice: FakeService = field(default_factory=lambda: FakeService(
        GetAccount=the_account(),
        ListInvoices=invoice_pb2.ListInvoicesResponse(invoices=[
            invoice(1, "paid", "0.00"), invoice(2, "overdue", "20.00"),
            invoice(3, "partially_paid", "7.50"), invoice(4, "void", "0.00"),
            invoice(5, "issued", "0.00")])))
    rating: FakeService = field(default_factory=lambda: FakeService(
        SummarizeUsage=summaries(),
        CountUnratedRecords=rating_pb2.CountUnratedRecordsResponse(
            by_reason={"no_destination_rate": 2, "no_tariff_for_service_type": 1}, total=3)))
    payment: FakeService = field(default_factory=lambda: FakeService(
        GetLedger=payment_pb2.Ledger(account_id=ACCOUNT, balance=gbp("22.50"), credit=gbp("5.00"),
                                     payments_in_flight=["pay-9"]),
        ListPayments=payment_pb2.ListPaymentsResponse(payments=[
            payment_pb2.Payment(payment_id="pay-1", invoice_id="inv-3", account_id=ACCOUNT,
                                amount=gbp("12.50"), status="succeeded", method="card",
                                created_at="2026-03-02T10:00:00+00:00")])))
    dunning: FakeService | None = field(default_factory=lambda: FakeService(GetDunning=dunning_pb2.Dunning(
        account_id=ACCOUNT, episode=1, status="open", started_on="2026-03-15",
        oldest_due_date="2026-03-14", reminder_steps=[1],
        retries=[dunning_pb2.DunningRetry(step=1, payment_id="pay-2", amount=gbp("20.00"))])))
    support: FakeService | None = field(default_factory=lambda: FakeService(
        ListQueries=support_pb2.ListQueriesResponse(queries=[the_query()])))

    def client(self, role: str, at: datetime = NOW) -> httpx.AsyncClient:
        """A client of the gateway over these services, with a role's key, at an instant."""
        clients = Clients(usage=FakeService(), rating=self.rating, invoice=self.invoice,
                          payment=self.payment, notify=FakeService(), timeout=5,
                          bill_run_timeout=5, dunning=self.dunning, support=self.support)
        app = create_app(clients, FakeKeys())  # type: ignore[arg-type]
        app.dependency_overrides[overview.gateway_clock] = lambda: FixedClock(at)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                                 headers={"Authorization": f"Bearer {role}"})


async def test_current_cycle_usage_sums_rated_usage_and_counts_unrated_records_of_the_cycle() -> None:
    backends = Backends()
    async with backends.client("support") as api:
        response = await api.get(f"/v1/accounts/{ACCOUNT}/usage/current-cycle")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "account_id": ACCOUNT, "cycle_start": CYCLE_START, "cycle_end": CYCLE_END,
        "as_of": "2026-03-10T12:00:00+00:00", "currency": "GBP",
        "services": [
            {"service_type": "data", "unit": "megabyte", "quantity": "1500", "record_count": 2,
             "amount": {"amount": "1.500000", "currency": "GBP"}},
            {"service_type": "voice", "unit": "minute", "quantity": "12", "record_count": 3,
             "amount": {"amount": "0.240001", "currency": "GBP"}}],
        "total": {"amount": "1.740001", "currency": "GBP"},
        "unrated": {"count": 3, "reasons": {"no_destination_rate": 2, "no_tariff_for_service_type": 1}},
    }
    (asked,) = backends.rating.requests["SummarizeUsage"]
    assert (asked.tenant_id, list(asked.account_ids)) == (str(TENANT), [ACCOUNT])
    assert asked.period_start.ToDatetime(tzinfo=UTC) == datetime.fromisoformat(CYCLE_START)
    assert asked.period_end.ToDatetime(tzinfo=UTC) == NOW
    (counted,) = backends.rating.requests["CountUnratedRecords"]
    assert (counted.tenant_id, counted.account_id) == (str(TENANT), ACCOUNT)
    assert counted.period_start.ToDatetime(tzinfo=UTC) == datetime.fromisoformat(CYCLE_START)
    assert counted.period_end.ToDatetime(tzinfo=UTC) == NOW


async def test_a_clock_past_the_cycle_end_reads_usage_up_to_the_end_only() -> None:
    backends = Backends()
    late = datetime(2026, 3, 31, 0, 0, 1, tzinfo=UTC)
    async with backends.client("auditor", at=late) as api:
        body = (await api.get(f"/v1/accounts/{ACCOUNT}/usage/current-cycle")).json()
    assert body["as_of"] == CYCLE_END
    (asked,) = backends.rating.requests["SummarizeUsage"]
    assert asked.period_end.ToDatetime(tzinfo=UTC) == datetime.fromisoformat(CYCLE_END)


async def test_at_the_first_instant_of_a_cycle_nothing_is_rated_yet() -> None:
    backends = Backends()
    async with backends.client("admin", at=datetime.fromisoformat(CYCLE_START)) as api:
        body = (await api.get(f"/v1/accounts/{ACCOUNT}/usage/current-cycle")).json()
    assert (body["services"], body["total"]) == ([], {"amount": "0", "currency": "GBP"})
    assert "SummarizeUsage" not in backends.rating.requests


async def test_current_cycle_usage_of_an_unknown_or_malformed_account_asks_no_rating() -> None:
    missing = Backends(invoice=FakeService(GetAccount=rpc_error(grpc.StatusCode.NOT_FOUND, "no account")))
    malformed = Backends(invoice=FakeService(GetAccount=rpc_error(
        grpc.StatusCode.INVALID_ARGUMENT, "account_id: not a valid id", "account_id", "not a valid id")))
    async with missing.client("operator") as api:
        assert (await api.get(f"/v1/accounts/{OTHER}/usage/current-cycle")).status_code == 404
    async with malformed.client("operator") as api:
        response = await api.get("/v1/accounts/not-an-id/usage/current-cycle")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "account_id", "reason": "not a valid id"}]
    assert missing.rating.requests == {} and malformed.rating.requests == {}


async def test_an_account_without_its_cycle_is_answered_unavailable_not_guessed() -> None:
    backends = Backends(invoice=FakeService(GetAccount=the_account(current_cycle_start="",
                                                                   current_cycle_end="")))
    async with backends.client("operator") as api:
        response = await api.get(f"/v1/accounts/{ACCOUNT}/usage/current-cycle")
        view = (await api.get(f"/v1/accounts/{ACCOUNT}/overview")).json()
    assert response.status_code == 503
    assert view["current_cycle_usage"] == {
        "unavailable": "the invoice service did not say the account's current cycle"}


async def test_a_customer_sees_their_own_current_cycle_usage() -> None:
    backends = Backends()
    async with backends.client(f"customer:{ACCOUNT}") as api:
        response = await api.get(f"/v1/accounts/{ACCOUNT}/usage/current-cycle")
    assert response.status_code == 200
    assert response.json()["total"] == {"amount": "1.740001", "currency": "GBP"}


async def test_me_gives_the_customer_every_section_of_their_own_account() -> None:
    backends = Backends()
    async with backends.client(f"customer:{ACCOUNT}") as api:
        response = await api.get("/v1/me")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["account_id"], body["as_of"]) == (ACCOUNT, "2026-03-10T12:00:00+00:00")
    assert body["account"] == {
        "account_id": ACCOUNT, "name": "Home", "status": "active", "currency": "GBP",
        "timezone": "Europe/London", "bill_cycle_day": 31, "parent_account_id": None,
        "current_cycle": {"start": CYCLE_START, "end": CYCLE_END}}
    assert body["balance"] == {"balance": {"amount": "22.50", "currency": "GBP"},
                               "credit": {"amount": "5.00", "currency": "GBP"},
                               "payments_in_flight": ["pay-9"]}
    invoices = body["open_invoices"]["invoices"]
    assert [(i["number"], i["status"], i["amount_due"]["amount"]) for i in invoices] == [
        ("INV-00000002", "overdue", "20.00"), ("INV-00000003", "partially_paid", "7.50")]
    assert body["open_invoices"]["amount_due"] == {"amount": "27.50", "currency": "GBP"}
    assert body["open_invoices"]["invoices"][0]["links"] == {
        "self": {"href": "/v1/invoices/inv-2", "method": "GET"},
        "pdf": {"href": "/v1/invoices/inv-2.pdf", "method": "GET"},
        "pay": {"href": "/v1/payments", "method": "POST"}}
    [payment] = body["recent_payments"]["payments"]
    assert (payment["payment_id"], payment["amount"], payment["refunded"]) == (
        "pay-1", {"amount": "12.50", "currency": "GBP"}, None)
    [query] = body["open_queries"]["queries"]
    assert (query["query_id"], query["state"], query["overdue"], query["line_index"],
            query["disputed_amount"], query["comment_count"]) == (
        "q-1", "open", True, 2, {"amount": "4.00", "currency": "GBP"}, 1)
    assert body["open_queries"]["more"] is False
    assert body["current_cycle_usage"]["total"] == {"amount": "1.740001", "currency": "GBP"}
    assert body["dunning"] == {"status": "open", "episode": 1, "started_on": "2026-03-15",
                               "oldest_due_date": "2026-03-14", "reminder_steps": [1], "retries": 1,
                               "late_fee": None, "suspended": False}
    assert body["links"]["self"] == {"href": "/v1/me", "method": "GET"}
    assert body["links"]["open_query"] == {"href": "/v1/queries", "method": "POST"}
    assert body["links"]["pay"] == {"href": "/v1/payments", "method": "POST"}


async def test_every_backend_is_asked_for_the_callers_tenant_and_the_account_only() -> None:
    backends = Backends()
    async with backends.client(f"customer:{ACCOUNT}") as api:
        assert (await api.get("/v1/me")).status_code == 200
    services = [backends.invoice, backends.rating, backends.payment, backends.dunning, backends.support]
    asked = [request for s in services if s for calls in s.requests.values() for request in calls]
    assert len(asked) == 8
    assert {r.tenant_id for r in asked} == {str(TENANT)}
    assert {getattr(r, "account_id", None) or r.account_ids[0] for r in asked} == {ACCOUNT}
    (payments,) = backends.payment.requests["ListPayments"]
    assert payments.page_size == 10
    (queries,) = backends.support.requests["ListQueries"] if backends.support else []
    assert (list(queries.states), queries.as_of) == (["open", "awaiting_customer"], NOW.isoformat())


@pytest.mark.parametrize("role", STAFF_ROLES)
async def test_me_is_refused_to_staff_keys(role: str) -> None:
    async with Backends().client(role) as api:
        response = await api.get("/v1/me")
    assert response.status_code == 403
    assert "overview" in response.json()["detail"]


@pytest.mark.parametrize("role", STAFF_ROLES)
async def test_every_staff_role_gets_the_overview_with_its_own_links(role: str) -> None:
    async with Backends().client(role) as api:
        response = await api.get(f"/v1/accounts/{ACCOUNT}/overview")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["links"]["self"]["href"] == f"/v1/accounts/{ACCOUNT}/overview"
    assert all("unavailable" not in body[name] for name in (
        "balance", "open_invoices", "recent_payments", "open_queries", "current_cycle_usage", "dunning"))


async def test_the_overview_is_not_for_customers_even_of_their_own_account() -> None:
    async with Backends().client(f"customer:{ACCOUNT}") as api:
        assert (await api.get(f"/v1/accounts/{ACCOUNT}/overview")).status_code == 403


async def test_an_unknown_account_or_another_tenants_is_not_found_and_nothing_else_is_asked() -> None:
    backends = Backends(invoice=FakeService(GetAccount=rpc_error(grpc.StatusCode.NOT_FOUND, "no account")))
    async with backends.client("support") as api:
        response = await api.get(f"/v1/accounts/{OTHER}/overview")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert list(backends.invoice.requests) == ["GetAccount"]
    assert backends.payment.requests == {} and backends.rating.requests == {}


async def test_a_failing_service_blanks_only_its_own_sections() -> None:
    down = rpc_error(grpc.StatusCode.UNAVAILABLE, "connection refused to 10.0.0.7:50054")
    slow = rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded")
    backends = Backends(payment=FakeService(GetLedger=down, ListPayments=down),
                        rating=FakeService(SummarizeUsage=slow, ListUnratedRecords=slow),
                        support=FakeService(ListQueries=rpc_error(grpc.StatusCode.INTERNAL, "boom")))
    async with backends.client("support") as api:
        response = await api.get(f"/v1/accounts/{ACCOUNT}/overview")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["balance"] == {"unavailable": "the payment service is unavailable"}
    assert body["recent_payments"] == {"unavailable": "the payment service is unavailable"}
    assert body["current_cycle_usage"] == {"unavailable": "the rating service did not answer in time"}
    assert body["open_queries"] == {"unavailable": "the support service failed (internal)"}
    assert body["open_invoices"]["amount_due"] == {"amount": "27.50", "currency": "GBP"}
    assert body["dunning"]["status"] == "open"
    assert "10.0.0.7" not in response.text


async def test_without_support_or_dunning_clients_those_sections_say_so() -> None:
    backends = Backends(support=None, dunning=None)
    async with backends.client(f"customer:{ACCOUNT}") as api:
        body = (await api.get("/v1/me")).json()
    assert body["open_queries"] == {"unavailable": "the support service is not configured"}
    assert body["dunning"] == {"unavailable": "dunning is not configured"}
    assert body["balance"]["credit"] == {"amount": "5.00", "currency": "GBP"}


class Gathering(FakeService):
    """A stand-in whose calls all wait until `expected` calls are in flight at once."""

    def __init__(self, barrier: asyncio.Barrier, **answers: Any) -> None:
        super().__init__(**answers)
        self.barrier = barrier

    def __getattr__(self, name: str) -> Any:
        answer = super().__getattr__(name)

        async def call(request: Any, timeout: float | None = None) -> Any:
            if name != "GetAccount":
                await self.barrier.wait()
            return await answer(request, timeout)

        return call


async def test_the_services_are_asked_concurrently() -> None:
    barrier = asyncio.Barrier(7)
    defaults = Backends()
    backends = Backends(**{name: Gathering(barrier, **getattr(defaults, name).answers)
                           for name in ("invoice", "rating", "payment", "dunning", "support")})
    async with backends.client("operator") as api:
        response = await asyncio.wait_for(api.get(f"/v1/accounts/{ACCOUNT}/overview"), timeout=30)
    assert response.status_code == 200
    assert all("unavailable" not in section for section in response.json().values()
               if isinstance(section, dict))


async def test_the_views_are_documented_in_the_openapi_schema() -> None:
    async with Backends().client("operator") as api:
        schema = (await api.get("/openapi.json")).json()
    assert {"/v1/me", "/v1/accounts/{account_id}/overview",
            "/v1/accounts/{account_id}/usage/current-cycle"} <= set(schema["paths"])
    view = schema["components"]["schemas"]["AccountView"]
    assert set(view["required"]) >= {"account", "balance", "open_invoices", "recent_payments",
                                      "open_queries", "current_cycle_usage", "dunning", "links"}
