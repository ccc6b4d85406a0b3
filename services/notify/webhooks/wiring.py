"""Wiring of webhooks into the notify service: tables, consumer, sender and the gRPC servicer."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from billing.notify.v1 import webhooks_pb2_grpc
from nats.js import JetStreamContext

from kernel.clock import Clock, SystemClock
from kernel.database import ensure_schema
from kernel.grpc import Registration
from kernel.messaging import EVENTS_STREAM, PullConsumer, ensure_stream
from kernel.runtime import Lifecycle
from services.notify.webhooks.application import WebhookAdmin
from services.notify.webhooks.consumer import (
    WEBHOOK_EVENTS_DURABLE,
    WEBHOOK_EVENTS_SUBJECT,
    WebhookEventRecorder,
)
from services.notify.webhooks.grpc_api import WebhookServicer
from services.notify.webhooks.queue import PostgresDeliveryQueue
from services.notify.webhooks.secret_box import SecretBox
from services.notify.webhooks.sender import HttpPoster, Poster, WebhookSender
from services.notify.webhooks.settings import WebhookSettings
from services.notify.webhooks.sql import DDL, PostgresEndpointStore
from services.notify.webhooks.ssrf import Resolver, SystemResolver

SCHEMA = "notify"
SERVICE_NAME = "billing.notify.v1.WebhookService"


@dataclass(frozen=True)
class Webhooks:
    """The parts of webhooks: operators' use cases, the event recorder and the sender."""

    admin: WebhookAdmin
    recorder: WebhookEventRecorder
    sender: WebhookSender

    @property
    def registration(self) -> Registration:
        """The gRPC servicer to serve."""
        return (webhooks_pb2_grpc.add_WebhookServiceServicer_to_server, WebhookServicer(self.admin),
                SERVICE_NAME)

    def consumer(self, js: JetStreamContext) -> PullConsumer:
        """The durable consumer recording deliveries of every event."""
        return PullConsumer(js, EVENTS_STREAM, WEBHOOK_EVENTS_DURABLE, WEBHOOK_EVENTS_SUBJECT, self.recorder)


def build_webhooks(pool: asyncpg.Pool, settings: WebhookSettings, poster: Poster, clock: Clock,
                   resolver: Resolver) -> Webhooks:
    """Webhooks over a pool; tests pass their clock, resolver and poster."""
    box = SecretBox(settings.secrets_key)
    endpoints, deliveries = PostgresEndpointStore(pool), PostgresDeliveryQueue(pool)
    sender = WebhookSender(deliveries, poster, box, resolver, clock, settings.limits)
    return Webhooks(
        admin=WebhookAdmin(endpoints, deliveries, box, resolver, clock, settings.private_targets_permitted),
        recorder=WebhookEventRecorder(endpoints, deliveries, clock, sender.wake),
        sender=sender,
    )


async def start_webhooks(pool: asyncpg.Pool, js: JetStreamContext, lifecycle: Lifecycle) -> Registration:
    """Create the tables, start the consumer and the sender; the servicer to register."""
    settings = WebhookSettings()
    await ensure_schema(pool, SCHEMA, DDL)
    await ensure_stream(js, EVENTS_STREAM)
    poster = HttpPoster(settings.timeout_seconds)
    webhooks = build_webhooks(pool, settings, poster, SystemClock(), SystemResolver())
    lifecycle.start_worker(webhooks.consumer(js).run)
    lifecycle.start_worker(webhooks.sender.run)
    lifecycle.on_shutdown(poster.close)
    return webhooks.registration
