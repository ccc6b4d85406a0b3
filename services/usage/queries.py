"""Read side of usage capture: imports, rejections and reconciliation, always scoped by tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from kernel.errors import InvalidInputError, NotFoundError
from kernel.paging import decode_page_token, encode_page_token, page_limit
from kernel.wire import day_from_wire

REJECTION_STATUSES = ("open", "resolved", "superseded", "all")
MAX_RECORD_KEYS = 1000
"""The most records one GetRecords asks for."""


@dataclass(frozen=True)
class RejectionFilter:
    """Which rejections to list."""

    status: str = "open"
    source: str = ""
    file: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RecordKey:
    """An accepted record asked for: its source and id, and its start (which finds its partition)."""

    source: str
    record_id: str
    started_at: datetime

    @property
    def name(self) -> str:
        """source:record_id, as missing keys are listed."""
        return f"{self.source}:{self.record_id}"


class UsageQueries:
    """Queries over the usage tables."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def get_import(self, tenant_id: UUID, import_id: UUID) -> asyncpg.Record:
        """One import of the tenant."""
        row = await self.pool.fetchrow(
            "SELECT * FROM usage.imports WHERE tenant_id = $1 AND import_id = $2",
            tenant_id, import_id,
        )
        if row is None:
            raise NotFoundError(f"no import {import_id}")
        return row

    async def get_rejection(self, tenant_id: UUID, rejection_id: UUID) -> asyncpg.Record:
        """One rejection of the tenant."""
        row = await self.pool.fetchrow(
            "SELECT * FROM usage.rejections WHERE tenant_id = $1 AND rejection_id = $2",
            tenant_id, rejection_id,
        )
        if row is None:
            raise NotFoundError(f"no rejection {rejection_id}")
        return row

    async def list_rejections(
        self, tenant_id: UUID, where: RejectionFilter, page_size: int, page_token: str
    ) -> tuple[list[asyncpg.Record], str]:
        """A page of rejections, newest first, and the token of the next page ('' at the end)."""
        if where.status not in REJECTION_STATUSES:
            raise InvalidInputError("status", f"must_be_one_of:{','.join(REJECTION_STATUSES)}")
        limit = page_limit(page_size)
        after = decode_page_token(page_token, (datetime.fromisoformat, UUID))
        rows = await self.pool.fetch(
            "SELECT * FROM usage.rejections WHERE tenant_id = $1"
            " AND ($2 = 'all' OR status = $2) AND ($3 = '' OR source = $3)"
            " AND ($4 = '' OR file = $4) AND ($5 = '' OR reason = $5)"
            " AND ($6::timestamptz IS NULL OR (received_at, rejection_id) < ($6, $7))"
            " ORDER BY received_at DESC, rejection_id DESC LIMIT $8",
            tenant_id, where.status, where.source, where.file, where.reason,
            after[0] if after else None, after[1] if after else None, limit + 1,
        )
        if len(rows) <= limit:
            return list(rows), ""
        last = rows[limit - 1]
        return list(rows[:limit]), encode_page_token(
            [last["received_at"].isoformat(), last["rejection_id"]])

    async def awaiting_customer(
        self, tenant_id: UUID, subscribers: list[str], account_ids: list[str],
        received_before: datetime, limit: int,
    ) -> list[UUID]:
        """Open rejections, received before the instant, waiting for these subscribers or accounts."""
        rows = await self.pool.fetch(
            "SELECT rejection_id FROM usage.rejections WHERE tenant_id = $1 AND status = 'open'"
            " AND reason IN ('unknown_subscriber', 'unknown_account')"
            " AND (subscriber = ANY($2::text[]) OR account_id = ANY($3::text[]))"
            " AND received_at < $4 ORDER BY received_at LIMIT $5",
            tenant_id, subscribers, account_ids, received_before, limit,
        )
        return [row["rejection_id"] for row in rows]

    async def reconciliation(
        self, tenant_id: UUID, from_day: str, to_day: str, source: str, file: str
    ) -> list[asyncpg.Record]:
        """Counters per (source, file, day) in the inclusive range of receipt days."""
        first, last = day_from_wire(from_day, "from_day"), day_from_wire(to_day, "to_day")
        if last < first:
            raise InvalidInputError("to_day", "before_from_day")
        return list(await self.pool.fetch(
            "SELECT * FROM usage.reconciliation WHERE tenant_id = $1 AND day BETWEEN $2 AND $3"
            " AND ($4 = '' OR source = $4) AND ($5 = '' OR file = $5)"
            " ORDER BY day, source, file",
            tenant_id, first, last, source, file,
        ))

    async def accepted_records(
        self, tenant_id: UUID, account_id: UUID, keys: list[RecordKey]
    ) -> tuple[list[asyncpg.Record], list[str]]:
        """The account's accepted records with these keys, and the names of the keys of none.

        Each key is looked up at its start (the table's partition key), so only the monthly
        partition holding it is read, through the (tenant, account, started_at) index.
        """
        if len(keys) > MAX_RECORD_KEYS:
            raise InvalidInputError("keys", f"at_most_{MAX_RECORD_KEYS}")
        keys = list(dict.fromkeys(keys))
        rows = await self.pool.fetch(
            "SELECT a.* FROM unnest($3::text[], $4::text[], $5::timestamptz[])"
            " AS k(source, record_id, started_at) JOIN usage.accepted_records a"
            " ON a.tenant_id = $1 AND a.account_id = $2 AND a.started_at = k.started_at"
            " AND a.source = k.source AND a.record_id = k.record_id"
            " ORDER BY a.started_at, a.source, a.record_id",
            tenant_id, account_id, [k.source for k in keys], [k.record_id for k in keys],
            [k.started_at for k in keys],
        )
        found = {f"{row['source']}:{row['record_id']}" for row in rows}
        missing = list(dict.fromkeys(k.name for k in keys if k.name not in found))
        return list(rows), missing
