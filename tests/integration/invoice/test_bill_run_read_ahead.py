"""A bill run of many chunks on real PostgreSQL: chunks are read ahead of the saves, at most
READ_AHEAD of them, and a read that fails stops the run without leaving reads behind."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg
import pytest

from devstack.bench.billing import BILL_DATE, open_accounts
from kernel.clock import FixedClock
from kernel.database import eventsourcing_env
from services.invoice import bill_runs
from services.invoice.application import InvoiceApplication
from services.invoice.bill_runs import READ_AHEAD, BillRunner
from services.invoice.directory import Directory
from services.invoice.rating_client import GroupCheck, Selection, UsageGroup

CHUNK = 4
ACCOUNTS = 15
"""Four chunks: three of CHUNK accounts and a last, shorter one."""


class CountedUsage:
    """Rating with nothing rated that notes, for each chunk's sums, how many chunks were saved by
    then. The sums of chunk `failing` fail, and those of later chunks never answer."""

    def __init__(self, failing: int | None = None) -> None:
        self.failing = failing
        self.accounts: list[UUID] = []
        self.saved_chunks = 0
        self.saved_when_read: dict[int, int] = {}

    def chunk_saved(self) -> None:
        self.saved_chunks += 1

    async def cut(self, tenant_id: UUID) -> int:
        return 0

    async def summarize(self, tenant_id: UUID, selections: list[Selection]) -> list[UsageGroup]:
        if not selections:
            return []
        chunk = self.accounts.index(selections[0].account_id) // CHUNK
        if self.failing is not None and chunk >= self.failing:
            if chunk == self.failing:
                raise RuntimeError("rating is down")
            await asyncio.Event().wait()
        self.saved_when_read[chunk] = self.saved_chunks
        return []

    async def rederive(self, tenant_id: UUID, selection: Selection) -> list[GroupCheck]:
        return []


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bill_runs, "READ_CHUNK", CHUNK)


def runner(database_url: str, pool: asyncpg.Pool, usage: CountedUsage
           ) -> tuple[BillRunner, InvoiceApplication]:
    """A runner saving each chunk in one batch, so a chunk saved is one call of on_saved."""
    app = InvoiceApplication(env=eventsourcing_env(database_url, "invoice"))
    clock = FixedClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    return BillRunner(app, Directory(app, pool), usage, clock, on_saved=usage.chunk_saved,
                      batch_size=CHUNK), app


async def test_chunks_are_read_at_most_read_ahead_chunks_before_their_save(
    database_url: str, pool: asyncpg.Pool
) -> None:
    usage = CountedUsage()
    bill_runner, app = runner(database_url, pool, usage)
    tenant_id = uuid4()
    plan = app.create_plan(tenant_id, "Basic", "EUR", "5.00", [])
    usage.accounts = sorted(
        await asyncio.to_thread(open_accounts, database_url, tenant_id, plan.id, ACCOUNTS))

    run = await bill_runner.run(tenant_id, BILL_DATE.isoformat())

    assert run.invoices_created == ACCOUNTS
    assert app.numbering(tenant_id).last_number == ACCOUNTS
    assert sorted(usage.saved_when_read) == [0, 1, 2, 3]
    for chunk, saved in usage.saved_when_read.items():
        assert saved >= chunk - READ_AHEAD
    app.close()


async def test_a_failed_read_stops_the_run_with_no_read_left_running_and_the_run_resumes(
    database_url: str, pool: asyncpg.Pool
) -> None:
    usage = CountedUsage(failing=2)
    bill_runner, app = runner(database_url, pool, usage)
    tenant_id = uuid4()
    plan = app.create_plan(tenant_id, "Basic", "EUR", "5.00", [])
    usage.accounts = sorted(
        await asyncio.to_thread(open_accounts, database_url, tenant_id, plan.id, ACCOUNTS))

    with pytest.raises(RuntimeError, match="rating is down"):
        await bill_runner.run(tenant_id, BILL_DATE.isoformat())

    assert not [t for t in asyncio.all_tasks() if "_drafts" in repr(t.get_coro())]
    assert app.numbering(tenant_id).last_number == 2 * CHUNK
    usage.failing = None
    resumed = await bill_runner.run(tenant_id, BILL_DATE.isoformat())
    assert resumed.invoices_created == ACCOUNTS
    assert app.numbering(tenant_id).last_number == ACCOUNTS
    app.close()
