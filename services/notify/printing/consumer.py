"""NATS consumer: a completed bill run queues its print batch (events.invoice.BillRun.Completed)."""

from __future__ import annotations

import json
import logging
from uuid import UUID

from nats.aio.msg import Msg

from kernel.messaging import PoisonMessageError
from services.notify.printing.application import PrintDesk

log = logging.getLogger(__name__)

BILL_RUN_COMPLETED_SUBJECT = "events.invoice.BillRun.Completed"
BILL_RUN_COMPLETED_DURABLE = "notify-print-batches"


def parse_bill_run_completed(body: bytes) -> tuple[UUID, UUID, int]:
    """Tenant, bill run and version of the run's Completed event; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        version = envelope["aggregate_version"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("aggregate_version must be an integer")
        return UUID(envelope["tenant_id"]), UUID(envelope["aggregate_id"]), version
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PoisonMessageError(f"malformed BillRun.Completed: {error!r}") from error


class BillRunCompletedHandler:
    """Queues the batch; the print worker builds it, so the message is acked at once."""

    def __init__(self, desk: PrintDesk) -> None:
        self.desk = desk

    async def __call__(self, message: Msg) -> None:
        tenant_id, bill_run_id, version = parse_bill_run_completed(message.data)
        batch = await self.desk.request(tenant_id, bill_run_id, version)
        log.info("print batch queued", extra={"fields": {
            "bill_run_id": str(bill_run_id), "batch_id": str(batch.batch_id), "status": batch.status.value}})
