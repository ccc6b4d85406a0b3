"""The whole stack, every service in its own process, against real PostgreSQL and NATS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from devstack.local import LocalNats, LocalPostgres
from devstack.mailsink import MailSink
from devstack.stack import RunningStack, StackConfig, start_stack
from tests.conftest import create_database


@dataclass(frozen=True)
class Stack:
    """A running stack and what the tests need to reach it."""

    running: RunningStack
    database_url: str
    nats_url: str
    mail: MailSink
    spans_file: Path

    def client(self, api_key: str | None = None) -> httpx.AsyncClient:
        """An HTTP client of the gateway, authenticated when given a key."""
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        return httpx.AsyncClient(base_url=self.running.gateway_url, headers=headers, timeout=60)

    def create_tenant(self, name: str) -> dict[str, str]:
        """Create a tenant with the gateway's CLI, as an operator would."""
        output = subprocess.run(
            [sys.executable, "-m", "services.gateway.cli", "create-tenant", name],
            env={**os.environ, "DATABASE_URL": self.database_url},
            check=True, capture_output=True, text=True,
        ).stdout
        created: dict[str, str] = json.loads(output)
        return created


@pytest.fixture(scope="module")
async def fresh_database(postgres_server: LocalPostgres) -> str:
    """A database of its own for the stack of one test module."""
    return await create_database(postgres_server, "e2e")


@pytest.fixture(scope="module")
def stack(fresh_database: str) -> Iterator[Stack]:
    """Start NATS, a mail sink and all six services; stop them all afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="billing-e2e-"))
    nats = LocalNats(folder / "nats")
    mail = MailSink(folder / "mail", port=0)
    mail.start()
    spans = folder / "spans.jsonl"
    log = (folder / "services.log").open("w")
    try:
        running = start_stack(StackConfig(
            database_url=fresh_database, nats_url=nats.url, smtp_url=mail.url,
            run_dir=folder / "run", extra_env=(("OTEL_SPANS_FILE", str(spans)),),
        ), output=log)
        try:
            yield Stack(running, fresh_database, nats.url, mail, spans)
        finally:
            running.stop()
    finally:
        mail.stop()
        nats.stop()
        log.close()
