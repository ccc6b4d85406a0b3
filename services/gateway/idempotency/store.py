"""Idempotency keys in PostgreSQL: claimed while their request runs, then holding its response."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from kernel.ids import new_id

log = logging.getLogger(__name__)

MIN_TTL_HOURS = 24
"""Keys are kept at least a day: a client may retry that long after a failure."""
HEARTBEAT_SECONDS = 60.0
"""How often a running request shows its claim is alive."""
STALE_CLAIM_SECONDS = 600.0
"""A claim not shown alive for this long belongs to a crashed gateway: the key is free again."""
SWEEP_SECONDS = 300.0
"""How often expired keys and stale claims are deleted."""
CLAIM_ATTEMPTS = 3

DDL = [
    "CREATE TABLE IF NOT EXISTS gateway.idempotency_keys ("
    " tenant_id uuid NOT NULL, caller text NOT NULL, key text NOT NULL,"
    " request text NOT NULL, body_sha256 bytea,"
    " state text NOT NULL CHECK (state IN ('in_progress', 'completed')), claim uuid NOT NULL,"
    " status_code integer, headers jsonb, body bytea,"
    " created_at timestamptz NOT NULL DEFAULT now(), touched_at timestamptz NOT NULL DEFAULT now(),"
    " completed_at timestamptz, PRIMARY KEY (tenant_id, caller, key))",
    "CREATE INDEX IF NOT EXISTS idempotency_keys_completed"
    " ON gateway.idempotency_keys (created_at) WHERE state = 'completed'",
    "CREATE INDEX IF NOT EXISTS idempotency_keys_in_progress"
    " ON gateway.idempotency_keys (touched_at) WHERE state = 'in_progress'",
]

FREE_AGAIN = (
    "(k.state = 'completed' AND k.created_at < now() - make_interval(hours => $7))"
    " OR (k.state = 'in_progress' AND k.touched_at < now() - make_interval(secs => $8))"
)
CLAIM = (
    "INSERT INTO gateway.idempotency_keys AS k"
    " (tenant_id, caller, key, request, body_sha256, state, claim)"
    " VALUES ($1, $2, $3, $4, $5, 'in_progress', $6)"
    " ON CONFLICT (tenant_id, caller, key) DO UPDATE SET"
    " request = EXCLUDED.request, body_sha256 = EXCLUDED.body_sha256, state = 'in_progress',"
    " claim = EXCLUDED.claim, status_code = NULL, headers = NULL, body = NULL,"
    " created_at = now(), touched_at = now(), completed_at = NULL"
    f" WHERE {FREE_AGAIN} RETURNING claim"
)
FIND = (
    "SELECT request, body_sha256, state, status_code, headers, body FROM gateway.idempotency_keys"
    " WHERE tenant_id = $1 AND caller = $2 AND key = $3"
)
COMPLETE = (
    "UPDATE gateway.idempotency_keys SET state = 'completed', body_sha256 = $5, status_code = $6,"
    " headers = $7::jsonb, body = $8, completed_at = now(), touched_at = now()"
    " WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND claim = $4 AND state = 'in_progress'"
)
TOUCH = (
    "UPDATE gateway.idempotency_keys SET touched_at = now()"
    " WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND claim = $4 AND state = 'in_progress'"
)
RELEASE = (
    "DELETE FROM gateway.idempotency_keys"
    " WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND claim = $4 AND state = 'in_progress'"
)
SWEEP_EXPIRED = (
    "DELETE FROM gateway.idempotency_keys"
    " WHERE state = 'completed' AND created_at < now() - make_interval(hours => $1)"
)
SWEEP_STALE = (
    "DELETE FROM gateway.idempotency_keys"
    " WHERE state = 'in_progress' AND touched_at < now() - make_interval(secs => $1)"
)


@dataclass(frozen=True)
class Owner:
    """Whose keys these are: a tenant, and the caller within it (a role, or a customer's account)."""

    tenant_id: UUID
    caller: str


@dataclass(frozen=True)
class Fingerprint:
    """What a key stands for: the request line, and the body's SHA-256 once all of it was read."""

    request: str
    body_sha256: bytes | None


@dataclass(frozen=True)
class StoredResponse:
    """A response kept for replay; no body when it held a secret that is shown only once."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes | None


@dataclass(frozen=True)
class Claim:
    """The right to run the request of a key, held until completed or released."""

    owner: Owner
    key: str
    token: UUID

    def row(self) -> tuple[UUID, str, str, UUID]:
        """The SQL parameters naming this claim's row."""
        return self.owner.tenant_id, self.owner.caller, self.key, self.token


@dataclass(frozen=True)
class Existing:
    """A key already in use: its request is still running (no response yet) or was answered."""

    fingerprint: Fingerprint
    response: StoredResponse | None


def existing(row: asyncpg.Record) -> Existing:
    """A key's row as what it stands for and, once completed, its response."""
    fingerprint = Fingerprint(row["request"], row["body_sha256"])
    if row["state"] != "completed":
        return Existing(fingerprint, None)
    headers = [(name, value) for name, value in json.loads(row["headers"])]
    return Existing(fingerprint, StoredResponse(row["status_code"], headers, row["body"]))


def affected(command_tag: str) -> int:
    """The row count of an UPDATE or DELETE ('DELETE 3' -> 3)."""
    return int(command_tag.rsplit(" ", 1)[-1])


class IdempotencyStore:
    """Idempotency keys and their responses in the gateway schema."""

    def __init__(self, pool: asyncpg.Pool, ttl_hours: int = MIN_TTL_HOURS) -> None:
        if ttl_hours < MIN_TTL_HOURS:
            raise ValueError(f"idempotency keys must be kept at least {MIN_TTL_HOURS} hours")
        self.pool = pool
        self.ttl_hours = ttl_hours

    async def claim(self, owner: Owner, key: str, fingerprint: Fingerprint) -> Claim | Existing:
        """Claim a new (or expired) key for a request, or find the request that already has it."""
        for _ in range(CLAIM_ATTEMPTS):
            token = new_id()
            won = await self.pool.fetchval(
                CLAIM, owner.tenant_id, owner.caller, key, fingerprint.request,
                fingerprint.body_sha256, token, self.ttl_hours, STALE_CLAIM_SECONDS,
            )
            if won == token:
                return Claim(owner, key, token)
            row = await self.pool.fetchrow(FIND, owner.tenant_id, owner.caller, key)
            if row is not None:
                return existing(row)
        return Existing(fingerprint, None)

    async def complete(self, claim: Claim, body_sha256: bytes, response: StoredResponse) -> bool:
        """Keep a claimed request's response; False if the claim was lost meanwhile."""
        tag = await self.pool.execute(
            COMPLETE, *claim.row(), body_sha256, response.status,
            json.dumps(response.headers), response.body,
        )
        return affected(tag) == 1

    async def release(self, claim: Claim) -> None:
        """Give a key up without a response (a failed request): a retry runs again."""
        await self.pool.execute(RELEASE, *claim.row())

    async def touch(self, claim: Claim) -> None:
        """Show that a claim's request is still running."""
        await self.pool.execute(TOUCH, *claim.row())

    @asynccontextmanager
    async def held(self, claim: Claim) -> AsyncIterator[None]:
        """Keep a claim alive while its request runs, however long (a large import can take hours)."""
        heartbeat = asyncio.create_task(self.keep_alive(claim))
        try:
            yield
        finally:
            heartbeat.cancel()
            with suppress(asyncio.CancelledError):
                await heartbeat

    async def keep_alive(self, claim: Claim) -> None:
        """Touch a claim every HEARTBEAT_SECONDS until cancelled."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await self.touch(claim)
            except (asyncpg.PostgresError, OSError) as error:
                log.warning("could not refresh idempotency key %r: %s", claim.key, error)

    async def sweep(self) -> int:
        """Delete expired keys and the stale claims of crashed gateways, across tenants."""
        expired = await self.pool.execute(SWEEP_EXPIRED, self.ttl_hours)
        stale = await self.pool.execute(SWEEP_STALE, STALE_CLAIM_SECONDS)
        return affected(expired) + affected(stale)


async def sweep_forever(store: IdempotencyStore, every_seconds: float = SWEEP_SECONDS) -> None:
    """Sweep the store every few minutes until cancelled; a failed sweep is retried next time."""
    while True:
        try:
            removed = await store.sweep()
        except (asyncpg.PostgresError, OSError) as error:
            log.warning("idempotency key sweep failed: %s", error)
        else:
            if removed:
                log.info("idempotency key sweep deleted %d keys", removed)
        await asyncio.sleep(every_seconds)
