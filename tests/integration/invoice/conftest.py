"""The invoice application on real PostgreSQL, for the invoice integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from kernel.database import eventsourcing_env
from services.invoice.application import InvoiceApplication


@pytest.fixture
def app(database_url: str) -> Iterator[InvoiceApplication]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS invoice")
    application = InvoiceApplication(env=eventsourcing_env(database_url, "invoice"))
    yield application
    application.close()
