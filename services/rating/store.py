"""PostgreSQL storage of rated and unrated records, with the consumer inbox in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import asyncpg

from services.rating.domain import RatedRecord, UnratedRecord

DDL = [
    "CREATE TABLE IF NOT EXISTS rating.rated_records ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " account_id uuid NOT NULL, service_type text NOT NULL, quantity numeric NOT NULL,"
    " unit text NOT NULL, started_at timestamptz NOT NULL, amount numeric NOT NULL,"
    " currency text NOT NULL, plan_id uuid NOT NULL, rated_at timestamptz NOT NULL,"
    " PRIMARY KEY (tenant_id, source, record_id))",
    "CREATE INDEX IF NOT EXISTS rated_by_account"
    " ON rating.rated_records (tenant_id, account_id, started_at)",
    "CREATE TABLE IF NOT EXISTS rating.unrated_records ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " account_id uuid NOT NULL, service_type text NOT NULL, quantity numeric NOT NULL,"
    " started_at timestamptz NOT NULL, reason text NOT NULL, recorded_at timestamptz NOT NULL,"
    " PRIMARY KEY (tenant_id, source, record_id))",
    "CREATE TABLE IF NOT EXISTS rating.inbox ("
    " message_id text PRIMARY KEY, processed_at timestamptz NOT NULL)",
]

RATED_COLUMNS = ["tenant_id", "source", "record_id", "account_id", "service_type", "quantity",
                 "unit", "started_at", "amount", "currency", "plan_id", "rated_at"]


@dataclass(frozen=True)
class Summary:
    """Rated usage of one account and service type over a period."""

    account_id: UUID
    service_type: str
    unit: str
    quantity: Decimal
    amount: Decimal
    currency: str
    record_count: int
    digest: str


class RatedRecordStore:
    """Rated records keyed (tenant, source, record id): a record is rated at most once."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def save(
        self, message_id: str, tenant_id: UUID, rated: list[RatedRecord],
        unrated: list[UnratedRecord],
    ) -> bool:
        """Store a message's results once; False when the message was already processed."""
        now = datetime.now(UTC)
        async with self.pool.acquire() as conn, conn.transaction():
            first_time = await conn.fetchval(
                "INSERT INTO rating.inbox VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
                message_id, now,
            )
            if not first_time:
                return False
            await conn.execute("CREATE TEMP TABLE rated (LIKE rating.rated_records) ON COMMIT DROP")
            await conn.copy_records_to_table("rated", columns=RATED_COLUMNS, records=[
                (tenant_id, r.record.source, r.record.record_id, r.record.account_id,
                 r.record.service_type, r.record.quantity, r.record.unit, r.record.started_at,
                 r.amount.amount, r.amount.currency, r.plan_id, now)
                for r in rated
            ])
            await conn.execute(
                "INSERT INTO rating.rated_records SELECT * FROM rated ON CONFLICT DO NOTHING"
            )
            await conn.executemany(
                "INSERT INTO rating.unrated_records VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                " ON CONFLICT DO NOTHING",
                [(tenant_id, u.record.source, u.record.record_id, u.record.account_id,
                  u.record.service_type, u.record.quantity, u.record.started_at, u.reason, now)
                 for u in unrated],
            )
        return True

    async def summarize(
        self, tenant_id: UUID, account_ids: list[UUID], start: datetime, end: datetime
    ) -> list[Summary]:
        """Sum rated usage per account and service type in [start, end), with a digest."""
        rows = await self.pool.fetch(
            "SELECT account_id, service_type, unit, currency, sum(quantity) AS quantity,"
            " sum(amount) AS amount, count(*) AS record_count,"
            " encode(sha256(convert_to(string_agg(source || ':' || record_id || ':' || amount,"
            " E'\\n' ORDER BY source, record_id), 'UTF8')), 'hex') AS digest"
            " FROM rating.rated_records"
            " WHERE tenant_id = $1 AND account_id = ANY($2::uuid[])"
            " AND started_at >= $3 AND started_at < $4"
            " GROUP BY account_id, service_type, unit, currency"
            " ORDER BY account_id, service_type",
            tenant_id, account_ids, start, end,
        )
        return [Summary(**dict(row)) for row in rows]
