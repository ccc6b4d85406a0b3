"""Publishing a batch without waiting for each ack, on a real nats-server: order kept, repeats dropped."""

from __future__ import annotations

from uuid import uuid4

from nats.js.api import DeliverPolicy

from kernel.messaging import EVENTS_STREAM, Outgoing, connect, ensure_stream, publish_in_order


async def test_a_batch_lands_in_order_and_publishing_it_again_adds_nothing(nats_url: str) -> None:
    nc = await connect(nats_url, "test")
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)
    run = uuid4().hex
    messages = [Outgoing(f"events.test.Thing.Happened{n % 3}", f"{n}".encode(), f"{run}:{n}")
                for n in range(250)]

    await publish_in_order(js, messages)
    await publish_in_order(js, messages[100:])

    info = await js.stream_info(EVENTS_STREAM.name)
    subscription = await js.subscribe("events.test.>", deliver_policy=DeliverPolicy.ALL,
                                      ordered_consumer=True)
    received = [(await subscription.next_msg(timeout=5)).data.decode() for _ in range(250)]
    assert info.state.messages == 250
    assert received == [f"{n}" for n in range(250)]
    await nc.close()


async def test_an_empty_batch_publishes_nothing(nats_url: str) -> None:
    nc = await connect(nats_url, "test")
    js = nc.jetstream()
    await ensure_stream(js, EVENTS_STREAM)

    await publish_in_order(js, [])

    assert (await js.stream_info(EVENTS_STREAM.name)).state.messages == 0
    await nc.close()
