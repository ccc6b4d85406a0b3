"""PostgreSQL storage of tenants' webhook settings, endpoints and sealed secrets (schema notify)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from services.notify.webhooks.domain import Endpoint, EndpointStatus, SecretInfo

DDL = [
    "CREATE TABLE IF NOT EXISTS notify.webhook_tenant_settings ("
    " tenant_id uuid PRIMARY KEY, allow_private_targets boolean NOT NULL,"
    " updated_at timestamptz NOT NULL)",
    "CREATE TABLE IF NOT EXISTS notify.webhook_endpoints ("
    " endpoint_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, url text NOT NULL,"
    " event_types text[] NOT NULL, description text NOT NULL,"
    " status text NOT NULL CHECK (status IN ('enabled', 'disabled')),"
    " disabled_reason text NOT NULL DEFAULT '', disabled_at timestamptz, failing_since timestamptz,"
    " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)",
    "CREATE INDEX IF NOT EXISTS webhook_endpoints_by_tenant"
    " ON notify.webhook_endpoints (tenant_id, created_at)",
    "CREATE TABLE IF NOT EXISTS notify.webhook_secrets ("
    " secret_id uuid PRIMARY KEY,"
    " endpoint_id uuid NOT NULL REFERENCES notify.webhook_endpoints ON DELETE CASCADE,"
    " sealed text NOT NULL, hint text NOT NULL, created_at timestamptz NOT NULL,"
    " retired_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS webhook_secrets_by_endpoint ON notify.webhook_secrets (endpoint_id)",
    "CREATE TABLE IF NOT EXISTS notify.webhook_deliveries ("
    " delivery_id uuid PRIMARY KEY, tenant_id uuid NOT NULL,"
    " endpoint_id uuid NOT NULL REFERENCES notify.webhook_endpoints ON DELETE CASCADE,"
    " event_id text NOT NULL, event_type text NOT NULL, payload bytea NOT NULL,"
    " status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),"
    " attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz,"
    " manual boolean NOT NULL DEFAULT false, last_reason text NOT NULL DEFAULT '',"
    " created_at timestamptz NOT NULL, delivered_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON notify.webhook_deliveries"
    " (next_attempt_at, endpoint_id) WHERE next_attempt_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_of_endpoint_due ON notify.webhook_deliveries"
    " (endpoint_id, next_attempt_at) WHERE next_attempt_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_by_endpoint"
    " ON notify.webhook_deliveries (tenant_id, endpoint_id, created_at DESC, delivery_id DESC)",
    "CREATE TABLE IF NOT EXISTS notify.webhook_attempts ("
    " delivery_id uuid NOT NULL REFERENCES notify.webhook_deliveries ON DELETE CASCADE,"
    " number int NOT NULL, attempted_at timestamptz NOT NULL,"
    " outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed')),"
    " status_code int NOT NULL, reason text NOT NULL, duration_ms int NOT NULL,"
    " manual boolean NOT NULL, PRIMARY KEY (delivery_id, number))",
]

ENDPOINT_COLUMNS = ("endpoint_id, tenant_id, url, event_types, description, status, disabled_reason,"
                    " disabled_at, failing_since, created_at, updated_at")
ACTIVE_SECRETS = ("SELECT secret_id, hint, created_at, sealed FROM notify.webhook_secrets"
                  " WHERE endpoint_id = $1 AND retired_at IS NULL ORDER BY created_at DESC, secret_id")


def endpoint_from_row(row: asyncpg.Record, secrets: list[asyncpg.Record]) -> Endpoint:
    """A stored endpoint with its active secrets, newest first."""
    return Endpoint(
        endpoint_id=row["endpoint_id"], tenant_id=row["tenant_id"], url=row["url"],
        event_types=tuple(row["event_types"]), description=row["description"],
        status=EndpointStatus(row["status"]), disabled_reason=row["disabled_reason"],
        disabled_at=row["disabled_at"], failing_since=row["failing_since"],
        created_at=row["created_at"], updated_at=row["updated_at"],
        secrets=tuple(SecretInfo(s["secret_id"], s["hint"], s["created_at"]) for s in secrets),
    )


def endpoint_values(endpoint: Endpoint) -> tuple[object, ...]:
    """An endpoint as values in ENDPOINT_COLUMNS order."""
    return (endpoint.endpoint_id, endpoint.tenant_id, endpoint.url, list(endpoint.event_types),
            endpoint.description, endpoint.status.value, endpoint.disabled_reason,
            endpoint.disabled_at, endpoint.failing_since, endpoint.created_at, endpoint.updated_at)


async def load_endpoint(conn: asyncpg.Connection, tenant_id: UUID, endpoint_id: UUID,
                        lock: bool = False) -> Endpoint | None:
    """The tenant's endpoint with its active secrets; locked FOR UPDATE when asked."""
    row = await conn.fetchrow(
        f"SELECT {ENDPOINT_COLUMNS} FROM notify.webhook_endpoints WHERE tenant_id = $1"
        f" AND endpoint_id = $2{' FOR UPDATE' if lock else ''}", tenant_id, endpoint_id)
    if row is None:
        return None
    return endpoint_from_row(row, await conn.fetch(ACTIVE_SECRETS, endpoint_id))


async def save_endpoint_state(conn: asyncpg.Connection, endpoint: Endpoint) -> None:
    """Store an endpoint's url, filters, description, status and failure record."""
    await conn.execute(
        "UPDATE notify.webhook_endpoints SET url = $3, event_types = $4, description = $5,"
        " status = $6, disabled_reason = $7, disabled_at = $8, failing_since = $9, updated_at = $10"
        " WHERE endpoint_id = $1 AND tenant_id = $2", *endpoint_values(endpoint)[:9], endpoint.updated_at)


