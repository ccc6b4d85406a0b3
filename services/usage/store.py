"""PostgreSQL storage of usage: append-only records written with COPY, and the batch outbox."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from uuid import UUID

import asyncpg

from kernel.telemetry import inject_headers
from services.usage.domain import UsageRecord, partition_of

DDL = [
    "CREATE TABLE IF NOT EXISTS usage.records ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " account_id uuid NOT NULL, service_type text NOT NULL, quantity numeric NOT NULL,"
    " unit text NOT NULL, started_at timestamptz NOT NULL, attributes jsonb NOT NULL,"
    " batch_id uuid NOT NULL, received_at timestamptz NOT NULL,"
    " PRIMARY KEY (tenant_id, source, record_id))",
    "CREATE TABLE IF NOT EXISTS usage.outbox ("
    " id bigserial PRIMARY KEY, batch_id uuid NOT NULL, partition int NOT NULL,"
    " subject text NOT NULL, payload bytea NOT NULL, trace_headers jsonb NOT NULL,"
    " published_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS outbox_unpublished ON usage.outbox (id)"
    " WHERE published_at IS NULL",
]

COLUMNS = ["tenant_id", "source", "record_id", "account_id", "service_type", "quantity", "unit",
           "started_at", "attributes", "batch_id", "received_at"]


def subject_of(partition: int) -> str:
    """usage.recorded.<partition>: the rating worker owning the partition consumes it."""
    return f"usage.recorded.{partition}"


def record_message(record: UsageRecord) -> dict[str, object]:
    """A record inside a usage.recorded batch message (docs/events.md)."""
    return {
        "record_id": record.record_id, "source": record.source,
        "account_id": str(record.account_id), "service_type": record.service_type,
        "quantity": str(record.quantity), "unit": record.unit,
        "started_at": record.started_at.isoformat(), "attributes": record.attributes,
    }


class PostgresUsageStore:
    """Records keyed (tenant, source, record id) forever; accepted ones queued per partition."""

    def __init__(self, pool: asyncpg.Pool, partitions: int) -> None:
        self.pool = pool
        self.partitions = partitions

    async def store(
        self, tenant_id: UUID, batch_id: UUID, records: list[UsageRecord]
    ) -> set[tuple[str, str]]:
        if not records:
            return set()
        received_at = datetime.now(UTC)
        rows = [
            (tenant_id, r.source, r.record_id, r.account_id, r.service_type, r.quantity, r.unit,
             r.started_at, json.dumps(r.attributes), batch_id, received_at)
            for r in records
        ]
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "CREATE TEMP TABLE incoming (LIKE usage.records) ON COMMIT DROP"
            )
            await conn.copy_records_to_table("incoming", records=rows, columns=COLUMNS)
            inserted = await conn.fetch(
                "INSERT INTO usage.records SELECT * FROM incoming"
                " ON CONFLICT (tenant_id, source, record_id) DO NOTHING"
                " RETURNING source, record_id"
            )
            new_keys = {(row["source"], row["record_id"]) for row in inserted}
            await self._queue(conn, tenant_id, batch_id,
                              [r for r in records if r.key in new_keys])
        return new_keys

    async def _queue(
        self, conn: asyncpg.Connection, tenant_id: UUID, batch_id: UUID, records: list[UsageRecord]
    ) -> None:
        by_partition: dict[int, list[UsageRecord]] = defaultdict(list)
        for record in records:
            by_partition[partition_of(record.account_id, self.partitions)].append(record)
        for partition, members in sorted(by_partition.items()):
            payload = {
                "batch_id": str(batch_id), "tenant_id": str(tenant_id), "partition": partition,
                "records": [record_message(record) for record in members],
            }
            await conn.execute(
                "INSERT INTO usage.outbox (batch_id, partition, subject, payload, trace_headers)"
                " VALUES ($1, $2, $3, $4, $5)",
                batch_id, partition, subject_of(partition), json.dumps(payload).encode(),
                json.dumps(inject_headers()),
            )
