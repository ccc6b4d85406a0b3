"""The invoice application and its read models' pool on real PostgreSQL, for the invoice
integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import asyncpg
import psycopg
import pytest

from kernel.database import create_pool, ensure_schema, eventsourcing_env
from services.invoice.application import InvoiceApplication
from services.invoice.directory import DDL


@pytest.fixture
def app(database_url: str) -> Iterator[InvoiceApplication]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS invoice")
    application = InvoiceApplication(env=eventsourcing_env(database_url, "invoice"))
    yield application
    application.close()


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    created = await create_pool(database_url)
    await ensure_schema(created, "invoice", DDL)
    yield created
    await created.close()
