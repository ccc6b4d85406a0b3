"""Consumers of other services' events: payments recorded by the payment service."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import Tracking
from nats.aio.msg import Msg

from kernel.errors import DomainError
from kernel.messaging import PoisonMessageError
from kernel.money import Money, MoneyError
from services.invoice.application import InvoiceApplication

log = logging.getLogger(__name__)

PAYMENT_RECORDED_SUBJECT = "events.payment.Payment.Recorded"
UPSTREAM = "payment"


class PaymentRecordedHandler:
    """Applies each recorded payment to its invoice exactly once (position saved with the invoice)."""

    def __init__(self, app: InvoiceApplication, on_saved: Callable[[], None]) -> None:
        self.app = app
        self.on_saved = on_saved

    async def __call__(self, message: Msg) -> None:
        tenant_id, invoice_id, payment_id, amount, tracking = parse_payment_recorded(message.data)
        if await asyncio.to_thread(self.app.is_processed, tracking):
            return
        try:
            await asyncio.to_thread(
                self.app.apply_payment, tenant_id, invoice_id, payment_id, amount, tracking
            )
        except DomainError as error:
            raise PoisonMessageError(f"payment {payment_id} not applicable: {error}") from error
        self.on_saved()


def parse_payment_recorded(body: bytes) -> tuple[UUID, UUID, UUID, Money, Tracking]:
    """Read the envelope of a Payment.Recorded event; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        data = envelope["data"]
        return (
            UUID(envelope["tenant_id"]),
            UUID(data["invoice_id"]),
            UUID(envelope["aggregate_id"]),
            Money.of(data["amount"]["amount"], data["amount"]["currency"]),
            Tracking(UPSTREAM, int(envelope["notification_id"])),
        )
    except (ValueError, KeyError, TypeError, MoneyError) as error:
        raise PoisonMessageError(f"malformed Payment.Recorded: {error}") from error
