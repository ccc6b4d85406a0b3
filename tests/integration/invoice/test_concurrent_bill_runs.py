"""Bill runs racing each other on real PostgreSQL: one invoice per account and period, gapless numbers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg
import pytest
from pydantic import ValidationError

from devstack.bench.billing import BILL_DATE, open_accounts
from kernel.clock import FixedClock
from kernel.database import eventsourcing_env
from services.invoice.application import InvoiceApplication
from services.invoice.bill_runs import MAX_SAVE_BATCH, SAVE_BATCH, BillRunner
from services.invoice.directory import Directory
from services.invoice.domain.cycles import period_ending
from services.invoice.domain.invoices import Invoice
from services.invoice.rating_client import GroupCheck, Selection, UsageGroup
from services.invoice.settings import Settings

ACCOUNTS = 130


class NoUsage:
    """Rating with nothing rated (usage is not what these tests are about)."""

    async def cut(self, tenant_id: UUID) -> int:
        return 0

    async def summarize(self, tenant_id: UUID, selections: list[Selection]) -> list[UsageGroup]:
        return []

    async def rederive(self, tenant_id: UUID, selection: Selection) -> list[GroupCheck]:
        return []


class NumberTakenMeanwhile(NoUsage):
    """Rating with nothing rated; while the run sums its first chunk's usage (it has read the
    tenant's numbering and saved nothing yet), another writer takes the next invoice number."""

    def __init__(self, database_url: str, tenant_id: UUID) -> None:
        self.other = InvoiceApplication(env=eventsourcing_env(database_url, "invoice"))
        self.tenant_id = tenant_id
        self.taken = False

    async def summarize(self, tenant_id: UUID, selections: list[Selection]) -> list[UsageGroup]:
        if not self.taken:
            numbering = self.other.numbering(self.tenant_id)
            numbering.allocate(1)
            self.other.save(numbering)
            self.taken = True
        return []


def runner(
    database_url: str, pool: asyncpg.Pool, batch_size: int, usage: NoUsage | None = None
) -> tuple[BillRunner, InvoiceApplication]:
    app = InvoiceApplication(env=eventsourcing_env(database_url, "invoice"))
    clock = FixedClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    return BillRunner(app, Directory(app, pool), usage or NoUsage(), clock,
                      batch_size=batch_size), app


async def test_two_racing_runs_bill_each_account_once_with_gapless_numbers(
    database_url: str, pool: asyncpg.Pool
) -> None:
    first, app = runner(database_url, pool, batch_size=7)
    second, other_app = runner(database_url, pool, batch_size=11)
    tenant_id = uuid4()
    plan = app.create_plan(tenant_id, "Basic", "EUR", "5.00", [])
    ids = await asyncio.to_thread(open_accounts, database_url, tenant_id, plan.id, ACCOUNTS)

    runs = await asyncio.gather(first.run(tenant_id, BILL_DATE.isoformat()),
                                second.run(tenant_id, BILL_DATE.isoformat()))

    invoices = [app.get_invoice(tenant_id, invoice_id(tenant_id, account_id)) for account_id in ids]
    assert await drafted_invoices(pool) == ACCOUNTS
    numbers = sorted(int(i.number[-8:]) for i in invoices)
    assert numbers == list(range(1, ACCOUNTS + 1))
    assert {run.id for run in runs} == {runs[0].id}
    final = app.get_bill_run(tenant_id, runs[0].id)
    assert final.status == "completed"
    assert app.numbering(tenant_id).last_number == ACCOUNTS
    app.close()
    other_app.close()


async def test_a_number_taken_by_another_writer_is_skipped_and_the_run_carries_on_after_it(
    database_url: str, pool: asyncpg.Pool
) -> None:
    tenant_id = uuid4()
    meanwhile = NumberTakenMeanwhile(database_url, tenant_id)
    bill_runner, app = runner(database_url, pool, batch_size=10, usage=meanwhile)
    plan = app.create_plan(tenant_id, "Basic", "EUR", "5.00", [])
    ids = await asyncio.to_thread(open_accounts, database_url, tenant_id, plan.id, 45)

    run = await bill_runner.run(tenant_id, BILL_DATE.isoformat())

    invoices = [app.get_invoice(tenant_id, invoice_id(tenant_id, account_id)) for account_id in ids]
    assert sorted(int(i.number[-8:]) for i in invoices) == list(range(2, 47))
    assert run.invoices_created == 45
    assert await drafted_invoices(pool) == 45
    assert app.numbering(tenant_id).last_number == 46
    meanwhile.other.close()
    app.close()


async def test_a_run_started_again_bills_nothing_twice(database_url: str, pool: asyncpg.Pool) -> None:
    bill_runner, app = runner(database_url, pool, batch_size=25)
    tenant_id = uuid4()
    plan = app.create_plan(tenant_id, "Basic", "EUR", "5.00", [])
    await asyncio.to_thread(open_accounts, database_url, tenant_id, plan.id, 40)
    await bill_runner.run(tenant_id, BILL_DATE.isoformat())

    again = await bill_runner.run(tenant_id, BILL_DATE.isoformat())

    assert again.invoices_created == 40
    assert again.invoices_already_present == 40
    assert await drafted_invoices(pool) == 40
    assert app.numbering(tenant_id).last_number == 40
    app.close()


async def test_the_largest_save_a_run_may_make_completes(database_url: str, pool: asyncpg.Pool) -> None:
    bill_runner, app = runner(database_url, pool, batch_size=MAX_SAVE_BATCH)
    tenant_id = uuid4()
    plan = app.create_plan(tenant_id, "Basic", "EUR", "5.00", [])
    await asyncio.to_thread(open_accounts, database_url, tenant_id, plan.id, MAX_SAVE_BATCH)

    run = await asyncio.wait_for(bill_runner.run(tenant_id, BILL_DATE.isoformat()), 120)

    saves = [e for e in app.events.get(run.id) if type(e).__name__ == "BatchBilled"]
    assert [e.invoices_created for e in saves] == [MAX_SAVE_BATCH]
    assert app.numbering(tenant_id).last_number == MAX_SAVE_BATCH
    app.close()


def test_a_save_larger_than_the_bound_is_refused_at_start_up() -> None:
    urls = {"database_url": "postgresql://db", "nats_url": "nats://nats"}
    assert Settings(**urls).bill_run_batch_size == SAVE_BATCH
    with pytest.raises(ValidationError, match="bill_run_batch_size"):
        Settings(**urls, bill_run_batch_size=MAX_SAVE_BATCH + 1)


def invoice_id(tenant_id: UUID, account_id: UUID) -> UUID:
    """The id of the account's invoice for October (derived, as the bill run derives it)."""
    period = period_ending(BILL_DATE, 1)
    return Invoice.create_id(tenant_id, account_id, period.start, period.end)


async def drafted_invoices(pool: asyncpg.Pool) -> int:
    """How many invoices the store holds (each test has a database of its own)."""
    count: int = await pool.fetchval(
        "SELECT count(*) FROM invoice.invoiceapplication_events WHERE topic LIKE '%Invoice.Drafted'")
    return count
