"""NATS JetStream plumbing: streams, traced publishing, durable pull consumers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import nats
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import NotFoundError as StreamNotFoundError

from kernel.telemetry import inject_headers, span_from_headers, span_from_many

log = logging.getLogger(__name__)

DUPLICATE_WINDOW_SECONDS = 600.0
ACK_TIMEOUT_SECONDS = 10.0
"""How long a batch of publishes waits for JetStream's acks before it is published again."""


@dataclass(frozen=True)
class Stream:
    """A JetStream stream and the subjects it captures."""

    name: str
    subjects: tuple[str, ...]


USAGE_STREAM = Stream("USAGE", ("usage.>",))
EVENTS_STREAM = Stream("EVENTS", ("events.>",))


class PoisonMessageError(Exception):
    """A message that can never be processed; it is terminated, not redelivered."""


async def connect(url: str, name: str) -> NATS:
    """Connect to NATS, reconnecting forever."""
    return await nats.connect(url, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5)


async def ensure_stream(js: JetStreamContext, stream: Stream) -> None:
    """Create the stream if missing (idempotent, safe to race)."""
    config = StreamConfig(
        name=stream.name,
        subjects=list(stream.subjects),
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )
    try:
        await js.stream_info(stream.name)
    except StreamNotFoundError:
        await js.add_stream(config)


@dataclass(frozen=True)
class Outgoing:
    """A message to publish once: its subject, payload, Nats-Msg-Id and the stored trace."""

    subject: str
    payload: bytes
    msg_id: str
    trace_headers: dict[str, str] | None = None


async def publish_in_order(js: JetStreamContext, messages: Sequence[Outgoing]) -> None:
    """Publish the messages in order without waiting for each ack, then wait for every ack.

    Returns when JetStream stored them all (a repeat within the window counts as stored) and
    raises otherwise; the caller then publishes the whole sequence again, which the Nats-Msg-Ids
    make harmless. Only when one message fails and a later one does not can a subscriber see
    them out of order (subscribers already tolerate redeliveries, which reorder too).
    """
    acks = []
    try:
        for message in messages:
            headers = {**(message.trace_headers or inject_headers()), "Nats-Msg-Id": message.msg_id}
            acks.append(await js.publish_async(message.subject, message.payload, headers=headers))
        await asyncio.wait_for(asyncio.gather(*acks), ACK_TIMEOUT_SECONDS)
    except BaseException:
        for ack in acks:
            ack.cancel()
        raise


async def publish(
    js: JetStreamContext, subject: str, payload: bytes, msg_id: str,
    trace_headers: dict[str, str] | None = None,
) -> None:
    """Publish once: the Nats-Msg-Id makes a retried publish a no-op within the window.

    trace_headers carry the trace of the request that stored the message (outboxes keep
    them); without them the current trace context is sent.
    """
    await publish_in_order(js, [Outgoing(subject, payload, msg_id, trace_headers)])


MessageHandler = Callable[[Msg], Awaitable[None]]
FetchHandler = Callable[[Sequence[Msg]], Awaitable[None]]
"""Handles the messages of one fetch at once, all or nothing, and safely again after a failure."""


class PullConsumer:
    """A durable pull consumer that acks each message after it is handled.

    Messages are handled one by one, or, given `together`, the messages of each fetch at once:
    a consumer that is behind then pays its per-message costs (a transaction, a lookup) once per
    fetch. When handling them together fails, each is handled alone, so one bad message is
    retried or terminated by itself.
    """

    def __init__(
        self,
        js: JetStreamContext,
        stream: Stream,
        durable: str,
        subject: str,
        handler: MessageHandler,
        batch: int = 20,
        max_deliver: int = 10,
        together: FetchHandler | None = None,
    ) -> None:
        self.js = js
        self.stream = stream
        self.durable = durable
        self.subject = subject
        self.handler = handler
        self.batch = batch
        self.max_deliver = max_deliver
        self.together = together

    async def run(self, stopping: asyncio.Event) -> None:
        """Fetch and handle until stopping is set."""
        subscription = await self.js.pull_subscribe(
            self.subject,
            durable=self.durable,
            stream=self.stream.name,
            config=ConsumerConfig(
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL,
                ack_wait=30,
                max_deliver=self.max_deliver,
            ),
        )
        try:
            while not stopping.is_set():
                try:
                    messages = await subscription.fetch(self.batch, timeout=0.5)
                except (NatsTimeoutError, TimeoutError):
                    continue
                if self.together is not None and len(messages) > 1:
                    await self.handle_together(self.together, messages)
                else:
                    for message in messages:
                        await self.handle(message)
        finally:
            await subscription.unsubscribe()

    async def handle_together(self, together: FetchHandler, messages: Sequence[Msg]) -> None:
        """Handle a fetch's messages at once and ack them; when that fails, handle each alone."""
        with span_from_many(
            f"{self.durable} process", [message.headers for message in messages],
            **{"messaging.destination": self.subject, "messaging.batch.message_count": len(messages)},
        ):
            try:
                await together(messages)
            except Exception as error:
                log.warning("handling %s messages of %s together failed (%s: %s); handling each"
                            " alone", len(messages), self.durable, type(error).__name__, error)
            else:
                for message in messages:
                    await message.ack()
                return
        for message in messages:
            await self.handle(message)

    async def handle(self, message: Msg) -> None:
        """Handle one message: ack on success, terminate poison, retry the rest later."""
        delivered = message.metadata.num_delivered
        with span_from_headers(
            f"{self.durable} process", message.headers, **{"messaging.destination": message.subject}
        ):
            try:
                await self.handler(message)
            except PoisonMessageError as error:
                log.error("terminating poison message on %s: %s", message.subject, error)
                await message.term()
                return
            except Exception:
                if delivered >= self.max_deliver:
                    log.exception("giving up on %s after %s deliveries", message.subject, delivered)
                    await message.term()
                else:
                    log.exception("handling %s failed; will retry", message.subject)
                    await message.nak(delay=min(2.0 * delivered, 30.0))
                return
        await message.ack()