class PostgresEndpointStore:
    """Tenant settings, endpoints and sealed secrets in schema notify."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def allows_private_targets(self, tenant_id: UUID) -> bool:
        """The tenant's setting; False until an admin sets it."""
        value = await self.pool.fetchval(
            "SELECT allow_private_targets FROM notify.webhook_tenant_settings WHERE tenant_id = $1",
            tenant_id)
        return bool(value)

    async def set_private_targets(self, tenant_id: UUID, allowed: bool, at: datetime) -> None:
        """Change the tenant's setting."""
        await self.pool.execute(
            "INSERT INTO notify.webhook_tenant_settings (tenant_id, allow_private_targets, updated_at)"
            " VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE"
            " SET allow_private_targets = EXCLUDED.allow_private_targets, updated_at = EXCLUDED.updated_at",
            tenant_id, allowed, at)

    async def add_endpoint(self, endpoint: Endpoint, secret_id: UUID, sealed: str, hint: str) -> None:
        """Store a new endpoint with its first secret."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                f"INSERT INTO notify.webhook_endpoints ({ENDPOINT_COLUMNS})"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", *endpoint_values(endpoint))
            await self._add_secret(conn, endpoint.endpoint_id, secret_id, sealed, hint, endpoint.created_at)

    async def find(self, tenant_id: UUID, endpoint_id: UUID) -> Endpoint | None:
        """The tenant's endpoint, if any."""
        async with self.pool.acquire() as conn:
            return await load_endpoint(conn, tenant_id, endpoint_id)

    async def list_endpoints(self, tenant_id: UUID, status: EndpointStatus | None) -> list[Endpoint]:
        """The tenant's endpoints, oldest first."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {ENDPOINT_COLUMNS} FROM notify.webhook_endpoints WHERE tenant_id = $1"
                " AND ($2::text IS NULL OR status = $2) ORDER BY created_at, endpoint_id",
                tenant_id, status.value if status else None)
            return [endpoint_from_row(row, await conn.fetch(ACTIVE_SECRETS, row["endpoint_id"]))
                    for row in rows]

    async def save(self, endpoint: Endpoint) -> None:
        """Store the endpoint's new state."""
        async with self.pool.acquire() as conn:
            await save_endpoint_state(conn, endpoint)

    async def enable(self, endpoint: Endpoint) -> None:
        """Store the enabled endpoint and make its waiting deliveries due now."""
        async with self.pool.acquire() as conn, conn.transaction():
            await save_endpoint_state(conn, endpoint)
            await conn.execute(
                "UPDATE notify.webhook_deliveries SET next_attempt_at = $3 WHERE tenant_id = $1"
                " AND endpoint_id = $2 AND status = 'pending' AND next_attempt_at > $3",
                endpoint.tenant_id, endpoint.endpoint_id, endpoint.updated_at)

    async def delete(self, tenant_id: UUID, endpoint_id: UUID) -> bool:
        """Remove the endpoint with its secrets and deliveries; False when there was none."""
        status = await self.pool.execute(
            "DELETE FROM notify.webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2",
            tenant_id, endpoint_id)
        return bool(status.endswith(" 1"))

    @staticmethod
    async def _add_secret(conn: asyncpg.Connection, endpoint_id: UUID, secret_id: UUID, sealed: str,
                          hint: str, at: datetime) -> None:
        await conn.execute(
            "INSERT INTO notify.webhook_secrets (secret_id, endpoint_id, sealed, hint, created_at)"
            " VALUES ($1, $2, $3, $4, $5)", secret_id, endpoint_id, sealed, hint, at)

    async def add_secret(self, tenant_id: UUID, endpoint_id: UUID, secret_id: UUID, sealed: str,
                         hint: str, at: datetime, limit: int) -> Endpoint | None:
        """Add a secret unless the endpoint has `limit` active ones; the endpoint as it was then."""
        async with self.pool.acquire() as conn, conn.transaction():
            endpoint = await load_endpoint(conn, tenant_id, endpoint_id, lock=True)
            if endpoint is not None and len(endpoint.secrets) < limit:
                await self._add_secret(conn, endpoint_id, secret_id, sealed, hint, at)
            return endpoint

    async def retire_secret(self, tenant_id: UUID, endpoint_id: UUID, secret_id: UUID,
                            at: datetime) -> Endpoint | None:
        """Retire the secret unless it is the last active one; the endpoint as it was then."""
        async with self.pool.acquire() as conn, conn.transaction():
            endpoint = await load_endpoint(conn, tenant_id, endpoint_id, lock=True)
            active = [] if endpoint is None else [s.secret_id for s in endpoint.secrets]
            if secret_id in active and len(active) > 1:
                await conn.execute(
                    "UPDATE notify.webhook_secrets SET retired_at = $3 WHERE endpoint_id = $1"
                    " AND secret_id = $2", endpoint_id, secret_id, at)
            return endpoint

    async def matching_candidates(self, tenant_id: UUID) -> list[tuple[UUID, tuple[str, ...]]]:
        """Every endpoint of the tenant with its filters (disabled ones hold their deliveries)."""
        rows = await self.pool.fetch(
            "SELECT endpoint_id, event_types FROM notify.webhook_endpoints WHERE tenant_id = $1",
            tenant_id)
        return [(row["endpoint_id"], tuple(row["event_types"])) for row in rows]
