"""Read side of rating: rated parts with their explanations, and unrated records with their reasons."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from uuid import UUID

import asyncpg

from kernel.errors import InvalidInputError

MAX_PAGE = 1000


def encode_token(values: list[object]) -> str:
    """An opaque page token: the sort key of the last row returned."""
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_token(token: str, size: int) -> list[str] | None:
    """The sort key a page token stands for (None for the first page)."""
    if not token:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError:
        raise InvalidInputError("page_token", "not_a_page_token") from None
    if not isinstance(values, list) or len(values) != size:
        raise InvalidInputError("page_token", "not_a_page_token")
    return [str(value) for value in values]


def page_limit(page_size: int) -> int:
    """The page size asked for (100 by default)."""
    if not 0 <= page_size <= MAX_PAGE:
        raise InvalidInputError("page_size", f"must_be_between_1_and_{MAX_PAGE}")
    return page_size or 100


class RatingListings:
    """Paged listings, always scoped by tenant."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def rated_parts(
        self, tenant_id: UUID, account_id: UUID, start: datetime, end: datetime, page_size: int,
        page_token: str,
    ) -> tuple[list[asyncpg.Record], str]:
        """An account's rated parts in [start, end), in event order."""
        limit = page_limit(page_size)
        after = decode_token(page_token, 4)
        rows = await self.pool.fetch(
            "SELECT * FROM rating.rated_records WHERE tenant_id = $1 AND account_id = $2"
            " AND started_at >= $3 AND started_at < $4 AND ($5::timestamptz IS NULL"
            " OR (started_at, source, record_id, part) > ($5, $6, $7, $8))"
            " ORDER BY started_at, source, record_id, part LIMIT $9",
            tenant_id, account_id, start, end,
            datetime.fromisoformat(after[0]) if after else None, after[1] if after else None,
            after[2] if after else None, int(after[3]) if after else None, limit + 1,
        )
        if len(rows) <= limit:
            return list(rows), ""
        last = rows[limit - 1]
        return list(rows[:limit]), encode_token(
            [last["started_at"].isoformat(), last["source"], last["record_id"], last["part"]])

    async def unrated(
        self, tenant_id: UUID, account_id: UUID | None, reason: str, page_size: int, page_token: str,
    ) -> tuple[list[asyncpg.Record], str]:
        """Unrated records, newest first, optionally of one account or reason."""
        limit = page_limit(page_size)
        after = decode_token(page_token, 3)
        rows = await self.pool.fetch(
            "SELECT * FROM rating.unrated_records WHERE tenant_id = $1"
            " AND ($2::uuid IS NULL OR account_id = $2) AND ($3 = '' OR reason = $3)"
            " AND ($4::timestamptz IS NULL OR (started_at, source, record_id) < ($4, $5, $6))"
            " ORDER BY started_at DESC, source DESC, record_id DESC LIMIT $7",
            tenant_id, account_id, reason,
            datetime.fromisoformat(after[0]) if after else None, after[1] if after else None,
            after[2] if after else None, limit + 1,
        )
        if len(rows) <= limit:
            return list(rows), ""
        last = rows[limit - 1]
        return list(rows[:limit]), encode_token(
            [last["started_at"].isoformat(), last["source"], last["record_id"]])
