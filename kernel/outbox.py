"""The outbox: relays an application's notification log to JetStream, in order, at least once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod

import asyncpg
from nats.js import JetStreamContext

from kernel.database import check_schema_name
from kernel.eventstore import BillingApplication, envelope_id, stored_envelope_json
from kernel.messaging import Outgoing, publish_in_order

log = logging.getLogger(__name__)

RELAY_BATCH = 200


def relay_ddl(schema: str) -> list[str]:
    """Table holding how far the relay has published."""
    return [
        f"CREATE TABLE IF NOT EXISTS {check_schema_name(schema)}.outbox_relay ("
        " relay text PRIMARY KEY, position bigint NOT NULL)"
    ]


def subject_for(service: str, type_name: str) -> str:
    """events.<service>.<Aggregate>.<Event>: subscribers filter on it."""
    return f"events.{service}.{type_name}"


class PollingRelay(ABC):
    """Publishes what was stored but not yet published, polling and waking early when nudged."""

    def __init__(self, poll_seconds: float = 0.2) -> None:
        self.poll_seconds = poll_seconds
        self.wakeup = asyncio.Event()

    def nudge(self) -> None:
        """Something was saved: relay it without waiting for the next poll."""
        self.wakeup.set()

    @abstractmethod
    async def relay_once(self) -> int:
        """Publish the next batch; return how many were published."""

    async def run(self, stopping: asyncio.Event) -> None:
        """Relay until stopping is set."""
        while not stopping.is_set():
            try:
                published = await self.relay_once()
            except Exception:
                log.exception("%s failed; retrying", type(self).__name__)
                published = 0
            if published < RELAY_BATCH:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), self.poll_seconds)


class NotificationRelay(PollingRelay):
    """Publishes each new notification as events.<service>.<Aggregate>.<Event>.

    Nats-Msg-Id is '<service>:<notification id>', so a relay that crashes between
    publishing and saving its position republishes harmlessly within the duplicate window.
    """

    def __init__(
        self,
        service: str,
        app: BillingApplication,
        js: JetStreamContext,
        pool: asyncpg.Pool,
        schema: str,
        poll_seconds: float = 0.2,
    ) -> None:
        super().__init__(poll_seconds)
        self.service = service
        self.app = app
        self.js = js
        self.pool = pool
        self.table = f"{check_schema_name(schema)}.outbox_relay"

    async def position(self) -> int:
        """The last notification id published."""
        value = await self.pool.fetchval(
            f"SELECT position FROM {self.table} WHERE relay = $1", self.service
        )
        return int(value or 0)

    async def save_position(self, position: int) -> None:
        """Remember the last notification id published."""
        await self.pool.execute(
            f"INSERT INTO {self.table} (relay, position) VALUES ($1, $2) "
            "ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position",
            self.service,
            position,
        )

    async def relay_once(self) -> int:
        """Publish the next batch of notifications; return how many were published."""
        start = await self.position() + 1
        messages, last = await asyncio.to_thread(self._next_messages, start)
        await publish_in_order(self.js, messages)
        if messages:
            await self.save_position(last)
        return len(messages)

    def _next_messages(self, start: int) -> tuple[list[Outgoing], int]:
        """The next notifications as messages, and the last one's id (read and converted in a
        thread: a batch is tens of milliseconds of work the event loop should not wait on)."""
        notifications = self.app.notification_log.select(start, RELAY_BATCH)
        messages = []
        for notification in notifications:
            type_name, envelope = stored_envelope_json(
                self.service, notification.id, notification, self.app.mapper)
            messages.append(Outgoing(subject_for(self.service, type_name), envelope,
                                     envelope_id(self.service, notification.id)))
        return messages, notifications[-1].id if notifications else start - 1
