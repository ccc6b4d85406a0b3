"""NATS consumer: invoices become receivable, are credited or voided in the account's ledger, exactly once."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking
from nats.aio.msg import Msg

from kernel.errors import DomainError
from kernel.messaging import PoisonMessageError
from kernel.money import Money, MoneyError
from services.payment.application import PaymentApplication
from services.payment.domain.ledger import CustomerLedger
from services.payment.invoices import GrpcInvoices, InvoiceFacts, InvoiceNotFoundError

log = logging.getLogger(__name__)

INVOICE_EVENTS_SUBJECT = "events.invoice.Invoice.>"
INVOICE_EVENTS_DURABLE = "payment-invoices"
UPSTREAM = "invoice"
HANDLED = frozenset({"Invoice.Finalized", "Invoice.CreditApplied", "Invoice.Voided"})


@dataclass(frozen=True)
class InvoiceEvent:
    """An invoice event as the ledger needs it: which, whose tenant, what happened, where in the log."""

    kind: str
    tenant_id: UUID
    invoice_id: UUID
    data: dict[str, Any]
    tracking: Tracking


def parse_invoice_event(body: bytes) -> InvoiceEvent:
    """Read the envelope; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        return InvoiceEvent(
            kind=str(envelope["type"]), tenant_id=UUID(envelope["tenant_id"]),
            invoice_id=UUID(envelope["aggregate_id"]), data=dict(envelope["data"]),
            tracking=Tracking(UPSTREAM, int(envelope["notification_id"])),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise PoisonMessageError(f"malformed invoice event: {error!r}") from error


class InvoiceEventsHandler:
    """Keeps each account's ledger in step with its invoices; the log position is saved with the ledger."""

    def __init__(self, app: PaymentApplication, invoices: GrpcInvoices, on_saved: Callable[[], None]) -> None:
        self.app = app
        self.invoices = invoices
        self.on_saved = on_saved

    async def __call__(self, message: Msg) -> None:
        event = parse_invoice_event(message.data)
        if event.kind not in HANDLED or await asyncio.to_thread(self.app.is_processed, event.tracking):
            return
        try:
            facts = await self.invoices.invoice(event.tenant_id, event.invoice_id)
        except InvoiceNotFoundError as error:
            raise PoisonMessageError(f"{event.kind} of an unknown invoice: {error}") from error
        try:
            await asyncio.to_thread(self.app.retrying, lambda: self.apply(event, facts))
        except (DomainError, MoneyError) as error:
            raise PoisonMessageError(f"{event.kind} {event.invoice_id} not applicable: {error}") from error
        self.on_saved()

    def apply(self, event: InvoiceEvent, facts: InvoiceFacts) -> None:
        """Load the ledger, record what happened to the invoice, save with the position."""
        if self.app.is_processed(event.tracking):
            return
        ledger = self.app.ledger(event.tenant_id, facts.account_id, facts.total.currency)
        record_invoice_event(ledger, event, facts)
        try:
            self.app.save_all(ledger, tracking=event.tracking)
        except IntegrityError:
            if self.app.is_processed(event.tracking):
                return
            raise


def record_invoice_event(ledger: CustomerLedger, event: InvoiceEvent, facts: InvoiceFacts) -> None:
    """The ledger's side of an invoice event."""
    if event.kind == "Invoice.Voided" and not ledger.knows_invoice(facts.invoice_id):
        return
    ledger.add_invoice(facts.invoice_id, facts.number, facts.issue_date, facts.due_date, facts.total)
    if event.kind == "Invoice.CreditApplied":
        amount = event.data["amount"]
        ledger.credit_invoice(facts.invoice_id, UUID(event.data["credit_note_id"]),
                              Money.of(amount["amount"], amount["currency"]))
    elif event.kind == "Invoice.Voided":
        ledger.void_invoice(facts.invoice_id)
