"""Disputed amounts held out of dunning: support query events through real NATS into the payment service's
holds, read by the positions dunning runs on (real PostgreSQL); account control is a stand-in."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
from nats.js import JetStreamContext

from kernel import database, messaging, outbox
from kernel.clock import FixedClock
from kernel.eventstore import event_envelope, event_type
from kernel.money import Money
from services.payment.application import PaymentApplication
from services.payment.disputes import (
    QUERY_EVENTS_DURABLE,
    QUERY_EVENTS_SUBJECT,
    DisputeHolds,
    QueryEventsHandler,
)
from services.payment.domain.dunning_policy import DunningTerms, LateFee
from services.payment.domain.ledger import CustomerLedger
from services.payment.dunning import DunningRuns
from services.payment.dunning_cases import DunningCases, dunning_ddl
from services.payment.dunning_store import DunningStore
from services.payment.positions import DDL as POSITIONS_DDL
from services.payment.positions import Positions
from services.support.domain.actors import Actor
from services.support.domain.queries import Query
from services.support.domain.subjects import QueryRequest
from tests.unit.payment.dunning_fakes import FakeAccountControl, FakeCollections, FakeLedger

DUE = date(2026, 4, 15)
TERMS = DunningTerms(reminder_days=(1,), retry_days=(), suspend_after_days=None,
                     late_fee=LateFee(Decimal(10), {}, 1))
"""A reminder and a late fee of 10% of the undisputed amount, one day overdue."""
AGENT = Actor("support", "agent-key")


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


@dataclass
class HoldStack:
    """Payment storage, positions and dunning runs, and a NATS consumer of support query events."""

    app: PaymentApplication
    pool: asyncpg.Pool
    js: JetStreamContext
    positions: Positions
    runs: DunningRuns
    accounts: FakeAccountControl
    opened_holds: list[tuple[UUID, UUID]]
    published: int = 0

    async def publish(self, query: Query) -> None:
        """Relay the query's new events as the support service's outbox would."""
        for event in query.collect_events():
            self.published += 1
            envelope = event_envelope("support", self.published, event)
            await messaging.publish(self.js, f"events.support.{event_type(event)}",
                                    json.dumps(envelope).encode(), msg_id=envelope["id"])

    def invoice(self, tenant_id: UUID, total: str) -> tuple[UUID, UUID]:
        """A new account with one invoice due on DUE; (account, invoice)."""
        account_id, invoice_id = uuid4(), uuid4()
        ledger = CustomerLedger(tenant_id=tenant_id, account_id=account_id, currency="GBP")
        ledger.add_invoice(invoice_id, "INV-00000001", DUE - timedelta(days=14), DUE, gbp(total))
        self.app.save(ledger)
        return account_id, invoice_id

    async def disputed(self, tenant_id: UUID, account_id: UUID) -> Decimal:
        """The account's disputed overdue amount as dunning sees it."""
        position = await self.positions.position_of(tenant_id, account_id, DUE + timedelta(days=1))
        return sum((i.disputed.amount for i in position.invoices), Decimal(0))

    def late_fee_of(self, account_id: UUID) -> Money | None:
        """The late fee dunning charged the account, if any."""
        fees = [amount for account, _, amount in self.accounts.charges.values() if account == account_id]
        return fees[0] if fees else None


