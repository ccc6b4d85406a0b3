"""PostgreSQL storage of usage: dedup keys, monthly partitions written with COPY, rejections,
reconciliation counters and the rating outbox, all written in one transaction per batch."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal
from uuid import UUID

import asyncpg
import orjson

from kernel.ids import new_id
from kernel.telemetry import inject_headers
from services.usage.application import RejectedItem, Stored, Submission
from services.usage.domain import Rejection, UsageRecord, partition_of
from services.usage.partitions import MonthlyPartitions
from services.usage.sessions_store import apply_session_deltas

DDL = [
    "CREATE TABLE IF NOT EXISTS usage.record_keys ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " content_hash bytea NOT NULL, PRIMARY KEY (tenant_id, source, record_id))",
    "CREATE TABLE IF NOT EXISTS usage.accepted_records ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " account_id uuid NOT NULL, subscriber text NOT NULL, service_type text NOT NULL,"
    " quantity numeric NOT NULL, unit text NOT NULL, started_at timestamptz NOT NULL,"
    " ended_at timestamptz, duration numeric, price numeric, currency text,"
    " session text NOT NULL, attributes jsonb NOT NULL, file text NOT NULL,"
    " batch_id uuid NOT NULL, received_at timestamptz NOT NULL)"
    " PARTITION BY RANGE (started_at)",
    "CREATE INDEX IF NOT EXISTS accepted_records_account"
    " ON usage.accepted_records (tenant_id, account_id, started_at)",
    "CREATE TABLE IF NOT EXISTS usage.rejections ("
    " rejection_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, source text NOT NULL,"
    " file text NOT NULL, record_id text NOT NULL, line int, field text NOT NULL,"
    " reason text NOT NULL, subscriber text NOT NULL, account_id text NOT NULL, record jsonb,"
    " raw text NOT NULL, batch_id uuid NOT NULL, received_at timestamptz NOT NULL,"
    " status text NOT NULL DEFAULT 'open', resolved_at timestamptz, resolved_by uuid)",
    "CREATE INDEX IF NOT EXISTS rejections_by_status"
    " ON usage.rejections (tenant_id, status, received_at, rejection_id)",
    "CREATE INDEX IF NOT EXISTS rejections_awaiting_customer"
    " ON usage.rejections (tenant_id, subscriber, account_id)"
    " WHERE status = 'open' AND reason IN ('unknown_subscriber', 'unknown_account')",
    "CREATE TABLE IF NOT EXISTS usage.reconciliation ("
    " tenant_id uuid NOT NULL, source text NOT NULL, file text NOT NULL, day date NOT NULL,"
    " received bigint NOT NULL, accepted bigint NOT NULL, duplicate bigint NOT NULL,"
    " rejected bigint NOT NULL, resubmitted bigint NOT NULL, seconds numeric NOT NULL,"
    " bytes numeric NOT NULL, messages numeric NOT NULL, units numeric NOT NULL,"
    " PRIMARY KEY (tenant_id, source, file, day))",
    "CREATE TABLE IF NOT EXISTS usage.sessions ("
    " tenant_id uuid NOT NULL, source text NOT NULL, session text NOT NULL,"
    " state jsonb NOT NULL, PRIMARY KEY (tenant_id, source, session))",
    "CREATE TABLE IF NOT EXISTS usage.imports ("
    " import_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, source text NOT NULL,"
    " file text NOT NULL, format text NOT NULL, status text NOT NULL, bytes bigint NOT NULL,"
    " received bigint NOT NULL, accepted bigint NOT NULL, duplicate bigint NOT NULL,"
    " rejected bigint NOT NULL, error text NOT NULL, started_at timestamptz NOT NULL,"
    " finished_at timestamptz)",
    "CREATE TABLE IF NOT EXISTS usage.inbox ("
    " tenant_id uuid NOT NULL, message_id text NOT NULL, batch_id uuid NOT NULL,"
    " received_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, message_id))",
    "CREATE TABLE IF NOT EXISTS usage.outbox ("
    " id bigserial PRIMARY KEY, batch_id uuid NOT NULL, partition int NOT NULL,"
    " subject text NOT NULL, payload bytea NOT NULL, trace_headers jsonb NOT NULL,"
    " published_at timestamptz)",
    "CREATE INDEX IF NOT EXISTS outbox_unpublished ON usage.outbox (id)"
    " WHERE published_at IS NULL",
]

ACCEPTED_COLUMNS = [
    "tenant_id", "source", "record_id", "account_id", "subscriber", "service_type", "quantity",
    "unit", "started_at", "ended_at", "duration", "price", "currency", "session", "attributes",
    "file", "batch_id", "received_at",
]
REJECTION_COLUMNS = [
    "rejection_id", "tenant_id", "source", "file", "record_id", "line", "field", "reason",
    "subscriber", "account_id", "record", "raw", "batch_id", "received_at",
]
STORED_CONFLICT = -1
"""Index of a rejection the store made (a key seen before with other content), not the batch."""
TOTAL_OF_UNIT = {"second": "seconds", "byte": "bytes", "message": "messages", "unit": "units"}


def subject_of(partition: int) -> str:
    """usage.recorded.<partition>: the rating worker owning the partition consumes it."""
    return f"usage.recorded.{partition}"


def record_message(record: UsageRecord) -> dict[str, object]:
    """A record inside a usage.recorded batch message (docs/events.md); orjson writes the
    UUID and the instants (RFC 3339) itself."""
    message: dict[str, object] = {
        "record_id": record.record_id, "source": record.source,
        "account_id": record.account_id, "service_type": record.service_type,
        "quantity": str(record.quantity), "unit": record.unit,
        "started_at": record.started_at, "attributes": record.attributes,
    }
    if record.subscriber:
        message["subscriber"] = record.subscriber
    if record.ended_at is not None:
        message["ended_at"] = record.ended_at
    if record.duration is not None:
        message["duration"] = str(record.duration)
    if record.price is not None:
        message["price"] = {"amount": str(record.price.amount), "currency": record.price.currency}
    return message


@dataclass
class Tally:
    """Reconciliation counters of one (source, file) within a batch."""

    received: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    totals: Counter[str] = field(default_factory=Counter)

    def row(self, resubmission: bool) -> tuple[object, ...]:
        """The counters in reconciliation column order (after the key)."""
        return (
            self.received, self.accepted, self.duplicate, self.rejected,
            self.received if resubmission else 0,
            *(Decimal(self.totals[name]) for name in ("seconds", "bytes", "messages", "units")),
        )


class PostgresUsageStore:
    """Keeps every record's key forever; accepted records go to monthly partitions."""

    def __init__(self, pool: asyncpg.Pool, partitions: int) -> None:
        self.pool = pool
        self.partitions = partitions
        self.months = MonthlyPartitions(pool)

    async def write(self, submission: Submission) -> Stored:
        await self.months.ensure({record.started_at for record in submission.candidates})
        async with self.pool.acquire() as conn, conn.transaction():
            await self._claim_message(conn, submission)
            new_keys, conflicts = await self._claim_keys(conn, submission)
            accepted = [r for r in submission.candidates if r.key in new_keys]
            if any(record.session for record in accepted):
                accepted = await apply_session_deltas(conn, submission.tenant_id, accepted)
                await self.months.ensure({record.started_at for record in accepted})
            rejected = submission.rejected + [
                conflict_item(record) for record in submission.candidates if record.key in conflicts
            ]
            await self._copy_accepted(conn, submission, accepted)
            await self._copy_rejections(conn, submission, rejected)
            await self._count(conn, submission, accepted, rejected)
            await self._resolve_resubmitted(conn, submission, rejected)
            await self._queue(conn, submission, accepted)
        return Stored(new_keys, conflicts)

    async def _claim_message(self, conn: asyncpg.Connection, submission: Submission) -> None:
        """Record a broker message as captured; a redelivery of a captured message is refused."""
        message_id = submission.origin.message_id
        if not message_id:
            return
        claimed = await conn.fetchval(
            "INSERT INTO usage.inbox (tenant_id, message_id, batch_id, received_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING true",
            submission.tenant_id, message_id, submission.batch_id, submission.received_at,
        )
        if not claimed:
            raise AlreadyCapturedError(message_id)

    async def _claim_keys(
        self, conn: asyncpg.Connection, submission: Submission
    ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """Insert the candidates' keys; a key already present is a duplicate or a conflict.

        Keys are inserted in sorted order, so concurrent batches lock them in the same order.
        """
        if not submission.candidates:
            return set(), set()
        candidates = sorted(submission.candidates, key=lambda record: record.key)
        inserted = await conn.fetch(
            "INSERT INTO usage.record_keys (tenant_id, source, record_id, content_hash)"
            " SELECT $1, s, r, h FROM unnest($2::text[], $3::text[], $4::bytea[]) AS k(s, r, h)"
            " ON CONFLICT DO NOTHING RETURNING source, record_id",
            submission.tenant_id, [r.source for r in candidates], [r.record_id for r in candidates],
            [r.content_hash for r in candidates],
        )
        new_keys = {(row["source"], row["record_id"]) for row in inserted}
        seen = [r for r in candidates if r.key not in new_keys]
        if not seen:
            return new_keys, set()
        existing = await conn.fetch(
            "SELECT k.source, k.record_id, k.content_hash FROM usage.record_keys k"
            " JOIN unnest($2::text[], $3::text[]) AS s(source, record_id)"
            " USING (source, record_id) WHERE k.tenant_id = $1",
            submission.tenant_id, [r.source for r in seen], [r.record_id for r in seen],
        )
        hashes = {(row["source"], row["record_id"]): bytes(row["content_hash"]) for row in existing}
        return new_keys, {r.key for r in seen if hashes.get(r.key) != r.content_hash}

    async def _copy_accepted(
        self, conn: asyncpg.Connection, submission: Submission, records: list[UsageRecord]
    ) -> None:
        if not records:
            return
        file, batch_id, received_at = (
            submission.origin.file, submission.batch_id, submission.received_at)
        await conn.copy_records_to_table(
            "accepted_records", schema_name="usage", columns=ACCEPTED_COLUMNS, records=[
                (submission.tenant_id, r.source, r.record_id, r.account_id, r.subscriber,
                 r.service_type, r.quantity, r.unit, r.started_at, r.ended_at, r.duration,
                 r.price.amount if r.price else None, r.price.currency if r.price else None,
                 r.session, orjson.dumps(r.attributes).decode(), file, batch_id, received_at)
                for r in records
            ],
        )

    async def _copy_rejections(
        self, conn: asyncpg.Connection, submission: Submission, rejected: list[RejectedItem]
    ) -> None:
        if not rejected:
            return
        origin = submission.origin
        await conn.copy_records_to_table(
            "rejections", schema_name="usage", columns=REJECTION_COLUMNS, records=[
                (new_id(), submission.tenant_id, item.source or origin.source, origin.file,
                 item.record_id, item.line, item.rejection.field, item.rejection.reason,
                 str((item.record or {}).get("subscriber", "")),
                 str((item.record or {}).get("account_id", "")),
                 None if item.record is None else json.dumps(item.record), item.raw,
                 submission.batch_id, submission.received_at)
                for item in rejected
            ],
        )

    async def _count(
        self, conn: asyncpg.Connection, submission: Submission, accepted: list[UsageRecord],
        rejected: list[RejectedItem],
    ) -> None:
        """Add the batch to the reconciliation counters of its (source, file, day)."""
        origin = submission.origin
        tallies: dict[str, Tally] = defaultdict(Tally)
        for record in accepted:
            tally = tallies[record.source]
            tally.accepted += 1
            tally.totals[TOTAL_OF_UNIT[record.unit]] += record.quantity  # type: ignore[assignment]
        accepted_keys = {record.key for record in accepted}
        rejected_keys = {(item.source, item.record_id) for item in rejected
                         if item.index == STORED_CONFLICT}
        for record in submission.duplicates + [
            r for r in submission.candidates
            if r.key not in accepted_keys and r.key not in rejected_keys
        ]:
            tallies[record.source].duplicate += 1
        for item in rejected:
            tallies[item.source or origin.source].rejected += 1
        for tally in tallies.values():
            tally.received = tally.accepted + tally.duplicate + tally.rejected
        day = submission.received_at.astimezone(UTC).date()
        await conn.executemany(
            "INSERT INTO usage.reconciliation AS r (tenant_id, source, file, day, received,"
            " accepted, duplicate, rejected, resubmitted, seconds, bytes, messages, units)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            " ON CONFLICT (tenant_id, source, file, day) DO UPDATE SET"
            " received = r.received + excluded.received, accepted = r.accepted + excluded.accepted,"
            " duplicate = r.duplicate + excluded.duplicate, rejected = r.rejected + excluded.rejected,"
            " resubmitted = r.resubmitted + excluded.resubmitted,"
            " seconds = r.seconds + excluded.seconds, bytes = r.bytes + excluded.bytes,"
            " messages = r.messages + excluded.messages, units = r.units + excluded.units",
            [(submission.tenant_id, source, origin.file, day,
              *tally.row(origin.resubmission_of is not None))
             for source, tally in sorted(tallies.items())],
        )
        if origin.import_id is not None:
            totals = [sum(getattr(t, name) for t in tallies.values())
                      for name in ("received", "accepted", "duplicate", "rejected")]
            await conn.execute(
                "UPDATE usage.imports SET received = received + $2, accepted = accepted + $3,"
                " duplicate = duplicate + $4, rejected = rejected + $5 WHERE import_id = $1",
                origin.import_id, *totals,
            )

    async def _resolve_resubmitted(
        self, conn: asyncpg.Connection, submission: Submission, rejected: list[RejectedItem]
    ) -> None:
        """A resubmitted rejection is resolved by this batch, or superseded by a new rejection."""
        original = submission.origin.resubmission_of
        if original is None:
            return
        status = "superseded" if rejected else "resolved"
        updated = await conn.execute(
            "UPDATE usage.rejections SET status = $3, resolved_at = $4, resolved_by = $5"
            " WHERE rejection_id = $1 AND tenant_id = $2 AND status = 'open'",
            original, submission.tenant_id, status, submission.received_at, submission.batch_id,
        )
        if updated != "UPDATE 1":
            raise RejectionNotOpenError(original)

    async def _queue(
        self, conn: asyncpg.Connection, submission: Submission, records: list[UsageRecord]
    ) -> None:
        by_partition: dict[int, list[UsageRecord]] = defaultdict(list)
        for record in records:
            assert record.account_id is not None
            by_partition[partition_of(record.account_id, self.partitions)].append(record)
        headers = json.dumps(inject_headers())
        await conn.executemany(
            "INSERT INTO usage.outbox (batch_id, partition, subject, payload, trace_headers)"
            " VALUES ($1, $2, $3, $4, $5)",
            [(submission.batch_id, partition, subject_of(partition), orjson.dumps({
                "batch_id": str(submission.batch_id), "tenant_id": str(submission.tenant_id),
                "partition": partition, "records": [record_message(r) for r in members],
            }), headers) for partition, members in sorted(by_partition.items())],
        )


class AlreadyCapturedError(Exception):
    """This broker message was captured before (a redelivery)."""

    def __init__(self, message_id: str) -> None:
        super().__init__(f"message {message_id} was already captured")
        self.message_id = message_id


class RejectionNotOpenError(Exception):
    """The resubmitted rejection was resolved meanwhile (a concurrent resubmission)."""

    def __init__(self, rejection_id: UUID) -> None:
        super().__init__(f"rejection {rejection_id} is no longer open")
        self.rejection_id = rejection_id


def conflict_item(record: UsageRecord) -> RejectedItem:
    """A record whose id was seen before with different content."""
    return RejectedItem(STORED_CONFLICT, record.source, record.record_id, Rejection("record_id", "conflict"),
                        record=stored_form(record))


def stored_form(record: UsageRecord) -> dict[str, object]:
    """A validated record in the received shape, for the rejection list and resubmission."""
    values: dict[str, object] = {
        "record_id": record.record_id, "source": record.source,
        "service_type": record.service_type, "quantity": str(record.quantity),
        "unit": record.unit, "started_at": record.started_at.isoformat(),
    }
    if record.account_id is not None:
        values["account_id"] = str(record.account_id)
    optional = {
        "subscriber": record.subscriber, "session": record.session,
        "ended_at": record.ended_at.isoformat() if record.ended_at else "",
        "duration": "" if record.duration is None else str(record.duration),
        "price": str(record.price.amount) if record.price else "",
        "currency": record.price.currency if record.price else "",
    }
    values.update({name: value for name, value in optional.items() if value})
    if record.attributes:
        values["attributes"] = record.attributes
    return values
