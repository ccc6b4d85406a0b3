"""Disputed amounts held out of dunning: a table of each support query's hold, fed by support events.

A query opened with a disputed amount on an invoice holds that amount while the query is not
closed; Query.Resolved or Query.Rejected releases it. Each row keeps the version of the last
query event applied, so a redelivered or late event never undoes a newer one (a close that
arrives before its opening leaves a released row the opening cannot re-open). Writes are
idempotent upserts: redelivery applies nothing twice. Dunning sums the open holds per invoice
(DISPUTED_SQL, in the positions read model).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from nats.aio.msg import Msg

from kernel.messaging import PoisonMessageError
from kernel.money import Money, MoneyError

log = logging.getLogger(__name__)

QUERY_EVENTS_SUBJECT = "events.support.Query.>"
QUERY_EVENTS_DURABLE = "payment-disputes"
OPENED = "Query.Opened"
CLOSING = frozenset({"Query.Resolved", "Query.Rejected"})
DDL = [
    "CREATE TABLE IF NOT EXISTS payment.dispute_holds ("
    " tenant_id uuid NOT NULL, query_id uuid NOT NULL, account_id uuid, invoice_id uuid,"
    " amount numeric, currency text, open boolean NOT NULL, version integer NOT NULL,"
    " PRIMARY KEY (tenant_id, query_id))",
    "CREATE INDEX IF NOT EXISTS dispute_holds_open ON payment.dispute_holds (tenant_id, invoice_id)"
    " WHERE open",
]
DISPUTED_SQL = (
    "COALESCE((SELECT sum(h.amount) FROM payment.dispute_holds h WHERE h.tenant_id = r.tenant_id"
    " AND h.invoice_id = r.invoice_id AND h.open), 0) AS disputed"
)
"""The open disputed amount of receivable `r`, as a column of a query over payment.receivables r."""

HoldChanged = Callable[[UUID, UUID], Awaitable[object]]


@dataclass(frozen=True)
class Hold:
    """An amount of an invoice a query disputes."""

    tenant_id: UUID
    query_id: UUID
    account_id: UUID
    invoice_id: UUID
    amount: Money


@dataclass(frozen=True)
class QueryEvent:
    """A support query event as the hold needs it."""

    kind: str
    tenant_id: UUID
    query_id: UUID
    version: int
    data: dict[str, Any]

    def hold(self) -> Hold | None:
        """The amount an opening disputes, None when it disputes nothing."""
        disputed = self.data.get("disputed_amount")
        if not disputed or not self.data.get("invoice_id"):
            return None
        return Hold(self.tenant_id, self.query_id, UUID(self.data["account_id"]),
                    UUID(self.data["invoice_id"]), Money.of(disputed["amount"], disputed["currency"]))


def parse_query_event(body: bytes) -> QueryEvent:
    """Read the envelope; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        event = QueryEvent(kind=str(envelope["type"]), tenant_id=UUID(envelope["tenant_id"]),
                           query_id=UUID(envelope["aggregate_id"]),
                           version=int(envelope["aggregate_version"]), data=dict(envelope["data"]))
        if event.kind == OPENED:
            event.hold()
        return event
    except (ValueError, KeyError, TypeError, MoneyError) as error:
        raise PoisonMessageError(f"malformed support query event: {error!r}") from error


class DisputeHolds:
    """The holds table: opened by a query's opening, released by its closing."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def open(self, hold: Hold) -> None:
        """Hold the amount (a released or already open row stays as it is)."""
        await self.pool.execute(
            "INSERT INTO payment.dispute_holds VALUES ($1, $2, $3, $4, $5, $6, true, 1)"
            " ON CONFLICT (tenant_id, query_id) DO NOTHING",
            hold.tenant_id, hold.query_id, hold.account_id, hold.invoice_id, hold.amount.amount,
            hold.amount.currency)

    async def release(self, tenant_id: UUID, query_id: UUID, version: int) -> None:
        """Release the query's hold (a row is kept even when it held nothing, against a late opening)."""
        await self.pool.execute(
            "INSERT INTO payment.dispute_holds (tenant_id, query_id, open, version)"
            " VALUES ($1, $2, false, $3) ON CONFLICT (tenant_id, query_id) DO UPDATE"
            " SET open = false, version = EXCLUDED.version"
            " WHERE payment.dispute_holds.version < EXCLUDED.version",
            tenant_id, query_id, version)


class QueryEventsHandler:
    """Opens and releases holds from support query events; a new hold lets dunning look again."""

    def __init__(self, holds: DisputeHolds, hold_opened: HoldChanged | None = None) -> None:
        self.holds = holds
        self.hold_opened = hold_opened

    async def __call__(self, message: Msg) -> None:
        event = parse_query_event(message.data)
        if event.kind in CLOSING:
            await self.holds.release(event.tenant_id, event.query_id, event.version)
            return
        hold = event.hold() if event.kind == OPENED else None
        if hold is None:
            return
        await self.holds.open(hold)
        log.info("disputed amount held", extra={"fields": {
            "query_id": str(hold.query_id), "invoice_id": str(hold.invoice_id), "amount": str(hold.amount)}})
        if self.hold_opened is not None:
            await self.hold_opened(hold.tenant_id, hold.account_id)
