"""Real PostgreSQL and nats-server for the integration and end-to-end tiers."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from devstack.local import LocalNats, LocalPostgres
from kernel.database import connection_parts


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    """One embedded PostgreSQL for the test session, in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="billing-pg-"))
    server = LocalPostgres(folder / "data", keep_data=False)
    yield server
    server.stop()


@pytest.fixture
async def database_url(postgres_server: LocalPostgres) -> AsyncIterator[str]:
    """A fresh database on the session's server: tests never share tables."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    parts = connection_parts(postgres_server.url)
    admin = await asyncpg.connect(host=parts["host"], port=int(parts["port"]),
                                  user=parts["user"], database=parts["dbname"])
    await admin.execute(f"CREATE DATABASE {name}")
    await admin.close()
    yield postgres_server.url.replace("/postgres?", f"/{name}?")


@pytest.fixture
def nats_url(tmp_path: Path) -> Iterator[str]:
    """A fresh nats-server with JetStream on a free port."""
    server = LocalNats(tmp_path / "nats")
    yield server.url
    server.stop()
