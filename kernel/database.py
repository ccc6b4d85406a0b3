"""PostgreSQL plumbing: one URL, one schema per service, asyncpg pools and eventsourcing env."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import asyncpg
from eventsourcing.utils import get_topic

from kernel.recorder import BinaryArraysRecorder

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def check_schema_name(schema: str) -> str:
    """A schema name safe to put into SQL."""
    if not SCHEMA_NAME.match(schema):
        raise ValueError(f"bad schema name {schema!r}")
    return schema


def connection_parts(database_url: str) -> dict[str, str]:
    """Split a postgresql:// URL (TCP or ?host=/socket/dir) into host, port, user, password, db."""
    url = urlsplit(database_url)
    if url.scheme not in ("postgresql", "postgres"):
        raise ValueError("DATABASE_URL must start with postgresql://")
    query = parse_qs(url.query)
    host = query.get("host", [url.hostname or "127.0.0.1"])[0]
    return {
        "host": host,
        "port": str(url.port or 5432),
        "user": unquote(url.username or "postgres"),
        "password": unquote(url.password or ""),
        "dbname": (url.path or "/postgres").lstrip("/") or "postgres",
    }


def eventsourcing_env(database_url: str, schema: str) -> dict[str, str]:
    """The eventsourcing library's settings for PostgreSQL persistence in a service's schema."""
    parts = connection_parts(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "PROCESS_RECORDER_TOPIC": get_topic(BinaryArraysRecorder),
        "POSTGRES_HOST": parts["host"],
        "POSTGRES_PORT": parts["port"],
        "POSTGRES_USER": parts["user"],
        "POSTGRES_PASSWORD": parts["password"],
        "POSTGRES_DBNAME": parts["dbname"],
        "POSTGRES_SCHEMA": check_schema_name(schema),
        "POSTGRES_POOL_SIZE": "5",
        "POSTGRES_MAX_OVERFLOW": "5",
        "POSTGRES_LOCK_TIMEOUT": "10",
        "SINGLE_ROW_TRACKING": "n",
        "CREATE_TABLE": "y",
    }


async def keep_session(connection: asyncpg.Connection) -> None:
    """Release a connection without the session reset query (asyncpg still rolls back an open
    transaction and drops listeners first)."""


async def create_pool(database_url: str, *, reset_sessions: bool = True, **kwargs: Any
                      ) -> asyncpg.Pool:
    """An asyncpg pool for a service's own SQL tables.

    A connection going back to the pool is reset (asyncpg's RESET ALL, UNLISTEN, advisory unlock)
    unless reset_sessions is False: a service may choose that when no SET, LISTEN, cursor or session
    advisory lock of its code outlives a transaction, and saves a round trip to PostgreSQL per use."""
    parts = connection_parts(database_url)
    if not reset_sessions:
        kwargs["reset"] = keep_session
    pool = await asyncpg.create_pool(
        host=parts["host"],
        port=int(parts["port"]),
        user=parts["user"],
        password=parts["password"] or None,
        database=parts["dbname"],
        min_size=1,
        max_size=kwargs.pop("max_size", 10),
        **kwargs,
    )
    assert pool is not None
    return pool


async def ensure_schema(pool: asyncpg.Pool, schema: str, ddl: list[str]) -> None:
    """Create the service's schema and tables if missing (idempotent migrations)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", schema)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {check_schema_name(schema)}")
        for statement in ddl:
            await conn.execute(statement)


@asynccontextmanager
async def acquired(db: asyncpg.Pool | asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    """A connection for the block: the one given, or one of the pool's."""
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:
        yield db
