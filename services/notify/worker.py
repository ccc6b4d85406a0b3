"""The background sender: lanes that each attempt one due delivery at a time until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

from services.notify.dispatch import Dispatcher

log = logging.getLogger(__name__)

STORE_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


class DeliveryWorker:
    """Sends due deliveries in `lanes` concurrent lanes; woken at once when an event is queued,
    otherwise it looks for due retries every `poll_seconds`."""

    def __init__(self, dispatcher: Dispatcher, lanes: int = 4, poll_seconds: float = 1.0) -> None:
        self.dispatcher = dispatcher
        self.lanes = lanes
        self.poll_seconds = poll_seconds
        self.wakeup = asyncio.Event()

    def wake(self) -> None:
        """A delivery was queued: stop waiting."""
        self.wakeup.set()

    async def run(self, stopping: asyncio.Event) -> None:
        """Run the lanes until stopping is set; each finishes the attempt it is making."""
        async with asyncio.TaskGroup() as lanes:
            for _ in range(self.lanes):
                lanes.create_task(self.lane(stopping))
            lanes.create_task(self.wake_when(stopping))

    async def wake_when(self, stopping: asyncio.Event) -> None:
        """Wake the idle lanes once stopping is set, so they end."""
        await stopping.wait()
        self.wake()

    async def lane(self, stopping: asyncio.Event) -> None:
        """Attempt due deliveries one after another; wait when none is due."""
        while not stopping.is_set():
            self.wakeup.clear()
            try:
                if await self.dispatcher.deliver_next() is not None:
                    continue
            except STORE_ERRORS:
                log.exception("delivery log unavailable; trying again in %s s", self.poll_seconds)
            await self.idle()

    async def idle(self) -> None:
        """Wait until woken or until the poll interval is over."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wakeup.wait(), self.poll_seconds)
