"""Read side of rating: rated parts with their explanations, and unrated records with their reasons."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from kernel.paging import decode_page_token, encode_page_token, page_limit


async def parts_page(
    db: asyncpg.Pool | asyncpg.Connection, query: str, args: tuple[object, ...], page_size: int,
    page_token: str,
) -> tuple[list[asyncpg.Record], str]:
    """A page of the rated parts a query selects (a WHERE clause over args, keyset appended), in
    event order (started_at, source, record_id, part), and the next page's token ('' at the end)."""
    limit = page_limit(page_size)
    after = decode_page_token(page_token, (datetime.fromisoformat, str, str, int))
    n = len(args)
    rows = await db.fetch(
        f"{query} AND (${n + 1}::timestamptz IS NULL"
        f" OR (started_at, source, record_id, part) > (${n + 1}, ${n + 2}, ${n + 3}, ${n + 4}))"
        f" ORDER BY started_at, source, record_id, part LIMIT ${n + 5}",
        *args, *(after or (None, None, None, None)), limit + 1,
    )
    if len(rows) <= limit:
        return list(rows), ""
    last = rows[limit - 1]
    return list(rows[:limit]), encode_page_token(
        [last["started_at"].isoformat(), last["source"], last["record_id"], last["part"]])


class RatingListings:
    """Paged listings, always scoped by tenant."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def rated_parts(
        self, tenant_id: UUID, account_id: UUID, start: datetime, end: datetime, page_size: int,
        page_token: str,
    ) -> tuple[list[asyncpg.Record], str]:
        """An account's rated parts in [start, end), in event order."""
        return await parts_page(
            self.pool, "SELECT * FROM rating.rated_records WHERE tenant_id = $1 AND account_id = $2"
            " AND started_at >= $3 AND started_at < $4", (tenant_id, account_id, start, end),
            page_size, page_token)

    async def count_unrated(
        self, tenant_id: UUID, account_id: UUID, start: datetime, end: datetime
    ) -> dict[str, int]:
        """How many of the account's records started in [start, end) are still unrated, by reason."""
        rows = await self.pool.fetch(
            "SELECT reason, count(*) AS records FROM rating.unrated_records WHERE tenant_id = $1"
            " AND account_id = $2 AND started_at >= $3 AND started_at < $4 AND rerated_at IS NULL"
            " GROUP BY reason", tenant_id, account_id, start, end)
        return {row["reason"]: int(row["records"]) for row in rows}

    async def unrated(
        self, tenant_id: UUID, account_id: UUID | None, reason: str, page_size: int, page_token: str,
    ) -> tuple[list[asyncpg.Record], str]:
        """Unrated records, newest first, optionally of one account or reason."""
        limit = page_limit(page_size)
        after = decode_page_token(page_token, (datetime.fromisoformat, str, str))
        rows = await self.pool.fetch(
            "SELECT * FROM rating.unrated_records WHERE tenant_id = $1"
            " AND ($2::uuid IS NULL OR account_id = $2) AND ($3 = '' OR reason = $3)"
            " AND ($4::timestamptz IS NULL OR (started_at, source, record_id) < ($4, $5, $6))"
            " ORDER BY started_at DESC, source DESC, record_id DESC LIMIT $7",
            tenant_id, account_id, reason,
            *(after or (None, None, None)), limit + 1,
        )
        if len(rows) <= limit:
            return list(rows), ""
        last = rows[limit - 1]
        return list(rows[:limit]), encode_page_token(
            [last["started_at"].isoformat(), last["source"], last["record_id"]])
