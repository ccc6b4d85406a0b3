"""Usage capture and rated usage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billing.invoice.v1 import invoice_pb2
from billing.rating.v1 import rating_pb2
from billing.usage.v1 import usage_pb2
from fastapi import APIRouter, Depends, HTTPException, Query
from google.protobuf.timestamp_pb2 import Timestamp

from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import UsageBatch, UsageRecordBody, jsonable

router = APIRouter(prefix="/v1", tags=["usage"])

OUTCOME_NAMES = {
    usage_pb2.OUTCOME_ACCEPTED: "accepted",
    usage_pb2.OUTCOME_DUPLICATE: "duplicate",
    usage_pb2.OUTCOME_REJECTED: "rejected",
}
RECORD_FIELDS = ("record_id", "source", "account_id", "service_type", "quantity", "unit",
                 "started_at")


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
    ), timeout=c.timeout)
    return {
        "batch_id": response.batch_id,
        "accepted": response.accepted,
        "duplicate": response.duplicate,
        "rejected": response.rejected,
        "outcomes": [
            {"index": o.index, "record_id": o.record_id, "outcome": OUTCOME_NAMES[o.outcome],
             **({"field": o.field, "reason": o.reason} if o.field else {})}
            for o in response.outcomes
        ],
    }


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
