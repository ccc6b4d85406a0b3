"""Use cases of the delivery log: queue each event's email once, read the log."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from kernel.clock import Clock
from services.notify.domain import Delivery, DeliveryNotFoundError, DeliveryStatus
from services.notify.events import CustomerEvent, NotificationKind

PageKey = tuple[datetime, UUID]
"""Where a page of the log starts: after the delivery with this (queued_at, delivery_id)."""


@dataclass(frozen=True)
class DeliveryQuery:
    """Which of a tenant's deliveries to list; None matches everything."""

    invoice_id: UUID | None = None
    account_id: UUID | None = None
    kind: NotificationKind | None = None
    status: DeliveryStatus | None = None
    since: datetime | None = None


class DeliveryClaim(Protocol):
    """A delivery held for one attempt: no other worker can take it until the claim ends."""

    @property
    def delivery(self) -> Delivery:
        """The delivery as stored when it was claimed."""
        ...

    async def save(self, delivery: Delivery) -> None:
        """Record the attempt's outcome; it is kept when the claim ends normally."""
        ...


class DeliveryLog(Protocol):
    """Every delivery, one per delivery id, and the queue of those due."""

    async def add(self, delivery: Delivery) -> bool:
        """Store a new delivery; False (and nothing changed) when it already exists."""
        ...

    async def get(self, tenant_id: UUID, delivery_id: UUID) -> Delivery | None: ...

    async def list_deliveries(
        self, tenant_id: UUID, query: DeliveryQuery, limit: int, after: PageKey | None
    ) -> list[Delivery]:
        """Matching deliveries by (queued_at, delivery_id), those after the key only."""
        ...

    def claim_due(self, now: datetime) -> AbstractAsyncContextManager[DeliveryClaim | None]:
        """Hold the queued delivery due soonest (none when nothing is due) until the context ends."""
        ...


def nothing_to_wake() -> None:
    """The default when no worker waits for new deliveries."""


class Notifier:
    """Records one delivery per customer event and answers questions about the log."""

    def __init__(
        self, deliveries: DeliveryLog, clock: Clock, on_queued: Callable[[], None] = nothing_to_wake
    ) -> None:
        self.deliveries = deliveries
        self.clock = clock
        self.on_queued = on_queued

    async def accept(self, event: CustomerEvent) -> bool:
        """Queue the event's email unless it was queued before; True when it is new."""
        added = await self.deliveries.add(Delivery.queue(event, self.clock.now()))
        if added:
            self.on_queued()
        return added

    async def get_delivery(self, tenant_id: UUID, delivery_id: UUID) -> Delivery:
        """One of the tenant's deliveries."""
        found = await self.deliveries.get(tenant_id, delivery_id)
        if found is None:
            raise DeliveryNotFoundError(delivery_id)
        return found

    async def list_deliveries(
        self, tenant_id: UUID, query: DeliveryQuery, limit: int, after: PageKey | None = None
    ) -> list[Delivery]:
        """The tenant's matching deliveries, oldest first, a page at a time."""
        return await self.deliveries.list_deliveries(tenant_id, query, limit, after)
