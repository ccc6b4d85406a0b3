"""NATS consumer: emails each finalized invoice (events.invoice.Invoice.Finalized)."""

from __future__ import annotations

import json
import logging
from uuid import UUID

from nats.aio.msg import Msg

from kernel.messaging import PoisonMessageError
from services.notify.application import Notifier
from services.notify.domain import InvoiceFinalized, InvoiceNotFoundError

log = logging.getLogger(__name__)

INVOICE_FINALIZED_SUBJECT = "events.invoice.Invoice.Finalized"
INVOICE_FINALIZED_DURABLE = "notify-invoice-finalized"


def parse_invoice_finalized(body: bytes) -> InvoiceFinalized:
    """Read id, tenant_id and aggregate_id of the event envelope; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        event_id = envelope["id"]
        if not isinstance(event_id, str) or not event_id:
            raise ValueError("id must be a non-empty string")
        return InvoiceFinalized(
            event_id=event_id,
            tenant_id=UUID(envelope["tenant_id"]),
            invoice_id=UUID(envelope["aggregate_id"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PoisonMessageError(f"malformed Invoice.Finalized: {error!r}") from error


class InvoiceFinalizedHandler:
    """Hands each Invoice.Finalized event to the notifier; failures to send are retried."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    async def __call__(self, message: Msg) -> None:
        event = parse_invoice_finalized(message.data)
        try:
            delivery = await self.notifier.notify_invoice_finalized(event)
        except InvoiceNotFoundError as error:
            raise PoisonMessageError(f"event {event.event_id}: {error.message}") from error
        log.info("invoice email %s", delivery.status.value, extra={"fields": {
            "event_id": event.event_id, "delivery_id": str(delivery.delivery_id),
            "reason": delivery.reason,
        }})
