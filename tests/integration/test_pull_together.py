"""A pull consumer handling each fetch's messages together, on a real nats-server: all acked at
once, and each handled alone when handling them together fails."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from nats.aio.msg import Msg

from kernel.messaging import (
    EVENTS_STREAM,
    Outgoing,
    PoisonMessageError,
    PullConsumer,
    connect,
    ensure_stream,
    publish_in_order,
)

SUBJECT = "events.test.Thing.Happened"


class Recorder:
    """Handles messages as a consumer would; bodies starting 'poison' can never be handled."""

    def __init__(self, expected: int) -> None:
        self.fetches: list[list[str]] = []
        self.alone: list[str] = []
        self.done = asyncio.Event()
        self.expected = expected

    async def together(self, messages: Sequence[Msg]) -> None:
        bodies = [message.data.decode() for message in messages]
        if any(body.startswith("poison") for body in bodies):
            raise PoisonMessageError("a poison message in the fetch")
        self.fetches.append(bodies)
        self._count()

    async def one(self, message: Msg) -> None:
        body = message.data.decode()
        if body.startswith("poison"):
            raise PoisonMessageError(body)
        self.alone.append(body)
        self._count()

    def _count(self) -> None:
        if sum(map(len, self.fetches)) + len(self.alone) >= self.expected:
            self.done.set()


async def consume(nats_url: str, bodies: list[str], expected: int) -> tuple[Recorder, int]:
    """Publish the bodies, consume them until `expected` are handled; the consumer's pending acks."""
    nc = await connect(nats_url, "test")
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)
    await publish_in_order(js, [Outgoing(SUBJECT, body.encode(), body) for body in bodies])
    recorder = Recorder(expected)
    consumer = PullConsumer(js, EVENTS_STREAM, "together", SUBJECT, recorder.one, batch=10,
                            together=recorder.together)
    stopping = asyncio.Event()
    running = asyncio.ensure_future(consumer.run(stopping))
    await asyncio.wait_for(recorder.done.wait(), 10)
    await asyncio.sleep(0.3)
    stopping.set()
    await running
    info = await js.consumer_info(EVENTS_STREAM.name, "together")
    await nc.close()
    return recorder, info.num_ack_pending + info.num_pending


async def test_a_backlog_is_handled_a_fetch_at_a_time_and_acked(nats_url: str) -> None:
    bodies = [f"m{n}" for n in range(25)]

    recorder, unacked = await consume(nats_url, bodies, expected=25)

    assert [body for fetch in recorder.fetches for body in fetch] + recorder.alone == bodies
    assert max(map(len, recorder.fetches)) == 10
    assert unacked == 0


async def test_when_together_fails_each_message_is_handled_alone(nats_url: str) -> None:
    bodies = ["m0", "m1", "poison-2", "m3"]

    recorder, unacked = await consume(nats_url, bodies, expected=3)

    assert recorder.fetches == []
    assert recorder.alone == ["m0", "m1", "m3"]
    assert unacked == 0
