"""Usage capture and rated usage."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

from billing.invoice.v1 import invoice_pb2
from billing.rating.v1 import rating_pb2
from billing.usage.v1 import usage_pb2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from google.protobuf.timestamp_pb2 import Timestamp

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import Resubmission, UsageBatch, UsageRecordBody, jsonable
from services.gateway.uploads import body_chunks

router = APIRouter(prefix="/v1", tags=["usage"])

OUTCOME_NAMES = {
    usage_pb2.OUTCOME_ACCEPTED: "accepted",
    usage_pb2.OUTCOME_DUPLICATE: "duplicate",
    usage_pb2.OUTCOME_REJECTED: "rejected",
}
RECORD_FIELDS = ("record_id", "source", "account_id", "subscriber", "service_type", "quantity",
                 "unit", "started_at", "ended_at", "duration", "price", "currency")


def record_to_proto(record: UsageRecordBody) -> usage_pb2.UsageRecord:
    """A received record on the wire; JSON numbers travel as their decimal text."""
    values = {name: str(getattr(record, name)) for name in RECORD_FIELDS}
    return usage_pb2.UsageRecord(
        **values,
        attributes={key: str(value) for key, value in record.attributes.items()},
        unknown_fields=sorted(record.model_extra or {}),
    )


@router.post("/usage/batches")
async def record_usage(
    body: UsageBatch, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """Submit up to 10,000 usage records; every record gets an outcome.

    Each record ends as exactly one of accepted, duplicate (same tenant, source and
    record id seen before) or rejected (with the field and a machine-readable reason).
    """
    response = await c.usage.RecordUsage(usage_pb2.RecordUsageRequest(
        tenant_id=str(caller.tenant_id), records=[record_to_proto(r) for r in body.records],
        file=body.file,
    ), timeout=c.timeout)
    return {
        "batch_id": response.batch_id,
        "accepted": response.accepted,
        "duplicate": response.duplicate,
        "rejected": response.rejected,
        "outcomes": [outcome_json(o) for o in response.outcomes],
    }


def outcome_json(outcome: usage_pb2.RecordOutcome) -> dict[str, Any]:
    """One record's outcome as JSON."""
    return {
        "index": outcome.index, "record_id": outcome.record_id,
        "outcome": OUTCOME_NAMES[outcome.outcome],
        **({"field": outcome.field, "reason": outcome.reason} if outcome.field else {}),
    }


async def upload_chunks(
    request: Request, header: usage_pb2.ImportHeader
) -> AsyncIterator[usage_pb2.ImportFileChunk]:
    """The import stream: the header, then the request body in chunks as it arrives."""
    yield usage_pb2.ImportFileChunk(header=header)
    async for data in body_chunks(request):
        yield usage_pb2.ImportFileChunk(data=data)


