"""The query list: a SQL read model of every query's state, assignee and response times.

Projected from the notification log on demand (position and rows commit together), before each
listing, so a list always shows what this service saved before it was asked. Rows point at the
queries; the page itself is read from the aggregates.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from kernel.ids import plain_uuid
from services.support.application import SupportApplication
from services.support.domain.queries import Query

SCHEMA = "support"
BATCH = 500
QUERY_EVENTS = ("Opened", "Commented", "CustomerAsked", "Assigned", "Resolved", "Rejected")
TOPICS = [f"{Query.__module__}:Query.{name}" for name in QUERY_EVENTS]
DDL = [
    f"CREATE TABLE IF NOT EXISTS {SCHEMA}.query_list_cursor ("
    " name text PRIMARY KEY, position bigint NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {SCHEMA}.query_list ("
    " tenant_id uuid NOT NULL, query_id uuid NOT NULL, account_id uuid NOT NULL, invoice_id uuid,"
    " state text NOT NULL, assignee text NOT NULL, opened_at timestamptz NOT NULL,"
    " respond_by timestamptz NOT NULL, first_response_at timestamptz, version integer NOT NULL,"
    " PRIMARY KEY (tenant_id, query_id))",
    f"CREATE INDEX IF NOT EXISTS query_list_newest ON {SCHEMA}.query_list"
    " (tenant_id, opened_at DESC, query_id DESC)",
    f"CREATE INDEX IF NOT EXISTS query_list_of_account ON {SCHEMA}.query_list"
    " (tenant_id, account_id, opened_at DESC, query_id DESC)",
    f"CREATE INDEX IF NOT EXISTS query_list_unanswered ON {SCHEMA}.query_list (tenant_id, respond_by)"
    " WHERE first_response_at IS NULL",
]
LIST_SQL = f"""
SELECT query_id, opened_at FROM {SCHEMA}.query_list
 WHERE tenant_id = $1
   AND ($2::uuid IS NULL OR account_id = $2)
   AND ($3::uuid IS NULL OR invoice_id = $3)
   AND (cardinality($4::text[]) = 0 OR state = ANY($4::text[]))
   AND ($5::text IS NULL OR assignee = $5)
   AND ($6::timestamptz IS NULL OR (first_response_at IS NULL AND respond_by < $6))
   AND ($7::timestamptz IS NULL OR (opened_at, query_id) < ($7, $8::uuid))
 ORDER BY opened_at DESC, query_id DESC
 LIMIT $9
"""


@dataclass(frozen=True)
class QueryFilter:
    """Which of a tenant's queries to list; None (or empty) means any."""

    tenant_id: UUID
    account_id: UUID | None = None
    invoice_id: UUID | None = None
    states: tuple[str, ...] = ()
    assignee: str | None = None
    overdue_at: datetime | None = None
    """Only queries not answered by staff whose respond_by is before this instant."""


PageKey = tuple[datetime, UUID]


class QueryList:
    """The query list, caught up from the notification log before every read."""

    def __init__(self, app: SupportApplication, pool: asyncpg.Pool) -> None:
        self.app = app
        self.pool = pool
        self.lock = asyncio.Lock()

    async def catch_up(self) -> None:
        """Project every notification not yet projected."""
        async with self.lock:
            while await self._apply_next_batch() == BATCH:
                pass

    async def _apply_next_batch(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(f"INSERT INTO {SCHEMA}.query_list_cursor VALUES ('queries', 0)"
                               " ON CONFLICT DO NOTHING")
            position = await conn.fetchval(
                f"SELECT position FROM {SCHEMA}.query_list_cursor WHERE name = 'queries' FOR UPDATE")
            notifications = await asyncio.to_thread(
                self.app.notification_log.select, position + 1, BATCH, None, TOPICS)
            query_ids = {UUID(str(n.originator_id)) for n in notifications}
            queries: list[Any] = await asyncio.to_thread(
                lambda: [self.app.repository.get(query_id) for query_id in query_ids])
            await conn.executemany(
                f"INSERT INTO {SCHEMA}.query_list VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                " ON CONFLICT (tenant_id, query_id) DO UPDATE SET state = EXCLUDED.state,"
                " assignee = EXCLUDED.assignee, first_response_at = EXCLUDED.first_response_at,"
                f" version = EXCLUDED.version WHERE {SCHEMA}.query_list.version < EXCLUDED.version",
                [row_of(query) for query in queries])
            if notifications:
                await conn.execute(f"UPDATE {SCHEMA}.query_list_cursor SET position = $1"
                                   " WHERE name = 'queries'", notifications[-1].id)
            return len(notifications)

    async def page(self, which: QueryFilter, limit: int, after: PageKey | None) -> list[PageKey]:
        """(opened at, id) of the matching queries, newest first, after the page key."""
        await self.catch_up()
        rows = await self.pool.fetch(
            LIST_SQL, which.tenant_id, which.account_id, which.invoice_id, list(which.states),
            which.assignee, which.overdue_at, after[0] if after else None, after[1] if after else None,
            limit)
        return [(row["opened_at"], plain_uuid(row["query_id"])) for row in rows]


def row_of(query: Query) -> tuple[Any, ...]:
    """A query as a row of the list."""
    return (query.tenant_id, query.id, query.account_id, query.invoice_id, str(query.state), query.assignee,
            query.opened_at, query.respond_by, query.first_response_at, query.version)
