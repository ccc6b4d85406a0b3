"""NATS consumer on events.>: one delivery per event and matching endpoint, recorded before the ack."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from nats.aio.msg import Msg

from kernel.clock import Clock
from kernel.messaging import PoisonMessageError
from services.notify.webhooks.filters import event_type_of, matches_any
from services.notify.webhooks.queue import PostgresDeliveryQueue
from services.notify.webhooks.sql import PostgresEndpointStore

log = logging.getLogger(__name__)

WEBHOOK_EVENTS_SUBJECT = "events.>"
WEBHOOK_EVENTS_DURABLE = "notify-webhooks"


@dataclass(frozen=True)
class PublishedEvent:
    """An event envelope as webhooks see it: which event, whose, of which type."""

    event_id: str
    tenant_id: UUID
    event_type: str


def parse_published_event(body: bytes) -> PublishedEvent:
    """id, tenant_id, service and type of an envelope; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        event_id, service, kind = envelope["id"], envelope["service"], envelope["type"]
        if not all(isinstance(value, str) and value for value in (event_id, service, kind)):
            raise ValueError("id, service and type must be non-empty strings")
        return PublishedEvent(event_id, UUID(envelope["tenant_id"]), event_type_of(service, kind))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PoisonMessageError(f"malformed event envelope: {error!r}") from error


class WebhookEventRecorder:
    """Records a pending delivery of the event for each of the tenant's endpoints that wants it."""

    def __init__(self, endpoints: PostgresEndpointStore, deliveries: PostgresDeliveryQueue, clock: Clock,
                 wake: Callable[[], None]) -> None:
        self.endpoints = endpoints
        self.deliveries = deliveries
        self.clock = clock
        self.wake = wake

    async def __call__(self, message: Msg) -> None:
        event = parse_published_event(message.data)
        candidates = await self.endpoints.matching_candidates(event.tenant_id)
        matched = [endpoint for endpoint, filters in candidates if matches_any(filters, event.event_type)]
        if not matched:
            return
        created = await self.deliveries.record(event.tenant_id, event.event_id, event.event_type,
                                               message.data, matched, self.clock.now())
        if created:
            self.wake()
        log.debug("webhook deliveries recorded", extra={"fields": {
            "event_id": event.event_id, "matched": len(matched), "created": created}})
