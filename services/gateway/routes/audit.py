"""Audit: the full event history of any aggregate."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from billing.common.v1 import common_pb2
from fastapi import APIRouter, Depends

from services.gateway.deps import Clients, allow, clients
from services.gateway.keys import Principal, Role

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class AggregateType(StrEnum):
    """Aggregates whose history can be read."""

    PLAN = "plan"
    ACCOUNT = "account"
    INVOICE = "invoice"
    BILL_RUN = "bill_run"
    SUBSCRIPTION = "subscription"
    CREDIT_NOTE = "credit_note"
    TAX_REGION = "tax_region"
    BILLING_SCHEDULE = "billing_schedule"
    PAYMENT = "payment"


@router.get("/{aggregate_type}/{aggregate_id}/events")
async def history(
    aggregate_type: AggregateType, aggregate_id: str,
    caller: Principal = Depends(allow(Role.AUDITOR, Role.ADMIN)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Every stored event of an aggregate, oldest first, as recorded."""
    request = common_pb2.GetHistoryRequest(
        tenant_id=str(caller.tenant_id), aggregate_type=aggregate_type.value,
        aggregate_id=aggregate_id,
    )
    service = c.payment if aggregate_type is AggregateType.PAYMENT else c.invoice
    found = await service.GetHistory(request, timeout=c.timeout)
    return {
        "aggregate_type": found.aggregate_type,
        "aggregate_id": found.aggregate_id,
        "events": [
            {"version": e.version, "type": e.type, "occurred_at": e.occurred_at,
             "data": json.loads(e.data_json)}
            for e in found.events
        ],
    }
