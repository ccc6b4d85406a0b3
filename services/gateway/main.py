"""Composition root of the gateway: uvicorn serving the FastAPI app."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import uvicorn

from kernel.database import create_pool, ensure_schema
from kernel.grpc import channel
from kernel.heap import freeze_startup_heap
from kernel.runtime import bootstrap_process, run_service, write_ready_file
from services.gateway.app import create_app
from services.gateway.deps import Clients
from services.gateway.idempotency import DDL as IDEMPOTENCY_DDL
from services.gateway.idempotency import IdempotencyStore, sweep_forever
from services.gateway.keys import DDL, KeyStore
from services.gateway.settings import Settings

SERVICE = "gateway"
BACKENDS = ("usage", "rating", "invoice", "payment", "notify", "support")
RECEIVE_LIMITS = {"rating": 128 << 20}
"""Answers larger than gRPC's 4 MiB: a tariff definition with 50,000+ destinations per band."""


class ReportingServer(uvicorn.Server):
    """A uvicorn server that writes the ready file once its socket is listening."""

    def __init__(self, config: uvicorn.Config, ready_file: Path | None, address: str) -> None:
        super().__init__(config)
        self.ready_file = ready_file
        self.address = address

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            freeze_startup_heap()
            write_ready_file(self.ready_file, {"http": self.address})


async def main() -> None:
    """Serve the public API until SIGTERM or SIGINT (uvicorn shuts down gracefully)."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, SERVICE)
    pool = await create_pool(settings.database_url)
    await ensure_schema(pool, SERVICE, [*DDL, *IDEMPOTENCY_DDL])
    channels = {name: channel(getattr(settings, f"{name}_grpc"), RECEIVE_LIMITS.get(name))
                for name in BACKENDS}
    clients = Clients.connect(channels, settings.grpc_timeout_seconds,
                              settings.bill_run_timeout_seconds)
    idempotency = IdempotencyStore(pool, settings.idempotency_ttl_hours)
    app = create_app(clients, KeyStore(pool), idempotency)
    host, port = settings.http_listen.rsplit(":", 1)
    ready = Path(settings.ready_file) if settings.ready_file else None
    server = ReportingServer(
        uvicorn.Config(app, host=host, port=int(port), log_config=None, access_log=False),
        ready, settings.http_listen,
    )
    sweeper = asyncio.create_task(sweep_forever(idempotency))
    try:
        await server.serve()
    finally:
        sweeper.cancel()
    for grpc_channel in channels.values():
        await grpc_channel.close(None)
    await pool.close()


if __name__ == "__main__":
    run_service(main)
