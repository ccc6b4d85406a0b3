"""gRPC edge of print batches: preferences, batches and their files in chunks."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from datetime import datetime
from uuid import UUID

import grpc
from billing.notify.v1 import printing_pb2, printing_pb2_grpc

from kernel.errors import DomainError, InvalidInputError
from kernel.grpc import FIELD_VIOLATION_KEY, maps_domain_errors, status_for
from kernel.paging import decode_page_token, encode_page_token, page_limit
from kernel.wire import id_from_wire
from services.notify.printing.application import PrintDesk
from services.notify.printing.domain import BatchPart, PaperPreference, PrintBatch

Context = grpc.aio.ServicerContext


def instant(value: datetime | None) -> str:
    """An instant as ISO 8601, empty when absent."""
    return value.isoformat() if value is not None else ""


def preference_to_proto(preference: PaperPreference) -> printing_pb2.PaperPreference:
    """A paper preference on the wire."""
    return printing_pb2.PaperPreference(account_id=str(preference.account_id), paper=preference.paper,
                                        updated_at=instant(preference.updated_at))


def batch_to_proto(batch: PrintBatch) -> printing_pb2.PrintBatch:
    """A batch on the wire."""
    message = printing_pb2.PrintBatch(
        batch_id=str(batch.batch_id), bill_run_id=str(batch.bill_run_id), status=batch.status.value,
        reason=batch.reason, created_at=instant(batch.created_at), updated_at=instant(batch.updated_at),
        ready_at=instant(batch.ready_at))
    files = batch.files
    if files is not None:
        message.document_count, message.page_count = files.document_count, files.page_count
        message.pdf_bytes, message.manifest_bytes = files.pdf_bytes, files.manifest_bytes
        message.pdf_sha256, message.manifest_sha256 = files.pdf_sha256, files.manifest_sha256
        message.skipped.extend(printing_pb2.SkippedInvoice(
            invoice_id=str(s.invoice_id), invoice_number=s.invoice_number, account_id=str(s.account_id),
            reason=s.reason) for s in files.skipped)
    return message


async def abort_with(context: Context, error: DomainError) -> None:
    """End a streaming call with the domain error's status (and field violation)."""
    if isinstance(error, InvalidInputError):
        context.set_trailing_metadata(((FIELD_VIOLATION_KEY, json.dumps(
            {"field": error.field, "reason": error.reason})),))
    await context.abort(status_for(error), error.message)


class PrintServicer(printing_pb2_grpc.PrintServiceServicer):
    """Print batches over gRPC, scoped to the calling tenant."""

    def __init__(self, desk: PrintDesk) -> None:
        self.desk = desk

    @maps_domain_errors
    async def SetPaperPreference(self, request: printing_pb2.SetPaperPreferenceRequest,
                                 context: Context) -> printing_pb2.PaperPreference:
        """Print and post the account's invoices, or stop."""
        preference = await self.desk.set_paper(id_from_wire(request.tenant_id, "tenant_id"),
                                               id_from_wire(request.account_id, "account_id"), request.paper)
        return preference_to_proto(preference)

    @maps_domain_errors
    async def GetPaperPreference(self, request: printing_pb2.GetPaperPreferenceRequest,
                                 context: Context) -> printing_pb2.PaperPreference:
        """The account's paper preference."""
        preference = await self.desk.paper(id_from_wire(request.tenant_id, "tenant_id"),
                                           id_from_wire(request.account_id, "account_id"))
        return preference_to_proto(preference)

    @maps_domain_errors
    async def ListPrintBatches(self, request: printing_pb2.ListPrintBatchesRequest,
                               context: Context) -> printing_pb2.ListPrintBatchesResponse:
        """A page of batches, newest first."""
        bill_run_id = id_from_wire(request.bill_run_id, "bill_run_id") if request.bill_run_id else None
        limit = page_limit(request.page_size)
        after = decode_page_token(request.page_token, (datetime.fromisoformat, UUID))
        batches = await self.desk.batches(id_from_wire(request.tenant_id, "tenant_id"), bill_run_id,
                                          (after[0], after[1]) if after else None, limit)
        last = batches[-1] if len(batches) == limit else None
        token = encode_page_token([last.created_at.isoformat(), str(last.batch_id)]) if last else ""
        return printing_pb2.ListPrintBatchesResponse(batches=[batch_to_proto(b) for b in batches],
                                                     next_page_token=token)

    @maps_domain_errors
    async def GetPrintBatch(self, request: printing_pb2.GetPrintBatchRequest,
                            context: Context) -> printing_pb2.PrintBatch:
        """One batch."""
        batch = await self.desk.batch(id_from_wire(request.tenant_id, "tenant_id"),
                                      id_from_wire(request.batch_id, "batch_id"))
        return batch_to_proto(batch)

    async def DownloadPrintBatch(self, request: printing_pb2.DownloadPrintBatchRequest,
                                 context: Context) -> AsyncIterator[printing_pb2.FileChunk]:
        """The PDF or the manifest, chunk by chunk."""
        try:
            chunks = await self.desk.download(id_from_wire(request.tenant_id, "tenant_id"),
                                              id_from_wire(request.batch_id, "batch_id"),
                                              BatchPart.parse(request.part))
        except DomainError as error:
            await abort_with(context, error)
            return
        async with contextlib.aclosing(chunks):
            async for data in chunks:
                yield printing_pb2.FileChunk(data=data)

    @maps_domain_errors
    async def BuildPrintBatch(self, request: printing_pb2.BuildPrintBatchRequest,
                              context: Context) -> printing_pb2.PrintBatch:
        """Build a completed bill run's batch (again)."""
        batch = await self.desk.rebuild(id_from_wire(request.tenant_id, "tenant_id"),
                                        id_from_wire(request.bill_run_id, "bill_run_id"))
        return batch_to_proto(batch)
