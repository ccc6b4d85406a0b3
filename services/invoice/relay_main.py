"""Composition root of the invoice outbox relay in a process of its own (OUTBOX_RELAY=own_process
for the invoice service)."""

from __future__ import annotations

import asyncio

from kernel.database import eventsourcing_env
from kernel.relay_process import serve_relay
from kernel.runtime import bootstrap_process, run_service
from services.invoice.application import InvoiceApplication
from services.invoice.main import SERVICE
from services.invoice.settings import Settings


async def main() -> None:
    """Relay the invoice service's events to JetStream until told to stop."""
    settings = Settings()  # type: ignore[call-arg]
    bootstrap_process(settings, f"{SERVICE}-relay")
    app = await asyncio.to_thread(
        InvoiceApplication, env=eventsourcing_env(settings.database_url, SERVICE))
    await serve_relay(settings, SERVICE, app)


if __name__ == "__main__":
    run_service(main)
