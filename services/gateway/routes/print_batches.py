"""Paper bills: accounts' paper preference and each bill run's print batch (docs/print-batches.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from billing.notify.v1 import printing_pb2, printing_pb2_grpc
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import StreamingResponse

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable
from services.gateway.webhook_models import DeliveryPreferencesBody

router = APIRouter(prefix="/v1", tags=["print batches"])

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"description": "the file, streamed"}}


def printing(c: Clients) -> printing_pb2_grpc.PrintServiceStub:
    """The notify service's print stub."""
    if c.printing is None:
        raise HTTPException(503, "print batches are not available")
    return c.printing


def preference_json(preference: printing_pb2.PaperPreference) -> dict[str, Any]:
    """The delivery preferences of an account."""
    return {"account_id": preference.account_id, "paper": preference.paper,
            "updated_at": preference.updated_at}


def batch_json(batch: printing_pb2.PrintBatch) -> dict[str, Any]:
    """A batch as JSON, its byte sizes numbers (protobuf JSON makes 64-bit integers text)."""
    body = jsonable(batch)
    body["pdf_bytes"], body["manifest_bytes"] = int(batch.pdf_bytes), int(batch.manifest_bytes)
    return body


@router.get("/accounts/{account_id}/delivery-preferences")
async def get_delivery_preferences(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Whether the account's invoices are also printed and posted (`paper`, default false)."""
    check_own_account(caller, account_id)
    preference = await printing(c).GetPaperPreference(printing_pb2.GetPaperPreferenceRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return preference_json(preference)


@router.put("/accounts/{account_id}/delivery-preferences")
async def set_delivery_preferences(
    account_id: str, body: DeliveryPreferencesBody,
    caller: Principal = Depends(allow(*WRITERS, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Print and post the account's invoices from the next bill run on, or stop."""
    check_own_account(caller, account_id)
    preference = await printing(c).SetPaperPreference(printing_pb2.SetPaperPreferenceRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, paper=body.paper), timeout=c.timeout)
    return preference_json(preference)


@router.get("/print-batches")
async def list_print_batches(
    caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
    bill_run_id: str = Query(default="", description="only this bill run's batch"),
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
) -> dict[str, Any]:
    """Print batches, newest first, paged (`next_page_token` is empty on the last page)."""
    listed = await printing(c).ListPrintBatches(printing_pb2.ListPrintBatchesRequest(
        tenant_id=str(caller.tenant_id), bill_run_id=bill_run_id, page_size=page_size,
        page_token=page_token), timeout=c.timeout)
    return {"batches": [batch_json(batch) for batch in listed.batches],
            "next_page_token": listed.next_page_token}


async def streamed(caller: Principal, c: Clients, batch_id: str, part: str, media_type: str,
                   filename: str) -> StreamingResponse:
    """A batch file streamed from the notify service; errors before the first chunk are problems."""
    call = printing(c).DownloadPrintBatch(printing_pb2.DownloadPrintBatchRequest(
        tenant_id=str(caller.tenant_id), batch_id=batch_id, part=part), timeout=c.bill_run_timeout)
    first = await call.read()

    async def body() -> AsyncIterator[bytes]:
        chunk = first
        try:
            while isinstance(chunk, printing_pb2.FileChunk):
                yield chunk.data
                chunk = await call.read()
        finally:
            call.cancel()

    return StreamingResponse(body(), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/print-batches/{batch_id}.pdf", response_class=StreamingResponse, responses=FILE_RESPONSES)
async def print_batch_pdf(
    batch_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> StreamingResponse:
    """The batch's invoices merged into one PDF, in address order (409 while building or when empty)."""
    return await streamed(caller, c, batch_id, "pdf", "application/pdf", f"print-batch-{batch_id}.pdf")


@router.get("/print-batches/{batch_id}/manifest.csv", response_class=StreamingResponse,
            responses=FILE_RESPONSES)
async def print_batch_manifest(
    batch_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> StreamingResponse:
    """The manifest: one CSV row per document with its address, first page and page count."""
    return await streamed(caller, c, batch_id, "manifest", "text/csv; charset=utf-8",
                          f"print-batch-{batch_id}.csv")


@router.get("/print-batches/{batch_id}")
async def get_print_batch(
    batch_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A batch: building, ready (documents, pages, sizes, SHA-256 of each file) or failed (why)."""
    batch = await printing(c).GetPrintBatch(printing_pb2.GetPrintBatchRequest(
        tenant_id=str(caller.tenant_id), batch_id=batch_id), timeout=c.timeout)
    return batch_json(batch)


@router.post("/bill-runs/{bill_run_id}/print-batch", status_code=202)
async def build_print_batch(
    bill_run_id: str, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Build the completed bill run's batch again (e.g. after paper preferences changed)."""
    batch = await printing(c).BuildPrintBatch(printing_pb2.BuildPrintBatchRequest(
        tenant_id=str(caller.tenant_id), bill_run_id=bill_run_id), timeout=c.timeout)
    return batch_json(batch)