@router.post("/usage/imports", status_code=201)
async def import_file(
    request: Request,
    format: str = Query(description="asterisk, generic or radius (docs/usage-formats.md)"),
    source: str = Query(min_length=1, max_length=200, description="the system that produced the file"),
    file_name: str = Query(min_length=1, max_length=200, description="reconciled under this name"),
    timezone: str = Query(default="", description="IANA timezone of timestamps without offset"),
    caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Import a usage file sent as the raw request body (streamed, any size).

    Every row ends accepted, duplicate or rejected; the import reports the counts. A file
    interrupted midway is reported failed; importing it again dedups what was stored.
    """
    header = usage_pb2.ImportHeader(
        tenant_id=str(caller.tenant_id), format=format, source=source, file_name=file_name,
        timezone=timezone,
    )
    response = await c.usage.ImportFile(upload_chunks(request, header), timeout=c.bill_run_timeout)
    return with_counts(response)


OUTCOME_COUNTS = ("received", "accepted", "duplicate", "rejected", "resubmitted")
IMPORT_COUNTS = ("bytes", *OUTCOME_COUNTS)


def with_counts(message: Any, counts: tuple[str, ...] = IMPORT_COUNTS) -> dict[str, Any]:
    """A message as JSON with its 64-bit counters as numbers (protobuf JSON makes them text)."""
    body = jsonable(message)
    return {name: int(value) if name in counts else value for name, value in body.items()}


@router.get("/usage/imports/{import_id}")
async def get_import(
    import_id: str, caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """An import's status and counts."""
    return with_counts(await c.usage.GetImport(usage_pb2.GetImportRequest(
        tenant_id=str(caller.tenant_id), import_id=import_id), timeout=c.timeout))


@router.get("/usage/rejections")
async def list_rejections(
    status: str = Query(default="open", description="open, resolved, superseded or all"),
    source: str = "", file: str = "", reason: str = "",
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Rejected records, newest first, with the field and reason of each."""
    response = await c.usage.ListRejections(usage_pb2.ListRejectionsRequest(
        tenant_id=str(caller.tenant_id), status=status, source=source, file=file, reason=reason,
        page_size=page_size, page_token=page_token,
    ), timeout=c.timeout)
    return {
        "rejections": [rejection_json(r) for r in response.rejections],
        "next_page_token": response.next_page_token or None,
    }


def rejection_json(rejected: usage_pb2.Rejected) -> dict[str, Any]:
    """A rejection as JSON, its record as an object."""
    body = jsonable(rejected)
    body["record"] = json.loads(body.pop("record_json")) if rejected.record_json else None
    return body


@router.post("/usage/rejections/{rejection_id}/resubmit")
async def resubmit_rejection(
    rejection_id: str, body: Resubmission, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Submit a rejected record again, corrected or (without a body record) as stored."""
    request = usage_pb2.ResubmitRejectionRequest(
        tenant_id=str(caller.tenant_id), rejection_id=rejection_id)
    if body.record is not None:
        request.record.CopyFrom(record_to_proto(body.record))
    response = await c.usage.ResubmitRejection(request, timeout=c.timeout)
    return {"batch_id": response.batch_id, **outcome_json(response.outcome)}


@router.get("/usage/reconciliation")
async def reconciliation(
    from_day: date = Query(alias="from", description="first day of receipt (UTC), inclusive"),
    to_day: date = Query(alias="to", description="last day of receipt (UTC), inclusive"),
    source: str = "", file: str = "",
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Per source, file and day: received = accepted + duplicate + rejected, and totals."""
    response = await c.usage.GetReconciliation(usage_pb2.GetReconciliationRequest(
        tenant_id=str(caller.tenant_id), from_day=from_day.isoformat(), to_day=to_day.isoformat(),
        source=source, file=file,
    ), timeout=c.timeout)
    return {"rows": [with_counts(row, OUTCOME_COUNTS) for row in response.rows]}


def timestamp(instant: datetime, name: str) -> Timestamp:
    """A protobuf Timestamp; an instant without an offset is refused."""
    if instant.tzinfo is None:
        raise HTTPException(422, f"{name} needs a UTC offset")
    message = Timestamp()
    message.FromDatetime(instant)
    return message


@router.get("/accounts/{account_id}/rated-usage")
async def rated_usage(
    account_id: str,
    start: datetime = Query(description="RFC 3339 instant, inclusive"),
    end: datetime = Query(description="RFC 3339 instant, exclusive"),
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Rated usage of an account per service type in [start, end)."""
    check_own_account(caller, account_id)
    await c.invoice.GetAccount(invoice_pb2.GetAccountRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    response = await c.rating.SummarizeUsage(rating_pb2.SummarizeUsageRequest(
        tenant_id=str(caller.tenant_id), account_ids=[account_id],
        period_start=timestamp(start, "start"), period_end=timestamp(end, "end"),
    ), timeout=c.timeout)
    return {"account_id": account_id, "summaries": [jsonable(s) for s in response.summaries]}


@router.get("/accounts/{account_id}/rated-records")
async def rated_records(
    account_id: str,
    start: datetime = Query(description="RFC 3339 instant, inclusive"),
    end: datetime = Query(description="RFC 3339 instant, exclusive"),
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Every rated part of the account's records in [start, end), with how it was priced."""
    check_own_account(caller, account_id)
    response = await c.rating.ListRatedRecords(rating_pb2.ListRatedRecordsRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, start=timestamp(start, "start"),
        end=timestamp(end, "end"), page_size=page_size, page_token=page_token,
    ), timeout=c.timeout)
    return {"parts": [jsonable(p) for p in response.parts],
            "next_page_token": response.next_page_token or None}


@router.get("/usage/unrated")
async def unrated_records(
    account_id: str = "", reason: str = "",
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Records rating could not price (no tariff, no destination rate, ...), with the reason."""
    response = await c.rating.ListUnratedRecords(rating_pb2.ListUnratedRecordsRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, reason=reason,
        page_size=page_size, page_token=page_token,
    ), timeout=c.timeout)
    return {"records": [jsonable(r) for r in response.records],
            "next_page_token": response.next_page_token or None}
