"""Dunning against real PostgreSQL: the payment event store, the dunning_cases table, the gRPC API.

The ledger, collections and account control are stand-ins: they are ports to other components.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import grpc
import pytest
from billing.payment.v1 import dunning_pb2, dunning_pb2_grpc

from kernel import database, messaging, outbox
from kernel.clock import FixedClock
from kernel.grpc import GrpcServer, field_violation
from kernel.ids import derived_id
from kernel.money import Money
from services.payment.application import PaymentApplication
from services.payment.domain.dunning import Dunning
from services.payment.domain.dunning_policy import DunningTerms, LateFee
from services.payment.dunning import DunningRuns
from services.payment.dunning_cases import DunningCases, dunning_ddl
from services.payment.dunning_store import DunningStore
from services.payment.grpc_dunning import DunningServicer
from tests.unit.payment.dunning_fakes import FakeAccountControl, FakeCollections, FakeLedger

SCHEMA = "payment"
DUE = date(2026, 3, 2)
POLICY = DunningTerms(reminder_days=(1, 7), retry_days=(3,),
                      late_fee=LateFee(None, {"EUR": Money.of("5.00", "EUR")}, 10), suspend_after_days=14)


def day(n: int) -> date:
    """n days after the due date."""
    return DUE + timedelta(days=n)


@dataclass
class DunningStack:
    """The payment event store and dunning tables on a fresh database, with stand-in ports."""

    database_url: str
    pool: asyncpg.Pool
    app: PaymentApplication
    ledger: FakeLedger
    collections: FakeCollections
    accounts: FakeAccountControl
    runs: DunningRuns

    def restart(self) -> None:
        """A new application object and use case over the same database (a restarted service)."""
        self.app.close()
        self.app = PaymentApplication(database.eventsourcing_env(self.database_url, SCHEMA))
        self.runs = build_runs(self.app, self.pool, self.ledger, self.collections, self.accounts)

    def events(self, tenant_id: UUID, account_id: UUID) -> list[Any]:
        """The account's stored dunning events."""
        return list(self.app.events.get(Dunning.create_id(tenant_id, account_id)))

    def event_count(self) -> int:
        """How many events the payment application ever stored."""
        return len(self.app.notification_log.select(1, self.app.log_section_size))


def build_runs(
    app: PaymentApplication, pool: asyncpg.Pool, ledger: FakeLedger, collections: FakeCollections,
    accounts: FakeAccountControl,
) -> DunningRuns:
    """The use case as main() wires it."""
    return DunningRuns(DunningStore(app), DunningCases(pool, SCHEMA), ledger, collections, accounts,
                       FixedClock(datetime(2026, 3, 20, 12, tzinfo=UTC)))


@pytest.fixture
async def stack(database_url: str) -> AsyncIterator[DunningStack]:
    """Dunning on a fresh database."""
    pool = await database.create_pool(database_url)
    await database.ensure_schema(pool, SCHEMA, outbox.relay_ddl(SCHEMA) + dunning_ddl(SCHEMA))
    app = await asyncio.to_thread(PaymentApplication, database.eventsourcing_env(database_url, SCHEMA))
    ledger = FakeLedger()
    collections, accounts = FakeCollections(ledger), FakeAccountControl()
    started = DunningStack(database_url, pool, app, ledger, collections, accounts,
                           build_runs(app, pool, ledger, collections, accounts))
    yield started
    await pool.close()
    await asyncio.to_thread(started.app.close)


def names(events: list[Any]) -> list[str]:
    """Event class names."""
    return [type(e).__name__ for e in events]


async def case_of(stack: DunningStack, tenant_id: UUID, account_id: UUID) -> tuple[int, str, bool]:
    """The account's dunning_cases row."""
    row = await stack.pool.fetchrow(
        "SELECT episode, state, suspended FROM payment.dunning_cases"
        " WHERE tenant_id = $1 AND account_id = $2", tenant_id, account_id)
    assert row is not None
    return row["episode"], row["state"], row["suspended"]


