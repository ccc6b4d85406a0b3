"""Invoice explanation: the rated parts behind a usage line, each with its raw usage record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from billing.invoice.v1 import invoice_pb2
from billing.rating.v1 import rating_pb2
from billing.usage.v1 import usage_pb2
from fastapi import APIRouter, Depends, HTTPException, Query

from services.gateway.deps import STAFF, Clients, allow, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable
from services.gateway.problems import FieldProblem
from services.gateway.routes.billing import fetch_invoice
from services.gateway.routes.usage import timestamp

router = APIRouter(prefix="/v1", tags=["billing"])

PERIOD_KIND = {"usage": "current", "prior_period": "prior"}
"""Usage line kinds and the rating period kind of their parts (when the line does not say)."""
RecordKey = tuple[str, str]


def find_line(invoice: invoice_pb2.Invoice, index: int) -> invoice_pb2.InvoiceLine:
    """The invoice's line at this index, or 404."""
    for line in invoice.lines:
        if line.index == index:
            return line
    raise HTTPException(404, f"invoice {invoice.number or invoice.invoice_id} has no line {index}")


def check_usage_line(line: invoice_pb2.InvoiceLine) -> None:
    """Only usage lines are made of rated records."""
    if line.kind not in PERIOD_KIND:
        raise FieldProblem("index", "not_a_usage_line",
                           f"line {line.index} is a {line.kind} line, not made of usage records")


def selection(invoice: invoice_pb2.Invoice, account_id: str) -> rating_pb2.UsageSelection:
    """The rated usage the invoice took for the account, as rating selects it."""
    for usage in invoice.usage:
        if usage.account_id == account_id:
            return rating_pb2.UsageSelection(
                account_id=account_id,
                period_start=timestamp(datetime.fromisoformat(usage.usage_start), "usage_start"),
                period_end=timestamp(datetime.fromisoformat(usage.usage_end), "usage_end"),
                previous_watermark=usage.previous_watermark, watermark=usage.watermark,
            )
    raise HTTPException(404, f"the invoice records no usage of account {account_id}")


async def raw_records(
    caller: Principal, c: Clients, account_id: str, parts: Sequence[rating_pb2.RatedPart]
) -> dict[RecordKey, usage_pb2.StoredRecord]:
    """The stored usage records behind the parts, by source and record id."""
    keys = {(p.source, p.record_id): usage_pb2.RecordKey(
        source=p.source, record_id=p.record_id, started_at=p.started_at) for p in parts}
    if not keys:
        return {}
    response = await c.usage.GetRecords(usage_pb2.GetRecordsRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, keys=list(keys.values()),
    ), timeout=c.timeout)
    return {(r.source, r.record_id): r for r in response.records}


def part_json(part: rating_pb2.RatedPart, record: usage_pb2.StoredRecord | None) -> dict[str, Any]:
    """A rated part with its raw record attached (null when usage no longer has it)."""
    body = jsonable(part)
    body["seq"] = int(part.seq)
    body["record"] = jsonable(record) if record is not None else None
    return body


@router.get("/invoices/{invoice_id}/lines/{index}/records")
async def explain_line(
    invoice_id: str, index: int,
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The rated parts a usage line is made of, in event order, each with its raw usage record.

    404 when the invoice has no such line; 422 when the line is not a usage line.
    """
    invoice = await fetch_invoice(caller, c, invoice_id)
    line = find_line(invoice, index)
    check_usage_line(line)
    account_id = line.account_id or invoice.account_id
    response = await c.rating.ListLineParts(rating_pb2.ListLinePartsRequest(
        tenant_id=str(caller.tenant_id), selection=selection(invoice, account_id),
        period_kind=line.period_kind or PERIOD_KIND[line.kind], service_type=line.service_type,
        destination_class=line.destination_class, page_size=page_size, page_token=page_token,
    ), timeout=c.timeout)
    records = await raw_records(caller, c, account_id, response.parts)
    return {
        "invoice_id": invoice.invoice_id, "line": jsonable(line),
        "parts": [part_json(p, records.get((p.source, p.record_id))) for p in response.parts],
        "next_page_token": response.next_page_token or None,
    }
