"""The print worker: builds batches waiting to be built, one at a time, under a renewable lease."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from datetime import timedelta
from pathlib import Path

import asyncpg

from kernel.clock import Clock
from kernel.errors import DomainError, UnavailableError
from services.notify.printing.builder import MANIFEST_NAME, BatchBuilder, UnprintableInvoiceError
from services.notify.printing.domain import (
    AccountNotFoundError,
    BillRunNotCompletedError,
    BillRunNotFoundError,
)
from services.notify.printing.invoices import DocumentRenderError
from services.notify.printing.sql import BuildJob, PostgresPrintStore

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_BUILD_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=1)
REASONS: list[tuple[type[DomainError], str]] = [
    (BillRunNotFoundError, "bill_run_not_found"), (BillRunNotCompletedError, "bill_run_not_completed"),
    (AccountNotFoundError, "account_not_found"), (DocumentRenderError, "render_failed"),
    (UnprintableInvoiceError, "unreadable_pdf"),
]


class BuildSupersededError(Exception):
    """A rebuild was asked for while this build ran: its result is thrown away."""


def failure_reason(error: DomainError) -> str:
    """'<code>: <message>' for a build that cannot succeed."""
    code = next((name for kind, name in REASONS if isinstance(error, kind)), "build_failed")
    return f"{code}: {error.message}"


class PrintWorker:
    """Claims batches waiting to be built and builds them; failures are recorded, never raised."""

    def __init__(self, store: PostgresPrintStore, builder: BatchBuilder, clock: Clock,
                 temp_dir: Path | None = None, poll_seconds: float = 5.0) -> None:
        self.store = store
        self.builder = builder
        self.clock = clock
        self.temp_dir = temp_dir
        self.poll_seconds = poll_seconds
        self.woken = asyncio.Event()

    def wake(self) -> None:
        """Look for batches to build now."""
        self.woken.set()

    async def run(self, stopping: asyncio.Event) -> None:
        """Build batches until stopping."""
        while not stopping.is_set():
            try:
                built = await self.build_next()
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                log.exception("print batch build interrupted; its lease runs out and it is built again")
                built = False
            if not built:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.woken.wait(), self.poll_seconds)
                self.woken.clear()

    async def build_next(self) -> bool:
        """Build the next waiting batch; False when none waits."""
        now = self.clock.now()
        job = await self.store.claim(now, now + LEASE)
        if job is None:
            return False
        await self.build(job)
        return True

    async def build(self, job: BuildJob) -> None:
        """Build one batch and store it, or record why not."""
        fields = {"batch_id": str(job.batch_id), "bill_run_id": str(job.bill_run_id),
                  "tenant_id": str(job.tenant_id), "attempt": job.attempt}
        try:
            stored = await self._build(job)
        except BuildSupersededError:
            log.info("print batch build superseded", extra={"fields": fields})
            return
        except UnavailableError as error:
            await self._retry_or_fail(job, error)
            return
        except DomainError as error:
            await self.store.fail(job, failure_reason(error), self.clock.now())
            log.warning("print batch failed", extra={"fields": {**fields, "reason": failure_reason(error)}})
            return
        log.info("print batch %s", "ready" if stored else "superseded", extra={"fields": fields})

    async def _build(self, job: BuildJob) -> bool:
        """Build in a temporary folder and store the files; False when superseded meanwhile."""

        async def keep_alive() -> None:
            if not await self.store.renew(job, self.clock.now() + LEASE):
                raise BuildSupersededError()

        with tempfile.TemporaryDirectory(prefix="print-batch-", dir=self.temp_dir) as folder:
            files, pdf = await self.builder.build(job, Path(folder), keep_alive)
            return await self.store.store_files(job, files, pdf, Path(folder) / MANIFEST_NAME,
                                                self.clock.now())

    async def _retry_or_fail(self, job: BuildJob, error: UnavailableError) -> None:
        """Try again later while attempts are left."""
        now = self.clock.now()
        if job.attempt >= MAX_BUILD_ATTEMPTS:
            await self.store.fail(job, f"unavailable: {error.message}", now)
        else:
            await self.store.retry_later(job, now + RETRY_AFTER * job.attempt, f"retrying: {error.message}")
        log.warning("print batch build failed", extra={"fields": {
            "batch_id": str(job.batch_id), "attempt": job.attempt, "reason": error.message}})
