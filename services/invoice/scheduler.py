"""The bill-run scheduler: starts each tenant's scheduled runs and marks overdue invoices."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from uuid import UUID

import grpc

from kernel.clock import Clock
from kernel.errors import DomainError
from services.invoice.application import InvoiceApplication
from services.invoice.bill_runs import BillRunner
from services.invoice.crediting import Crediting
from services.invoice.directory import Directory
from services.invoice.domain.billing import BillRun, bill_run_id_for

log = logging.getLogger(__name__)


class BillRunScheduler:
    """Every interval: run what each tenant's schedule says is due, then mark overdue invoices."""

    def __init__(
        self, app: InvoiceApplication, directory: Directory, runner: BillRunner,
        crediting: Crediting, clock: Clock, interval_seconds: float,
    ) -> None:
        self.app = app
        self.directory = directory
        self.runner = runner
        self.crediting = crediting
        self.clock = clock
        self.interval = interval_seconds

    async def run(self, stopping: asyncio.Event) -> None:
        """Tick until stopping is set."""
        while not stopping.is_set():
            try:
                await self.tick_unless_billing()
            except (DomainError, OSError, grpc.aio.AioRpcError) as error:
                log.warning("scheduler tick failed: %s", error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.interval)

    async def tick_unless_billing(self) -> list[BillRun] | None:
        """Tick, unless a bill run of this process is under way: then wait for the next interval.

        A tick catches the directory up with every invoice saved since the last one, which during a
        bill run is the run's own invoices: projecting them competes with the run for the CPU
        (12 s of a 100,000-account run here). Nothing is lost by waiting; due runs start a tick later.
        """
        if self.runner.under_way:
            log.info("a bill run is under way: the scheduler ticks after it")
            return None
        return await self.tick()

    async def tick(self) -> list[BillRun]:
        """Start (or resume) the runs due now; return the runs completed in this tick."""
        completed = []
        for tenant_id in await self._tenants():
            schedule = await asyncio.to_thread(self.app.schedule_of, tenant_id)
            for bill_date in schedule.runs_due(self.clock.now()):
                existing = await asyncio.to_thread(
                    self.app.load, BillRun, tenant_id, bill_run_id_for(tenant_id, bill_date))
                if existing is not None and existing.status == "completed":
                    continue
                log.info("starting scheduled bill run %s for tenant %s", bill_date, tenant_id)
                completed.append(await self.runner.run(tenant_id, bill_date.isoformat()))
        await self.mark_overdue()
        return completed

    async def _tenants(self) -> list[UUID]:
        rows = await self.directory.fetch(
            "SELECT DISTINCT tenant_id FROM invoice.account_directory")
        return [row["tenant_id"] for row in rows]

    async def mark_overdue(self) -> int:
        """Mark issued invoices past their due date (UTC today) overdue."""
        today = self.clock.now().date()
        marked = 0
        for tenant_id, invoice_id in await self.directory.overdue_candidates(today):
            if await asyncio.to_thread(self.crediting.mark_overdue, tenant_id, invoice_id, today):
                marked += 1
        return marked
