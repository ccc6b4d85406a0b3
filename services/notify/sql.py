"""PostgreSQL storage of the delivery log in schema notify (asyncpg)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg

from services.notify.domain import Delivery, DeliveryStatus

DDL = [
    "CREATE TABLE IF NOT EXISTS notify.deliveries ("
    " delivery_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, event_id text NOT NULL,"
    " invoice_id uuid NOT NULL, channel text NOT NULL, recipient text NOT NULL,"
    " subject text NOT NULL,"
    " status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),"
    " reason text NOT NULL DEFAULT '', attempts int NOT NULL DEFAULT 0,"
    " updated_at timestamptz NOT NULL)",
    "CREATE INDEX IF NOT EXISTS deliveries_by_invoice"
    " ON notify.deliveries (tenant_id, invoice_id, updated_at)",
]

COLUMNS = ("delivery_id, tenant_id, event_id, invoice_id, channel, recipient, subject, status,"
           " reason, attempts, updated_at")

INSERT_QUEUED = (
    f"INSERT INTO notify.deliveries ({COLUMNS})"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (delivery_id) DO NOTHING"
)
SELECT_FOR_UPDATE = f"SELECT {COLUMNS} FROM notify.deliveries WHERE delivery_id = $1 FOR UPDATE"
UPDATE_STATE = (
    "UPDATE notify.deliveries SET recipient = $2, subject = $3, status = $4, reason = $5,"
    " attempts = $6, updated_at = $7 WHERE delivery_id = $1"
)


def delivery_from_row(row: asyncpg.Record) -> Delivery:
    """A stored row as a delivery."""
    return Delivery(
        delivery_id=row["delivery_id"], tenant_id=row["tenant_id"], event_id=row["event_id"],
        invoice_id=row["invoice_id"], channel=row["channel"], recipient=row["recipient"],
        subject=row["subject"], status=DeliveryStatus(row["status"]), reason=row["reason"],
        attempts=row["attempts"], updated_at=row["updated_at"],
    )


def delivery_values(delivery: Delivery) -> tuple[object, ...]:
    """A delivery as the values of an INSERT, in column order."""
    return (
        delivery.delivery_id, delivery.tenant_id, delivery.event_id, delivery.invoice_id,
        delivery.channel, delivery.recipient, delivery.subject, delivery.status.value,
        delivery.reason, delivery.attempts, delivery.updated_at,
    )


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
        await self.conn.execute(
            UPDATE_STATE, delivery.delivery_id, delivery.recipient, delivery.subject,
            delivery.status.value, delivery.reason, delivery.attempts, delivery.updated_at,
        )


class PostgresDeliveryLog:
    """The delivery log in notify.deliveries; a claim is a row lock held while sending."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def find(self, delivery_id: UUID) -> Delivery | None:
        """The delivery with this id, if any."""
        row = await self.pool.fetchrow(
            f"SELECT {COLUMNS} FROM notify.deliveries WHERE delivery_id = $1", delivery_id
        )
        return None if row is None else delivery_from_row(row)

    @asynccontextmanager
    async def claim(self, delivery: Delivery) -> AsyncIterator[PostgresClaim]:
        """Insert the delivery as queued unless it exists, and lock it until the block ends."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(INSERT_QUEUED, *delivery_values(delivery))
            row = await conn.fetchrow(SELECT_FOR_UPDATE, delivery.delivery_id)
            yield PostgresClaim(conn, delivery_from_row(row))

    async def list_deliveries(self, tenant_id: UUID, invoice_id: UUID | None) -> list[Delivery]:
        """The tenant's deliveries, oldest first, optionally about one invoice only."""
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS} FROM notify.deliveries WHERE tenant_id = $1"
            " AND ($2::uuid IS NULL OR invoice_id = $2) ORDER BY updated_at, delivery_id",
            tenant_id, invoice_id,
        )
        return [delivery_from_row(row) for row in rows]
