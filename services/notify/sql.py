"""PostgreSQL storage of the email delivery log in schema notify (asyncpg)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from kernel.money import Money
from services.notify.application import DeliveryQuery, PageKey
from services.notify.domain import Delivery, DeliveryStatus
from services.notify.events import CustomerEvent, EventFacts, NotificationKind
from services.notify.sql_templates import TEMPLATE_DDL

DELIVERY_DDL = [
    "CREATE TABLE IF NOT EXISTS notify.email_deliveries ("
    " delivery_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, event_id text NOT NULL,"
    " kind text NOT NULL, aggregate_id uuid NOT NULL, occurred_at timestamptz NOT NULL,"
    " account_id uuid, invoice_ids uuid[] NOT NULL, facts jsonb NOT NULL,"
    " recipient text NOT NULL DEFAULT '', locale text NOT NULL DEFAULT '',"
    " subject text NOT NULL DEFAULT '',"
    " status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'bounced')),"
    " reason text NOT NULL DEFAULT '', last_error text NOT NULL DEFAULT '',"
    " attempts int NOT NULL DEFAULT 0, queued_at timestamptz NOT NULL,"
    " updated_at timestamptz NOT NULL, next_attempt_at timestamptz, sent_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS email_deliveries_due"
    " ON notify.email_deliveries (next_attempt_at) WHERE status = 'queued'",
    "CREATE INDEX IF NOT EXISTS email_deliveries_by_tenant"
    " ON notify.email_deliveries (tenant_id, queued_at, delivery_id)",
    "CREATE INDEX IF NOT EXISTS email_deliveries_by_account"
    " ON notify.email_deliveries (tenant_id, account_id, queued_at, delivery_id)",
    "CREATE INDEX IF NOT EXISTS email_deliveries_by_invoice"
    " ON notify.email_deliveries USING gin (invoice_ids)",
]
DDL = [*DELIVERY_DDL, *TEMPLATE_DDL]
"""Every table of notify's email part (idempotent)."""

COLUMNS = (
    "delivery_id, tenant_id, event_id, kind, aggregate_id, occurred_at, account_id, invoice_ids,"
    " facts, recipient, locale, subject, status, reason, last_error, attempts, queued_at,"
    " updated_at, next_attempt_at, sent_at"
)
INSERT = (
    f"INSERT INTO notify.email_deliveries ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
    " $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    " ON CONFLICT (delivery_id) DO NOTHING"
)
SELECT_DUE = (
    f"SELECT {COLUMNS} FROM notify.email_deliveries WHERE status = 'queued'"
    " AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED"
)
UPDATE_STATE = (
    "UPDATE notify.email_deliveries SET account_id = $2, recipient = $3, locale = $4, subject = $5,"
    " status = $6, reason = $7, last_error = $8, attempts = $9, updated_at = $10,"
    " next_attempt_at = $11, sent_at = $12 WHERE delivery_id = $1"
)


def facts_to_json(facts: EventFacts) -> str:
    """An event's facts as stored (money as {amount, currency})."""
    amount = {"amount": str(facts.amount.amount), "currency": facts.amount.currency} \
        if facts.amount else None
    return json.dumps({
        "amount": amount, "method": facts.method, "provider_ref": facts.provider_ref,
        "failure_reason": facts.failure_reason, "episode": facts.episode, "step": facts.step,
        "days_overdue": facts.days_overdue, "question": facts.question, "outcome": facts.outcome,
        "note": facts.note, "credit_note_number": facts.credit_note_number,
    })


def facts_from_json(text: str) -> EventFacts:
    """Stored facts as the domain's (rows stored before the query kinds lack their fields)."""
    stored: dict[str, Any] = json.loads(text)
    amount = stored["amount"]
    return EventFacts(
        amount=Money.of(amount["amount"], amount["currency"]) if amount else None,
        method=stored["method"], provider_ref=stored["provider_ref"],
        failure_reason=stored["failure_reason"], episode=stored["episode"], step=stored["step"],
        days_overdue=stored["days_overdue"], question=stored.get("question", ""),
        outcome=stored.get("outcome", ""), note=stored.get("note", ""),
        credit_note_number=stored.get("credit_note_number", ""),
    )


