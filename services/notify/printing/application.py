"""Use cases of print batches: paper preferences, the batches, their files, rebuilding on demand."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from uuid import UUID

from kernel.clock import Clock
from services.notify.printing.domain import (
    BatchPart,
    BatchStatus,
    BillRunNotCompletedError,
    PaperPreference,
    PrintBatch,
    PrintBatchNotFoundError,
    PrintBatchNotReadyError,
)
from services.notify.printing.invoices import GrpcInvoiceReader
from services.notify.printing.sql import PostgresPrintStore

COMPLETED = "completed"


class PrintDesk:
    """Operators set who gets paper bills and fetch each bill run's batch for the print house."""

    def __init__(self, store: PostgresPrintStore, invoices: GrpcInvoiceReader, clock: Clock,
                 wake: Callable[[], None]) -> None:
        self.store = store
        self.invoices = invoices
        self.clock = clock
        self.wake = wake

    async def set_paper(self, tenant_id: UUID, account_id: UUID, paper: bool) -> PaperPreference:
        """Print and post the account's invoices, or stop; the account must be the tenant's."""
        await self.invoices.account(tenant_id, account_id)
        preference = PaperPreference(account_id, paper, self.clock.now())
        await self.store.set_preference(tenant_id, preference)
        return preference

    async def paper(self, tenant_id: UUID, account_id: UUID) -> PaperPreference:
        """The account's preference; the account must be the tenant's."""
        await self.invoices.account(tenant_id, account_id)
        return await self.store.preference(tenant_id, account_id)

    async def batches(self, tenant_id: UUID, bill_run_id: UUID | None, after: tuple[datetime, UUID] | None,
                      limit: int) -> list[PrintBatch]:
        """A page of the tenant's batches, newest first."""
        return await self.store.page(tenant_id, bill_run_id, after, limit)

    async def batch(self, tenant_id: UUID, batch_id: UUID) -> PrintBatch:
        """One batch of the tenant."""
        found = await self.store.find(tenant_id, batch_id)
        if found is None:
            raise PrintBatchNotFoundError(batch_id)
        return found

    async def rebuild(self, tenant_id: UUID, bill_run_id: UUID) -> PrintBatch:
        """Build the batch of a completed bill run again, in the background."""
        if await self.invoices.bill_run_status(tenant_id, bill_run_id) != COMPLETED:
            raise BillRunNotCompletedError(bill_run_id)
        batch = await self.store.request(tenant_id, bill_run_id, 0, self.clock.now(), rebuild=True)
        self.wake()
        return batch

    async def request(self, tenant_id: UUID, bill_run_id: UUID, run_version: int) -> PrintBatch:
        """Build the batch of a completed run once per version of the run (redelivery builds nothing)."""
        batch = await self.store.request(tenant_id, bill_run_id, run_version, self.clock.now(), rebuild=False)
        self.wake()
        return batch

    async def download(self, tenant_id: UUID, batch_id: UUID,
                       part: BatchPart) -> AsyncGenerator[bytes, None]:
        """A ready batch's file, chunk by chunk (the PDF only when the batch has documents)."""
        batch = await self.batch(tenant_id, batch_id)
        if batch.status is not BatchStatus.READY or batch.files is None:
            raise PrintBatchNotReadyError(batch_id, f"the batch is {batch.status.value}")
        if part is BatchPart.PDF and batch.files.document_count == 0:
            raise PrintBatchNotReadyError(batch_id, "the batch has no documents to print")
        return self.store.chunks(batch_id, part)
