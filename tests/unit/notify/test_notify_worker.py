"""The background sender's lanes: woken by new deliveries, undeterred by a database hiccup."""

from __future__ import annotations

import asyncio
from typing import cast

import asyncpg

from services.notify.dispatch import Dispatcher
from services.notify.domain import Delivery
from services.notify.worker import DeliveryWorker


class ScriptedDispatcher:
    """Answers deliver_next from a script: a delivery, None (nothing due) or an error to raise."""

    def __init__(self, *script: object) -> None:
        self.script = list(script)
        self.calls = 0
        self.drained = asyncio.Event()

    async def deliver_next(self) -> Delivery | None:
        self.calls += 1
        if not self.script:
            self.drained.set()
            return None
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return cast(Delivery | None, step)


async def run_until_drained(dispatcher: ScriptedDispatcher, poll_seconds: float) -> DeliveryWorker:
    """Run a one-lane worker until its script is used up, then stop it."""
    worker = DeliveryWorker(cast(Dispatcher, dispatcher), lanes=1, poll_seconds=poll_seconds)
    stopping = asyncio.Event()
    running = asyncio.create_task(worker.run(stopping))
    await asyncio.wait_for(dispatcher.drained.wait(), 5)
    stopping.set()
    await asyncio.wait_for(running, 5)
    return worker


async def test_a_database_error_is_logged_and_the_lane_goes_on() -> None:
    dispatcher = ScriptedDispatcher(asyncpg.PostgresConnectionError("connection lost"), None)

    await run_until_drained(dispatcher, poll_seconds=0.01)

    assert dispatcher.calls >= 3


async def test_a_lane_sends_without_waiting_while_deliveries_are_due() -> None:
    sent = cast(Delivery, object())
    dispatcher = ScriptedDispatcher(sent, sent, sent)

    await run_until_drained(dispatcher, poll_seconds=30)

    assert dispatcher.calls == 4


async def test_waking_an_idle_lane_makes_it_look_again_at_once() -> None:
    dispatcher = ScriptedDispatcher(None)
    worker = DeliveryWorker(cast(Dispatcher, dispatcher), lanes=1, poll_seconds=30)
    stopping = asyncio.Event()
    running = asyncio.create_task(worker.run(stopping))
    await asyncio.sleep(0.05)

    worker.wake()
    await asyncio.wait_for(dispatcher.drained.wait(), 5)
    stopping.set()
    await asyncio.wait_for(running, 5)

    assert dispatcher.calls == 2