async def test_reminder_retry_fee_suspension_then_payment_restores_and_closes(stack: DunningStack) -> None:
    tenant, account = uuid4(), uuid4()
    await asyncio.to_thread(DunningStore(stack.app).configure, tenant, POLICY)
    stack.ledger.invoice(tenant, account, DUE, "80.00", number="INV-0042")
    stack.collections.methods.add((tenant, account))
    taken = {}
    for n in range(1, 16):
        if n == 8:
            stack.restart()
        report = await stack.runs.run_once(day(n))
        assert report.failures == []
        taken[n] = dict(report.actions)
        assert (await stack.runs.run_once(day(n))).actions == {}
    assert {n: actions for n, actions in taken.items() if actions} == {
        1: {"started": 1, "reminded": 1}, 3: {"retried": 1}, 7: {"reminded": 1},
        10: {"late_fee_charged": 1}, 14: {"suspended": 1},
    }
    dunning_id = Dunning.create_id(tenant, account)
    assert stack.collections.payments == {derived_id(dunning_id, 1, "retry", 1): Money.of("80.00", "EUR")}
    charge_id = derived_id(dunning_id, 1, "late-fee")
    assert stack.accounts.charges == {charge_id: (account, "Late payment fee (invoices INV-0042)",
                                                  Money.of("5.00", "EUR"))}
    assert stack.accounts.status(tenant, account) == "suspended"
    assert await case_of(stack, tenant, account) == (1, "open", True)

    stack.ledger.settle_all(tenant, account)
    outcome = await stack.runs.reconsider(tenant, account, day(15))

    assert outcome.taken == ["restored", "closed"]
    assert stack.accounts.status(tenant, account) == "active"
    assert await case_of(stack, tenant, account) == (1, "closed", False)
    assert names(stack.events(tenant, account)) == [
        "Created", "Started", "Reminded", "RetryAttempted", "Reminded", "LateFeeCharged", "Suspended",
        "Restored", "Closed"]
    assert (await stack.runs.run_once(day(20))).accounts == 0


async def test_an_open_episode_is_found_and_closed_when_the_account_is_no_longer_overdue(
    stack: DunningStack,
) -> None:
    tenant, account = uuid4(), uuid4()
    stack.ledger.invoice(tenant, account, DUE)
    await stack.runs.run_once(day(25))
    assert stack.accounts.status(tenant, account) == "suspended"
    stack.ledger.settle_all(tenant, account)
    assert await stack.ledger.overdue_on(day(26)) == []

    report = await stack.runs.run_once(day(26))

    assert report.actions == {"restored": 1, "closed": 1}
    assert stack.accounts.status(tenant, account) == "active"
    stack.ledger.invoice(tenant, account, day(30))
    again = await stack.runs.run_once(day(31))
    assert again.actions == {"started": 1, "reminded": 1}
    assert stack.events(tenant, account)[-2].episode == 2
    assert await case_of(stack, tenant, account) == (2, "open", False)


async def test_a_case_row_never_goes_back_to_an_older_version(stack: DunningStack) -> None:
    tenant, account = uuid4(), uuid4()
    stack.ledger.invoice(tenant, account, DUE)
    await stack.runs.run_once(day(1))
    stack.ledger.settle_all(tenant, account)
    await stack.runs.run_once(day(2))
    older = Dunning(tenant_id=tenant, account_id=account)
    older.start(DUE, day(1))
    await DunningCases(stack.pool, SCHEMA).record(older)
    assert await case_of(stack, tenant, account) == (1, "closed", False)
    assert await DunningCases(stack.pool, SCHEMA).open_accounts(tenant) == []


async def test_dunning_events_are_published_on_their_nats_subjects(
    stack: DunningStack, nats_url: str
) -> None:
    tenant, account = uuid4(), uuid4()
    stack.ledger.invoice(tenant, account, DUE, "30.00")
    nc = await messaging.connect(nats_url, "dunning-test")
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    subscription = await js.subscribe("events.payment.Dunning.>")
    await stack.runs.run_once(day(21))
    relayed = await outbox.NotificationRelay("payment", stack.app, js, stack.pool, SCHEMA).relay_once()
    messages = [await subscription.next_msg(timeout=5) for _ in range(relayed)]
    await nc.drain()
    assert [m.subject for m in messages] == [
        "events.payment.Dunning.Created", "events.payment.Dunning.Started",
        "events.payment.Dunning.Reminded", "events.payment.Dunning.Suspended"]
    suspended = json.loads(messages[-1].data)
    invoice_ids = [str(i) for i in (await stack.ledger.position_of(tenant, account, day(21))).invoice_ids]
    assert (suspended["type"], suspended["tenant_id"]) == ("Dunning.Suspended", str(tenant))
    assert suspended["data"] == {"account_id": str(account), "episode": 1, "days_overdue": 21,
                                 "amount_overdue": {"amount": "30.00", "currency": "EUR"},
                                 "invoice_ids": invoice_ids}


