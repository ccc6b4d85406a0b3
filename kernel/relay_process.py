"""An outbox relay in a process of its own: the service saves, this process publishes.

In the service's process the relay shares one interpreter lock with the work that saves events: a
bill run's invoices wait while the relay decodes and publishes the previous batch. Run apart, the
relay is woken by the NOTIFY its recorder sends with every save (PostgreSQL LISTEN), polls as a
fallback, and serves gRPC health only. Exactly one relay may run per service: the service's own
(OUTBOX_RELAY=in_process, the default) or this one (own_process).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncpg

from kernel.database import create_pool, ensure_schema
from kernel.eventstore import BillingApplication
from kernel.grpc import GrpcServer
from kernel.messaging import EVENTS_STREAM, connect, ensure_stream
from kernel.outbox import NotificationRelay, relay_ddl
from kernel.runtime import Lifecycle
from kernel.settings import ServiceSettings


class SaveListener:
    """Calls back each time an application's recorder notifies a save (its events table's NOTIFY)."""

    def __init__(self, pool: asyncpg.Pool, channel: str, on_save: Callable[[], None]) -> None:
        self.pool = pool
        self.channel = channel
        self.on_save = on_save
        self.connection: Any = None

    async def start(self) -> None:
        """Hold a connection that listens on the channel."""
        self.connection = await self.pool.acquire()
        await self.connection.add_listener(self.channel, self._notified)

    def _notified(self, *_: object) -> None:
        self.on_save()

    async def close(self) -> None:
        """Stop listening and give the connection back."""
        if self.connection is not None:
            await self.connection.remove_listener(self.channel, self._notified)
            await self.pool.release(self.connection)
            self.connection = None


def save_channel(app: BillingApplication) -> str:
    """The channel the application's recorder notifies on each save."""
    recorder: Any = app.recorder
    return str(recorder.channel_name)


async def serve_relay(settings: ServiceSettings, service: str, app: BillingApplication) -> None:
    """Relay the service's notification log to JetStream until told to stop."""
    pool = await create_pool(settings.database_url, max_size=3)
    await ensure_schema(pool, service, relay_ddl(service))
    nc = await connect(settings.nats_url, f"{service}-relay")
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)
    relay = NotificationRelay(service, app, js, pool, service)
    listener = SaveListener(pool, save_channel(app), relay.nudge)
    await listener.start()
    lifecycle = Lifecycle(settings, f"{service}-relay")
    lifecycle.start_worker(relay.run)
    lifecycle.on_shutdown(pool.close)
    lifecycle.on_shutdown(lambda: asyncio.to_thread(app.close))
    lifecycle.on_shutdown(nc.drain)
    lifecycle.on_shutdown(listener.close)
    await lifecycle.serve(GrpcServer([]))
