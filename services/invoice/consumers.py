"""Consumers of other services' events: what the customer ledger allocated to invoices."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Tracking
from nats.aio.msg import Msg

from kernel.errors import DomainError
from kernel.ids import derived_id
from kernel.messaging import PoisonMessageError
from kernel.money import Money, MoneyError
from services.invoice.application import InvoiceApplication

LEDGER_SUBJECT = "events.payment.CustomerLedger.>"
LEDGER_DURABLE = "invoice-ledger"
UPSTREAM = "payment"


@dataclass(frozen=True)
class Allocation:
    """Part of an invoice the ledger settled (positive) or re-opened (negative), with its own id."""

    allocation_id: UUID
    invoice_id: UUID
    amount: Money


@dataclass(frozen=True)
class LedgerChange:
    """One customer-ledger event: its tenant, its allocations and its place in the payment log."""

    tenant_id: UUID
    allocations: tuple[Allocation, ...]
    tracking: Tracking


class LedgerAllocationsHandler:
    """Applies each ledger event's allocations to the invoices exactly once (position saved with them)."""

    def __init__(self, app: InvoiceApplication, on_saved: Callable[[], None]) -> None:
        self.app = app
        self.on_saved = on_saved

    async def __call__(self, message: Msg) -> None:
        change = parse_ledger_change(message.data)
        if not change.allocations or await asyncio.to_thread(self.app.is_processed, change.tracking):
            return
        try:
            await asyncio.to_thread(self.app.apply_allocations, change.tenant_id,
                                    [(a.allocation_id, a.invoice_id, a.amount) for a in change.allocations],
                                    change.tracking)
        except DomainError as error:
            raise PoisonMessageError(f"ledger allocations not applicable: {error}") from error
        self.on_saved()


def parse_ledger_change(body: bytes) -> LedgerChange:
    """Read the envelope of a CustomerLedger event; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        ledger_id = UUID(envelope["aggregate_id"])
        version = int(envelope["aggregate_version"])
        allocations = tuple(
            Allocation(
                allocation_id=derived_id(ledger_id, version, item["invoice_id"]),
                invoice_id=UUID(item["invoice_id"]),
                amount=Money.of(item["amount"]["amount"], item["amount"]["currency"]),
            )
            for item in envelope["data"].get("allocations", [])
        )
        return LedgerChange(UUID(envelope["tenant_id"]), allocations,
                            Tracking(UPSTREAM, int(envelope["notification_id"])))
    except (ValueError, KeyError, TypeError, AttributeError, MoneyError) as error:
        raise PoisonMessageError(f"malformed CustomerLedger event: {error!r}") from error