def dispute(tenant_id: UUID, account_id: UUID, invoice_id: UUID, amount: str | None) -> Query:
    """A query on the invoice disputing the amount (or nothing)."""
    request = QueryRequest(
        tenant_id=tenant_id, request_id=str(uuid4()), opened_by=Actor("customer", str(account_id)),
        account_id=account_id, invoice_id=invoice_id, line_index=None, category="wrong_amount",
        subject="Too much", body="I disagree.", disputed_amount=gbp(amount) if amount else None)
    now = datetime.now(UTC)
    return Query.open(request, now, now + timedelta(hours=24))


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 20.0) -> Any:
    """Poll until check returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)
    return result


@pytest.fixture
async def holds(database_url: str, nats_url: str) -> AsyncIterator[HoldStack]:
    pool = await database.create_pool(database_url)
    await database.ensure_schema(pool, "payment",
                                 [*outbox.relay_ddl("payment"), *POSITIONS_DDL, *dunning_ddl("payment")])
    app = await asyncio.to_thread(PaymentApplication, database.eventsourcing_env(database_url, "payment"))
    nc = await messaging.connect(nats_url, "payment-holds-test")
    js = nc.jetstream()
    await messaging.ensure_stream(js, messaging.EVENTS_STREAM)
    positions = Positions(app, pool)
    accounts = FakeAccountControl()
    runs = DunningRuns(DunningStore(app), DunningCases(pool, "payment"), positions,
                       FakeCollections(FakeLedger()), accounts, FixedClock(datetime(2026, 4, 20, tzinfo=UTC)))
    opened: list[tuple[UUID, UUID]] = []

    async def hold_opened(tenant_id: UUID, account_id: UUID) -> None:
        opened.append((tenant_id, account_id))

    consumer = messaging.PullConsumer(js, messaging.EVENTS_STREAM, QUERY_EVENTS_DURABLE, QUERY_EVENTS_SUBJECT,
                                      QueryEventsHandler(DisputeHolds(pool), hold_opened))
    stopping = asyncio.Event()
    consuming = asyncio.create_task(consumer.run(stopping))
    yield HoldStack(app, pool, js, positions, runs, accounts, opened)
    stopping.set()
    await consuming
    await nc.drain()
    await pool.close()
    await asyncio.to_thread(app.close)


async def test_disputed_amounts_are_not_dunned_until_the_query_closes(holds: HoldStack) -> None:
    tenant = uuid4()
    await asyncio.to_thread(DunningStore(holds.app).configure, tenant, TERMS)
    whole_account, whole_invoice = holds.invoice(tenant, "100.00")
    part_account, part_invoice = holds.invoice(tenant, "80.00")
    asked_account, asked_invoice = holds.invoice(tenant, "50.00")
    whole = dispute(tenant, whole_account, whole_invoice, "100.00")
    await holds.publish(whole)
    await holds.publish(dispute(tenant, part_account, part_invoice, "30.00"))
    await holds.publish(dispute(tenant, asked_account, asked_invoice, None))
    assert await eventually(lambda: holds.disputed(tenant, part_account)) == Decimal("30.00")
    assert await eventually(lambda: holds.disputed(tenant, whole_account)) == Decimal("100.00")
    assert sorted(holds.opened_holds) == sorted([(tenant, whole_account), (tenant, part_account)])

    report = await holds.runs.run_once(DUE + timedelta(days=2), tenant)
    assert report.failures == []
    assert holds.late_fee_of(whole_account) is None
    assert holds.late_fee_of(part_account) == gbp("5.00")
    assert holds.late_fee_of(asked_account) == gbp("5.00")
    assert report.actions["started"] == 2

    whole.reject(AGENT, "The invoice is right.", datetime.now(UTC))
    await holds.publish(whole)

    async def released() -> bool:
        return await holds.disputed(tenant, whole_account) == 0

    await eventually(released)
    await holds.runs.run_once(DUE + timedelta(days=3), tenant)
    assert holds.late_fee_of(whole_account) == gbp("10.00")


async def test_a_redelivered_or_late_opening_never_reopens_a_released_hold(holds: HoldStack) -> None:
    tenant = uuid4()
    account, invoice = holds.invoice(tenant, "60.00")
    query = dispute(tenant, account, invoice, "60.00")
    opening = query.collect_events()
    query.reject(AGENT, "Duplicate of another query.", datetime.now(UTC))
    await holds.publish(query)
    holds.published += 10
    for event in opening:
        envelope = event_envelope("support", holds.published, event)
        await messaging.publish(holds.js, f"events.support.{event_type(event)}",
                                json.dumps(envelope).encode(), msg_id=envelope["id"])
    other_account, other_invoice = holds.invoice(tenant, "20.00")
    await holds.publish(dispute(tenant, other_account, other_invoice, "20.00"))
    assert await eventually(lambda: holds.disputed(tenant, other_account)) == Decimal("20.00")
    assert await holds.disputed(tenant, account) == 0
    row = await holds.pool.fetchrow("SELECT open, version FROM payment.dispute_holds WHERE query_id = $1",
                                    query.id)
    assert (row["open"], row["version"]) == (False, 2)