@pytest.fixture
async def dunning_api(stack: DunningStack) -> AsyncIterator[dunning_pb2_grpc.DunningServiceStub]:
    """The DunningService on a free port (future runs refused, as in production)."""
    servicer = DunningServicer(DunningStore(stack.app), stack.runs, allow_future_runs=False)
    server = GrpcServer([(dunning_pb2_grpc.add_DunningServiceServicer_to_server, servicer,
                          "billing.payment.v1.DunningService")])
    channel = grpc.aio.insecure_channel(await server.start("127.0.0.1:0"))
    yield dunning_pb2_grpc.DunningServiceStub(channel)
    await channel.close(None)
    await server.stop(0)


async def rpc_error(call: Any) -> grpc.aio.AioRpcError:
    """The error an awaited call failed with."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    return caught.value


@pytest.mark.parametrize(("request_fields", "field", "reason"), [
    ({"reminder_days": [3, 3]}, "reminder_days[1]", "must_increase"),
    ({"retry_days": [400]}, "retry_days[0]", "must_be_between_1_and_365"),
    ({"late_fee": dunning_pb2.LateFee(percent="26", after_days=3)}, "late_fee.percent",
     "must_be_above_0_and_at_most_25"),
    ({"late_fee": dunning_pb2.LateFee(fixed={"EUR": "1.234"}, after_days=3)}, "late_fee.fixed.EUR",
     "too_many_decimal_places"),
    ({"suspend_after_days": 0}, "suspend_after_days", "must_be_between_1_and_365"),
    ({"tenant_id": "nope"}, "tenant_id", "not a valid id"),
])
async def test_an_invalid_policy_names_the_field_and_writes_nothing(
    stack: DunningStack, dunning_api: dunning_pb2_grpc.DunningServiceStub,
    request_fields: dict[str, Any], field: str, reason: str,
) -> None:
    tenant = str(uuid4())
    before = stack.event_count()
    error = await rpc_error(dunning_api.ConfigureDunningPolicy(
        dunning_pb2.ConfigureDunningPolicyRequest(**{"tenant_id": tenant, **request_fields})))
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field_violation(error) == {"field": field, "reason": reason}
    assert stack.event_count() == before
    if field != "tenant_id":
        policy = await dunning_api.GetDunningPolicy(dunning_pb2.GetDunningPolicyRequest(tenant_id=tenant))
        assert policy.is_default


async def test_the_api_configures_runs_and_reports_an_accounts_dunning(
    stack: DunningStack, dunning_api: dunning_pb2_grpc.DunningServiceStub
) -> None:
    tenant, account, other_tenant = uuid4(), uuid4(), uuid4()
    configured = await dunning_api.ConfigureDunningPolicy(dunning_pb2.ConfigureDunningPolicyRequest(
        tenant_id=str(tenant), reminder_days=[2], retry_days=[], suspend_after_days=5,
        late_fee=dunning_pb2.LateFee(percent="10", after_days=3)))
    assert (list(configured.reminder_days), configured.suspend_after_days, configured.late_fee.percent,
            configured.is_default) == ([2], 5, "10", False)
    stack.ledger.invoice(tenant, account, date(2026, 3, 10), "50.00")
    stack.ledger.invoice(other_tenant, uuid4(), date(2026, 3, 10), "50.00")

    future = await rpc_error(dunning_api.RunDunning(dunning_pb2.RunDunningRequest(
        tenant_id=str(tenant), date="2026-03-21")))
    run = await dunning_api.RunDunning(dunning_pb2.RunDunningRequest(tenant_id=str(tenant)))
    state = await dunning_api.GetDunning(dunning_pb2.GetDunningRequest(
        tenant_id=str(tenant), account_id=str(account)))
    elsewhere = await dunning_api.GetDunning(dunning_pb2.GetDunningRequest(
        tenant_id=str(other_tenant), account_id=str(account)))

    assert field_violation(future) == {"field": "date", "reason": "after_today"}
    assert (run.date, run.accounts, dict(run.actions)) == (
        "2026-03-20", 1, {"started": 1, "reminded": 1, "late_fee_charged": 1, "suspended": 1})
    assert (state.episode, state.status, state.started_on, state.oldest_due_date) == (
        1, "open", "2026-03-20", "2026-03-10")
    assert (list(state.reminder_steps), state.suspended) == ([1], True)
    assert (state.late_fee.amount.amount, state.late_fee.charge_id) == (
        "5.00", str(derived_id(Dunning.create_id(tenant, account), 1, "late-fee")))
    assert elsewhere.status == "none"
