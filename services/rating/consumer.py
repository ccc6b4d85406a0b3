"""Rates each usage.recorded batch exactly once, however often it is delivered."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from nats.aio.msg import Msg

from kernel.messaging import PoisonMessageError
from services.rating.contexts import RatingContexts
from services.rating.domain import RatedRecord, RecordToRate, UnratedRecord, rate
from services.rating.store import RatedRecordStore

USAGE_SUBJECT = "usage.recorded.>"


def parse_batch(body: bytes) -> tuple[UUID, list[RecordToRate]]:
    """Read a usage.recorded message; anything malformed is poison."""
    try:
        payload: dict[str, Any] = json.loads(body)
        records = [
            RecordToRate(
                source=item["source"], record_id=item["record_id"],
                account_id=UUID(item["account_id"]), service_type=item["service_type"],
                quantity=Decimal(item["quantity"]), unit=item["unit"],
                started_at=datetime.fromisoformat(item["started_at"]),
            )
            for item in payload["records"]
        ]
        return UUID(payload["tenant_id"]), records
    except (ValueError, KeyError, TypeError, ArithmeticError) as error:
        raise PoisonMessageError(f"malformed usage batch: {error}") from error


class UsageBatchHandler:
    """Prices a batch with the accounts' plans and stores it with the message id, atomically."""

    def __init__(self, contexts: RatingContexts, store: RatedRecordStore) -> None:
        self.contexts = contexts
        self.store = store

    async def __call__(self, message: Msg) -> None:
        tenant_id, records = parse_batch(message.data)
        message_id = (message.headers or {}).get("Nats-Msg-Id") or (
            f"{message.metadata.stream}:{message.metadata.sequence.stream}"
        )
        contexts = await self.contexts.for_accounts(tenant_id, {r.account_id for r in records})
        results = [rate(record, contexts.get(record.account_id)) for record in records]
        await self.store.save(
            message_id, tenant_id,
            [r for r in results if isinstance(r, RatedRecord)],
            [r for r in results if isinstance(r, UnratedRecord)],
        )
