"""Publishes queued usage batches to JetStream; PostgreSQL stays the source of truth."""

from __future__ import annotations

import json

import asyncpg
from nats.js import JetStreamContext

from kernel.messaging import Outgoing, publish_in_order
from kernel.outbox import RELAY_BATCH, PollingRelay


class UsageOutboxRelay(PollingRelay):
    """Publishes each unpublished outbox row once (Nats-Msg-Id usage:batch:<row id>)."""

    def __init__(self, pool: asyncpg.Pool, js: JetStreamContext, poll_seconds: float = 0.2) -> None:
        super().__init__(poll_seconds)
        self.pool = pool
        self.js = js

    async def relay_once(self) -> int:
        """Publish the oldest unpublished rows; return how many."""
        rows = await self.pool.fetch(
            "SELECT id, subject, payload, trace_headers FROM usage.outbox WHERE published_at IS NULL"
            " ORDER BY id LIMIT $1", RELAY_BATCH,
        )
        if not rows:
            return 0
        await publish_in_order(self.js, [
            Outgoing(row["subject"], row["payload"], f"usage:batch:{row['id']}",
                     json.loads(row["trace_headers"]))
            for row in rows
        ])
        await self.pool.execute(
            "UPDATE usage.outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
            [row["id"] for row in rows],
        )
        return len(rows)
