"""PostgreSQL delivery log: recording deliveries, claiming due ones, settling attempts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.notify.webhooks.domain import Attempt, Delivery, DeliveryStatus, Endpoint
from services.notify.webhooks.sql import load_endpoint, save_endpoint_state

DELIVERY_COLUMNS = ("delivery_id, tenant_id, endpoint_id, event_id, event_type, status, attempts,"
                    " next_attempt_at, manual, last_reason, created_at, delivered_at")
ATTEMPT_COLUMNS = ("delivery_id, number, attempted_at, outcome, status_code, reason, duration_ms,"
                   " manual")


@dataclass(frozen=True)
class ClaimedDelivery:
    """A due delivery leased to one sender, with the exact body to POST."""

    delivery: Delivery
    payload: bytes


@dataclass(frozen=True)
class SendingContext:
    """What a sender needs to know about an endpoint: where, which secrets, which targets."""

    endpoint: Endpoint
    sealed_secrets: tuple[str, ...]
    allow_private: bool


def delivery_from_row(row: asyncpg.Record) -> Delivery:
    """A stored row as a delivery."""
    return Delivery(
        delivery_id=row["delivery_id"], tenant_id=row["tenant_id"], endpoint_id=row["endpoint_id"],
        event_id=row["event_id"], event_type=row["event_type"], status=DeliveryStatus(row["status"]),
        attempts=row["attempts"], next_attempt_at=row["next_attempt_at"], manual=row["manual"],
        last_reason=row["last_reason"], created_at=row["created_at"], delivered_at=row["delivered_at"],
    )


def attempt_from_row(row: asyncpg.Record) -> Attempt:
    """A stored row as an attempt."""
    return Attempt(row["delivery_id"], row["number"], row["attempted_at"], DeliveryStatus(row["outcome"]),
                   row["status_code"], row["reason"], row["duration_ms"], row["manual"])


class PostgresDeliveryQueue:
    """notify.webhook_deliveries and notify.webhook_attempts."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def record(self, tenant_id: UUID, event_id: str, event_type: str, payload: bytes,
                     endpoint_ids: Sequence[UUID], at: datetime) -> int:
        """One pending delivery per endpoint unless it exists already; how many are new."""
        status = await self.pool.execute(
            "INSERT INTO notify.webhook_deliveries (delivery_id, tenant_id, endpoint_id, event_id,"
            " event_type, payload, status, next_attempt_at, created_at)"
            " SELECT t.d, $1, t.e, $2, $3, $4, 'pending', $5, $5"
            " FROM unnest($6::uuid[], $7::uuid[]) AS t(d, e)"
            " JOIN notify.webhook_endpoints w ON w.endpoint_id = t.e AND w.tenant_id = $1"
            " ON CONFLICT (delivery_id) DO NOTHING",
            tenant_id, event_id, event_type, payload, at,
            [Delivery.id_for(event_id, endpoint_id) for endpoint_id in endpoint_ids], list(endpoint_ids))
        return int(status.rsplit(" ", 1)[1])

    async def due_endpoints(self, now: datetime, busy: Sequence[UUID], limit: int) -> list[UUID]:
        """Enabled endpoints with due deliveries, leaving out those already sending their share."""
        rows = await self.pool.fetch(
            "SELECT DISTINCT d.endpoint_id FROM notify.webhook_deliveries d"
            " JOIN notify.webhook_endpoints e ON e.endpoint_id = d.endpoint_id"
            " WHERE d.next_attempt_at <= $1 AND e.status = 'enabled'"
            " AND NOT (d.endpoint_id = ANY($2::uuid[])) LIMIT $3", now, list(busy), limit)
        return [row["endpoint_id"] for row in rows]

    async def claim(self, endpoint_id: UUID, now: datetime, lease_until: datetime,
                    limit: int) -> list[ClaimedDelivery]:
        """Lease up to `limit` due deliveries of the endpoint; a lease that ends makes them due again."""
        rows = await self.pool.fetch(
            "UPDATE notify.webhook_deliveries d SET next_attempt_at = $3"
            " FROM (SELECT delivery_id FROM notify.webhook_deliveries WHERE endpoint_id = $1"
            "  AND next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) due"
            f" WHERE d.delivery_id = due.delivery_id RETURNING {prefixed(DELIVERY_COLUMNS)}, d.payload",
            endpoint_id, now, lease_until, limit)
        return [ClaimedDelivery(delivery_from_row(row), bytes(row["payload"])) for row in rows]

    async def sending_context(self, tenant_id: UUID, endpoint_id: UUID) -> SendingContext | None:
        """The endpoint, its sealed active secrets (newest first) and the tenant's target setting."""
        async with self.pool.acquire() as conn:
            endpoint = await load_endpoint(conn, tenant_id, endpoint_id)
            if endpoint is None:
                return None
            sealed = await conn.fetch(
                "SELECT sealed FROM notify.webhook_secrets WHERE endpoint_id = $1 AND retired_at IS NULL"
                " ORDER BY created_at DESC, secret_id", endpoint_id)
            allowed = await conn.fetchval(
                "SELECT allow_private_targets FROM notify.webhook_tenant_settings WHERE tenant_id = $1",
                tenant_id)
        return SendingContext(endpoint, tuple(row["sealed"] for row in sealed), bool(allowed))

    async def settle(self, delivery: Delivery, attempt: Attempt,
                     endpoint_change: Callable[[Endpoint], Endpoint]) -> tuple[Endpoint, Endpoint] | None:
        """Log the attempt, store the delivery and the endpoint's health in one transaction.

        Returns the endpoint before and after, or None when the endpoint was deleted meanwhile.
        """
        async with self.pool.acquire() as conn, conn.transaction():
            endpoint = await load_endpoint(conn, delivery.tenant_id, delivery.endpoint_id, lock=True)
            updated = await conn.execute(
                "UPDATE notify.webhook_deliveries SET status = $3, attempts = $4, next_attempt_at = $5,"
                " manual = $6, last_reason = $7, delivered_at = $8 WHERE delivery_id = $1 AND tenant_id = $2",
                delivery.delivery_id, delivery.tenant_id, delivery.status.value, delivery.attempts,
                delivery.next_attempt_at, delivery.manual, delivery.last_reason, delivery.delivered_at)
            if endpoint is None or updated.endswith(" 0"):
                return None
            await conn.execute(
                f"INSERT INTO notify.webhook_attempts ({ATTEMPT_COLUMNS})"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                attempt.delivery_id, attempt.number, attempt.attempted_at, attempt.outcome.value,
                attempt.status_code, attempt.reason, attempt.duration_ms, attempt.manual)
            changed = endpoint_change(endpoint)
            if changed != endpoint:
                await save_endpoint_state(conn, changed)
            return endpoint, changed

    async def find(self, tenant_id: UUID, delivery_id: UUID) -> Delivery | None:
        """The tenant's delivery, if any."""
        row = await self.pool.fetchrow(
            f"SELECT {DELIVERY_COLUMNS} FROM notify.webhook_deliveries WHERE tenant_id = $1"
            " AND delivery_id = $2", tenant_id, delivery_id)
        return None if row is None else delivery_from_row(row)

    async def attempts(self, tenant_id: UUID, delivery_id: UUID) -> list[Attempt]:
        """The delivery's attempts, first first."""
        rows = await self.pool.fetch(
            f"SELECT {prefixed(ATTEMPT_COLUMNS, 'a')} FROM notify.webhook_attempts a"
            " JOIN notify.webhook_deliveries d ON d.delivery_id = a.delivery_id"
            " WHERE d.tenant_id = $1 AND a.delivery_id = $2 ORDER BY a.number", tenant_id, delivery_id)
        return [attempt_from_row(row) for row in rows]

    async def page(self, tenant_id: UUID, endpoint_id: UUID, status: DeliveryStatus | None,
                   after: tuple[datetime, UUID] | None, limit: int) -> list[Delivery]:
        """The endpoint's deliveries, newest first, after a (created_at, delivery_id) key."""
        created, delivery_id = after if after is not None else (None, None)
        rows = await self.pool.fetch(
            f"SELECT {DELIVERY_COLUMNS} FROM notify.webhook_deliveries WHERE tenant_id = $1"
            " AND endpoint_id = $2 AND ($3::text IS NULL OR status = $3)"
            " AND ($4::timestamptz IS NULL OR (created_at, delivery_id) < ($4, $5::uuid))"
            " ORDER BY created_at DESC, delivery_id DESC LIMIT $6",
            tenant_id, endpoint_id, status.value if status else None, created, delivery_id, limit)
        return [delivery_from_row(row) for row in rows]

    async def schedule(self, delivery: Delivery) -> None:
        """Store when the delivery is next tried, and whether that try was asked for."""
        await self.pool.execute(
            "UPDATE notify.webhook_deliveries SET next_attempt_at = $3, manual = $4"
            " WHERE tenant_id = $1 AND delivery_id = $2",
            delivery.tenant_id, delivery.delivery_id, delivery.next_attempt_at, delivery.manual)


def prefixed(columns: str, alias: str = "d") -> str:
    """'d.a, d.b' from 'a, b'."""
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))
