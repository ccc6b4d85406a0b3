"""PostgreSQL storage of paper preferences and print batches, their files in 1 MiB chunk rows.

A batch's PDF and manifest are built in a temporary folder and copied into
notify.print_batch_chunks (one row per chunk) in the transaction that marks the batch ready:
memory holds one chunk, no row holds a huge bytea, a crash leaves no half-stored batch, and the
rows are tenant data like any other (backed up, replicated, removed with their batch). Large
objects would need their own clean-up and have no asyncpg API.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

import asyncpg

from services.notify.printing.domain import (
    MAX_REASON,
    BatchPart,
    BatchStatus,
    BuiltFiles,
    PaperPreference,
    PrintBatch,
    SkippedInvoice,
)

DDL = [
    "CREATE TABLE IF NOT EXISTS notify.paper_preferences ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, paper boolean NOT NULL,"
    " updated_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, account_id))",
    "CREATE TABLE IF NOT EXISTS notify.print_batches ("
    " batch_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, bill_run_id uuid NOT NULL,"
    " status text NOT NULL CHECK (status IN ('building', 'ready', 'failed')),"
    " reason text NOT NULL DEFAULT '', generation int NOT NULL DEFAULT 1,"
    " source_version bigint NOT NULL DEFAULT 0, lease_until timestamptz,"
    " build_attempts int NOT NULL DEFAULT 0, document_count int, page_count int, pdf_bytes bigint,"
    " manifest_bytes bigint, pdf_sha256 text, manifest_sha256 text,"
    " skipped jsonb NOT NULL DEFAULT '[]', created_at timestamptz NOT NULL,"
    " updated_at timestamptz NOT NULL, ready_at timestamptz, UNIQUE (tenant_id, bill_run_id))",
    "CREATE INDEX IF NOT EXISTS print_batches_by_tenant"
    " ON notify.print_batches (tenant_id, created_at DESC, batch_id DESC)",
    "CREATE INDEX IF NOT EXISTS print_batches_to_build"
    " ON notify.print_batches (lease_until) WHERE status = 'building'",
    "CREATE TABLE IF NOT EXISTS notify.print_batch_chunks ("
    " batch_id uuid NOT NULL REFERENCES notify.print_batches ON DELETE CASCADE,"
    " part text NOT NULL CHECK (part IN ('pdf', 'manifest')), seq int NOT NULL, data bytea NOT NULL,"
    " PRIMARY KEY (batch_id, part, seq))",
]

BATCH_COLUMNS = ("batch_id, tenant_id, bill_run_id, status, reason, document_count, page_count, pdf_bytes,"
                 " manifest_bytes, pdf_sha256, manifest_sha256, skipped, created_at, updated_at, ready_at")
CHUNK_COLUMNS = ["batch_id", "part", "seq", "data"]
SELECT_CHUNKS = ("SELECT data FROM notify.print_batch_chunks WHERE batch_id = $1 AND part = $2"
                 " ORDER BY seq")


@dataclass(frozen=True)
class BuildJob:
    """A batch claimed for building: which one, which build of it, which try."""

    batch_id: UUID
    tenant_id: UUID
    bill_run_id: UUID
    generation: int
    attempt: int


def skipped_from_json(text: str) -> tuple[SkippedInvoice, ...]:
    """Skipped invoices as stored."""
    return tuple(SkippedInvoice(UUID(item["invoice_id"]), item["invoice_number"], UUID(item["account_id"]),
                                item["reason"]) for item in json.loads(text))


def skipped_to_json(skipped: tuple[SkippedInvoice, ...]) -> str:
    """Skipped invoices for storage."""
    return json.dumps([{"invoice_id": str(s.invoice_id), "invoice_number": s.invoice_number,
                        "account_id": str(s.account_id), "reason": s.reason} for s in skipped])


def batch_from_row(row: asyncpg.Record) -> PrintBatch:
    """A stored row as a batch."""
    files = None if row["document_count"] is None else BuiltFiles(
        row["document_count"], row["page_count"], row["pdf_bytes"], row["manifest_bytes"],
        row["pdf_sha256"], row["manifest_sha256"], skipped_from_json(row["skipped"]))
    return PrintBatch(row["batch_id"], row["tenant_id"], row["bill_run_id"], BatchStatus(row["status"]),
                      row["reason"], files, row["created_at"], row["updated_at"], row["ready_at"])


def file_chunks(batch_id: UUID, part: BatchPart, path: Path,
                chunk_bytes: int) -> Iterator[tuple[object, ...]]:
    """Rows of a file, read a chunk at a time."""
    with path.open("rb") as source:
        for seq, data in enumerate(iter(lambda: source.read(chunk_bytes), b"")):
            yield batch_id, part.value, seq, data


class PostgresPrintStore:
    """Paper preferences, batches and their chunked files in schema notify."""

    def __init__(self, pool: asyncpg.Pool, chunk_bytes: int = 1 << 20) -> None:
        self.pool = pool
        self.chunk_bytes = chunk_bytes

    async def preference(self, tenant_id: UUID, account_id: UUID) -> PaperPreference:
        """The account's preference; no paper until set."""
        row = await self.pool.fetchrow(
            "SELECT paper, updated_at FROM notify.paper_preferences WHERE tenant_id = $1 AND account_id = $2",
            tenant_id, account_id)
        return PaperPreference(account_id, bool(row and row["paper"]), row["updated_at"] if row else None)

    async def set_preference(self, tenant_id: UUID, preference: PaperPreference) -> None:
        """Store the account's preference."""
        await self.pool.execute(
            "INSERT INTO notify.paper_preferences (tenant_id, account_id, paper, updated_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, account_id)"
            " DO UPDATE SET paper = EXCLUDED.paper, updated_at = EXCLUDED.updated_at",
            tenant_id, preference.account_id, preference.paper, preference.updated_at)

    async def paper_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> set[UUID]:
        """Which of these accounts want paper."""
        rows = await self.pool.fetch(
            "SELECT account_id FROM notify.paper_preferences WHERE tenant_id = $1"
            " AND account_id = ANY($2::uuid[]) AND paper", tenant_id, list(account_ids))
        return {row["account_id"] for row in rows}

    async def request(self, tenant_id: UUID, bill_run_id: UUID, source_version: int, at: datetime,
                      rebuild: bool) -> PrintBatch:
        """Queue the batch of a bill run: once per run version, or again when asked to rebuild."""
        batch_id = PrintBatch.id_for(tenant_id, bill_run_id)
        await self.pool.execute(
            "INSERT INTO notify.print_batches (batch_id, tenant_id, bill_run_id, status, source_version,"
            " created_at, updated_at) VALUES ($1, $2, $3, 'building', $4, $5, $5)"
            " ON CONFLICT (batch_id) DO UPDATE SET status = 'building', reason = '',"
            " generation = notify.print_batches.generation + 1, lease_until = NULL, build_attempts = 0,"
            " source_version = GREATEST(notify.print_batches.source_version, EXCLUDED.source_version),"
            " updated_at = EXCLUDED.updated_at"
            " WHERE $6 OR EXCLUDED.source_version > notify.print_batches.source_version",
            batch_id, tenant_id, bill_run_id, source_version, at, rebuild)
        found = await self.find(tenant_id, batch_id)
        if found is None:
            raise LookupError(f"print batch {batch_id} vanished")
        return found

    async def find(self, tenant_id: UUID, batch_id: UUID) -> PrintBatch | None:
        """The tenant's batch, if any."""
        row = await self.pool.fetchrow(
            f"SELECT {BATCH_COLUMNS} FROM notify.print_batches WHERE tenant_id = $1 AND batch_id = $2",
            tenant_id, batch_id)
        return None if row is None else batch_from_row(row)

    async def page(self, tenant_id: UUID, bill_run_id: UUID | None, after: tuple[datetime, UUID] | None,
                   limit: int) -> list[PrintBatch]:
        """The tenant's batches, newest first, after a (created_at, batch_id) key."""
        created, batch_id = after if after is not None else (None, None)
        rows = await self.pool.fetch(
            f"SELECT {BATCH_COLUMNS} FROM notify.print_batches WHERE tenant_id = $1"
            " AND ($2::uuid IS NULL OR bill_run_id = $2)"
            " AND ($3::timestamptz IS NULL OR (created_at, batch_id) < ($3, $4::uuid))"
            " ORDER BY created_at DESC, batch_id DESC LIMIT $5",
            tenant_id, bill_run_id, created, batch_id, limit)
        return [batch_from_row(row) for row in rows]

    async def claim(self, now: datetime, lease_until: datetime) -> BuildJob | None:
        """Lease the oldest batch waiting to be built (or whose builder's lease ran out).

        Each claim is a new generation: a builder whose lease ran out can no longer store its result.
        """
        row = await self.pool.fetchrow(
            "UPDATE notify.print_batches b SET lease_until = $2, build_attempts = b.build_attempts + 1,"
            " generation = b.generation + 1"
            " FROM (SELECT batch_id FROM notify.print_batches WHERE status = 'building'"
            "  AND (lease_until IS NULL OR lease_until <= $1) ORDER BY created_at LIMIT 1"
            "  FOR UPDATE SKIP LOCKED) due WHERE b.batch_id = due.batch_id"
            " RETURNING b.batch_id, b.tenant_id, b.bill_run_id, b.generation, b.build_attempts",
            now, lease_until)
        if row is None:
            return None
        return BuildJob(row["batch_id"], row["tenant_id"], row["bill_run_id"], row["generation"],
                        row["build_attempts"])

    async def renew(self, job: BuildJob, lease_until: datetime) -> bool:
        """Extend the lease; False when the build was superseded (a rebuild was asked for)."""
        status = await self.pool.execute(
            "UPDATE notify.print_batches SET lease_until = $3 WHERE batch_id = $1 AND generation = $2"
            " AND status = 'building'", job.batch_id, job.generation, lease_until)
        return bool(status.endswith(" 1"))

    async def retry_later(self, job: BuildJob, at: datetime, reason: str) -> None:
        """Leave the batch building, to be claimed again at `at`."""
        await self.pool.execute(
            "UPDATE notify.print_batches SET lease_until = $3, reason = $4 WHERE batch_id = $1"
            " AND generation = $2", job.batch_id, job.generation, at, reason[:MAX_REASON])

    async def fail(self, job: BuildJob, reason: str, at: datetime) -> None:
        """The build cannot succeed: failed, with the reason."""
        await self.pool.execute(
            "UPDATE notify.print_batches SET status = 'failed', reason = $3, lease_until = NULL,"
            " updated_at = $4 WHERE batch_id = $1 AND generation = $2",
            job.batch_id, job.generation, reason[:MAX_REASON], at)

    async def store_files(self, job: BuildJob, files: BuiltFiles, pdf: Path | None, manifest: Path,
                          at: datetime) -> bool:
        """Replace the batch's files and mark it ready, unless the build was superseded."""
        async with self.pool.acquire() as conn, conn.transaction():
            generation = await conn.fetchval(
                "SELECT generation FROM notify.print_batches WHERE batch_id = $1 FOR UPDATE", job.batch_id)
            if generation != job.generation:
                return False
            await conn.execute("DELETE FROM notify.print_batch_chunks WHERE batch_id = $1", job.batch_id)
            for part, path in ((BatchPart.PDF, pdf), (BatchPart.MANIFEST, manifest)):
                if path is not None:
                    await conn.copy_records_to_table(
                        "print_batch_chunks", schema_name="notify", columns=CHUNK_COLUMNS,
                        records=file_chunks(job.batch_id, part, path, self.chunk_bytes))
            await conn.execute(
                "UPDATE notify.print_batches SET status = 'ready', reason = '', lease_until = NULL,"
                " document_count = $2, page_count = $3, pdf_bytes = $4, manifest_bytes = $5, pdf_sha256 = $6,"
                " manifest_sha256 = $7, skipped = $8, updated_at = $9, ready_at = $9 WHERE batch_id = $1",
                job.batch_id, files.document_count, files.page_count, files.pdf_bytes, files.manifest_bytes,
                files.pdf_sha256, files.manifest_sha256, skipped_to_json(files.skipped), at)
        return True

    async def chunks(self, batch_id: UUID, part: BatchPart) -> AsyncGenerator[bytes, None]:
        """A stored file, chunk by chunk, from one consistent snapshot."""
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            async for row in conn.cursor(SELECT_CHUNKS, batch_id, part.value, prefetch=2):
                yield bytes(row["data"])
