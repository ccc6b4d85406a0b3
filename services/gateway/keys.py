"""Tenants and API keys: keys are random secrets stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

import asyncpg

from kernel.ids import new_id

DDL = [
    "CREATE TABLE IF NOT EXISTS gateway.tenants ("
    " tenant_id uuid PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS gateway.api_keys ("
    " key_id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES gateway.tenants,"
    " role text NOT NULL, account_id uuid, label text NOT NULL, secret_hash text NOT NULL UNIQUE,"
    " created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz)",
]
KEY_PREFIX = "bk_"


class Role(StrEnum):
    """What a key may do."""

    ADMIN = "admin"
    OPERATOR = "operator"
    SUPPORT = "support"
    AUDITOR = "auditor"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant, the role, and for customers their own account."""

    tenant_id: UUID
    role: Role
    key_id: UUID
    account_id: UUID | None = None


def hash_secret(api_key: str) -> str:
    """SHA-256 of the key; keys are 256-bit random, so a fast hash is enough."""
    return hashlib.sha256(api_key.encode()).hexdigest()


class KeyStore:
    """Creates and checks API keys in the gateway schema."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def create_tenant(self, name: str) -> UUID:
        """A new tenant (an operator using the platform)."""
        tenant_id = new_id()
        await self.pool.execute(
            "INSERT INTO gateway.tenants (tenant_id, name) VALUES ($1, $2)", tenant_id, name
        )
        return tenant_id

    async def issue(
        self, tenant_id: UUID, role: Role, label: str, account_id: UUID | None = None
    ) -> tuple[UUID, str]:
        """A new key; the secret is returned once and never stored."""
        key_id = new_id()
        api_key = f"{KEY_PREFIX}{secrets.token_urlsafe(32)}"
        await self.pool.execute(
            "INSERT INTO gateway.api_keys (key_id, tenant_id, role, account_id, label, secret_hash)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            key_id, tenant_id, role.value, account_id, label, hash_secret(api_key),
        )
        return key_id, api_key

    async def authenticate(self, api_key: str) -> Principal | None:
        """The principal of a valid, unrevoked key."""
        row = await self.pool.fetchrow(
            "SELECT key_id, tenant_id, role, account_id FROM gateway.api_keys"
            " WHERE secret_hash = $1 AND revoked_at IS NULL", hash_secret(api_key),
        )
        if row is None:
            return None
        return Principal(row["tenant_id"], Role(row["role"]), row["key_id"], row["account_id"])
