"""Real PostgreSQL and nats-server for the integration and end-to-end tiers."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
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


async def create_database(server: LocalPostgres, prefix: str) -> str:
    """Create a randomly named database on the server and return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    parts = connection_parts(server.url)
    admin = await asyncpg.connect(host=parts["host"], port=int(parts["port"]),
                                  user=parts["user"], database=parts["dbname"])
    await admin.execute(f"CREATE DATABASE {name}")
    await admin.close()
    return server.url.replace("/postgres?", f"/{name}?")


@pytest.fixture
async def database_url(postgres_server: LocalPostgres) -> str:
    """A fresh database on the session's server: tests never share tables."""
    return await create_database(postgres_server, "t")


@pytest.fixture
def nats_url(tmp_path: Path) -> Iterator[str]:
    """A fresh nats-server with JetStream on a free port."""
    server = LocalNats(tmp_path / "nats")
    yield server.url
    server.stop()