def delivery_from_row(row: asyncpg.Record) -> Delivery:
    """A stored row as a delivery."""
    event = CustomerEvent(
        event_id=row["event_id"], tenant_id=row["tenant_id"], kind=NotificationKind(row["kind"]),
        aggregate_id=row["aggregate_id"], occurred_at=row["occurred_at"],
        account_id=row["account_id"], invoice_ids=tuple(row["invoice_ids"]),
        facts=facts_from_json(row["facts"]),
    )
    return Delivery(
        event=event, status=DeliveryStatus(row["status"]), queued_at=row["queued_at"],
        updated_at=row["updated_at"], next_attempt_at=row["next_attempt_at"],
        account_id=row["account_id"], recipient=row["recipient"], locale=row["locale"],
        subject=row["subject"], reason=row["reason"], last_error=row["last_error"],
        attempts=row["attempts"], sent_at=row["sent_at"],
    )


def delivery_values(delivery: Delivery) -> tuple[object, ...]:
    """A delivery as the values of INSERT, in column order."""
    event = delivery.event
    return (
        delivery.delivery_id, event.tenant_id, event.event_id, event.kind.value, event.aggregate_id,
        event.occurred_at, delivery.account_id, list(event.invoice_ids), facts_to_json(event.facts),
        delivery.recipient, delivery.locale, delivery.subject, delivery.status.value,
        delivery.reason, delivery.last_error, delivery.attempts, delivery.queued_at,
        delivery.updated_at, delivery.next_attempt_at, delivery.sent_at,
    )


def state_values(delivery: Delivery) -> tuple[object, ...]:
    """A delivery's changing state as the values of UPDATE_STATE."""
    return (
        delivery.delivery_id, delivery.account_id, delivery.recipient, delivery.locale,
        delivery.subject, delivery.status.value, delivery.reason, delivery.last_error,
        delivery.attempts, delivery.updated_at, delivery.next_attempt_at, delivery.sent_at,
    )


def query_conditions(
    tenant_id: UUID, query: DeliveryQuery, after: PageKey | None
) -> tuple[list[str], list[object]]:
    """The WHERE conditions of a listing and their parameters, numbered in order."""
    conditions: list[str] = ["tenant_id = $1"]
    values: list[object] = [tenant_id]
    filters: list[tuple[str, object]] = [
        ("invoice_ids @> ARRAY[${}]::uuid[]", query.invoice_id),
        ("account_id = ${}", query.account_id),
        ("kind = ${}", query.kind.value if query.kind else None),
        ("status = ${}", query.status.value if query.status else None),
        ("queued_at >= ${}", query.since),
    ]
    for condition, value in filters:
        if value is not None:
            values.append(value)
            conditions.append(condition.format(len(values)))
    if after is not None:
        values.extend(after)
        conditions.append(f"(queued_at, delivery_id) > (${len(values) - 1}, ${len(values)})")
    return conditions, values


class PostgresClaim:
    """A delivery row locked FOR UPDATE inside an open transaction."""

    def __init__(self, conn: asyncpg.Connection, delivery: Delivery) -> None:
        self.conn = conn
        self._delivery = delivery

    @property
    def delivery(self) -> Delivery:
        """The delivery as stored when it was claimed."""
        return self._delivery

    async def save(self, delivery: Delivery) -> None:
        """Update the locked row; it commits when the claim ends."""
        await self.conn.execute(UPDATE_STATE, *state_values(delivery))


class PostgresDeliveryLog:
    """The delivery log in notify.email_deliveries; a claim is a row lock (SKIP LOCKED)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(self, delivery: Delivery) -> bool:
        """Insert the delivery unless its id exists; True when inserted."""
        status = await self.pool.execute(INSERT, *delivery_values(delivery))
        return bool(status == "INSERT 0 1")

    async def get(self, tenant_id: UUID, delivery_id: UUID) -> Delivery | None:
        """The tenant's delivery with this id, if any."""
        row = await self.pool.fetchrow(
            f"SELECT {COLUMNS} FROM notify.email_deliveries WHERE tenant_id = $1 AND delivery_id = $2",
            tenant_id, delivery_id,
        )
        return None if row is None else delivery_from_row(row)

    async def list_deliveries(
        self, tenant_id: UUID, query: DeliveryQuery, limit: int, after: PageKey | None
    ) -> list[Delivery]:
        """Matching deliveries ordered by (queued_at, delivery_id), after the page key."""
        conditions, values = query_conditions(tenant_id, query, after)
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS} FROM notify.email_deliveries WHERE {' AND '.join(conditions)}"
            f" ORDER BY queued_at, delivery_id LIMIT {int(limit)}",
            *values,
        )
        return [delivery_from_row(row) for row in rows]

    @asynccontextmanager
    async def claim_due(self, now: datetime) -> AsyncIterator[PostgresClaim | None]:
        """Lock the queued delivery due soonest that no one else holds, until the block ends."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(SELECT_DUE, now)
            yield None if row is None else PostgresClaim(conn, delivery_from_row(row))
