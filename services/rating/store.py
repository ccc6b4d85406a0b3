"""PostgreSQL storage of rated and unrated records, with the consumer inbox in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import asyncpg

from services.rating.domain import RatedPart, RecordToRate, UnratedRecord
from services.rating.pricing import CycleState
from services.rating.tariffed import CycleKey, Pricing, state_from_json, state_to_json

DDL = [
    "CREATE TABLE IF NOT EXISTS rating.rated_records ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " account_id uuid NOT NULL, service_type text NOT NULL, quantity numeric NOT NULL,"
    " unit text NOT NULL, started_at timestamptz NOT NULL, amount numeric NOT NULL,"
    " currency text NOT NULL, plan_id uuid NOT NULL, rated_at timestamptz NOT NULL,"
    " part int NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, source, record_id, part))",
    *(f"ALTER TABLE rating.rated_records ADD COLUMN IF NOT EXISTS {column}" for column in (
        "part int NOT NULL DEFAULT 0", "rate_plan_id uuid", "tariff_version int", "band text",
        "destination_prefix text", "allowance text", "pre_rated bool NOT NULL DEFAULT false",
        "explanation text NOT NULL DEFAULT ''", "destination text NOT NULL DEFAULT ''",
        "duration numeric", "upstream_amount numeric", "upstream_currency text")),
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.key_column_usage"
    " WHERE table_schema = 'rating' AND table_name = 'rated_records' AND column_name = 'part'"
    " AND constraint_name = 'rated_records_pkey') THEN ALTER TABLE rating.rated_records"
    " DROP CONSTRAINT rated_records_pkey, ADD PRIMARY KEY (tenant_id, source, record_id, part);"
    " END IF; END $$",
    "CREATE TABLE IF NOT EXISTS rating.cycle_states ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, cycle_start date NOT NULL,"
    " state jsonb NOT NULL, PRIMARY KEY (tenant_id, account_id, cycle_start))",
    "CREATE INDEX IF NOT EXISTS rated_by_account"
    " ON rating.rated_records (tenant_id, account_id, started_at)",
    "CREATE TABLE IF NOT EXISTS rating.unrated_records ("
    " tenant_id uuid NOT NULL, source text NOT NULL, record_id text NOT NULL,"
    " account_id uuid NOT NULL, service_type text NOT NULL, quantity numeric NOT NULL,"
    " started_at timestamptz NOT NULL, reason text NOT NULL, recorded_at timestamptz NOT NULL,"
    " PRIMARY KEY (tenant_id, source, record_id))",
    *(f"ALTER TABLE rating.unrated_records ADD COLUMN IF NOT EXISTS {column}" for column in (
        "unit text NOT NULL DEFAULT ''", "destination text NOT NULL DEFAULT ''", "duration numeric",
        "upstream_amount numeric", "upstream_currency text", "rerated_at timestamptz")),
    "CREATE TABLE IF NOT EXISTS rating.inbox ("
    " message_id text PRIMARY KEY, processed_at timestamptz NOT NULL)",
]

RATED_COLUMNS = ["tenant_id", "source", "record_id", "account_id", "service_type", "quantity",
                 "unit", "started_at", "amount", "currency", "plan_id", "rated_at", "part",
                 "rate_plan_id", "tariff_version", "band", "destination_prefix", "allowance",
                 "pre_rated", "explanation", "destination", "duration", "upstream_amount",
                 "upstream_currency"]
Pricer = Callable[[dict[CycleKey, CycleState]], Pricing]
"""Prices a batch given the locked cycle states it reads."""


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


def inputs_of(record: RecordToRate) -> tuple[object, ...]:
    """What re-rating needs of a record besides its key, quantity and time."""
    price = record.upstream_price
    return (record.destination, record.duration, price.amount if price else None,
            price.currency if price else None)


async def store_unrated(
    conn: asyncpg.Connection, tenant_id: UUID, unrated: list[UnratedRecord], now: datetime
) -> None:
    """Keep records that could not be priced, with the reason and their inputs."""
    await conn.executemany(
        "INSERT INTO rating.unrated_records (tenant_id, source, record_id, account_id,"
        " service_type, quantity, started_at, reason, recorded_at, unit, destination, duration,"
        " upstream_amount, upstream_currency)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        " ON CONFLICT DO NOTHING",
        [(tenant_id, u.record.source, u.record.record_id, u.record.account_id,
          u.record.service_type, u.record.quantity, u.record.started_at, u.reason, now,
          u.record.unit, *inputs_of(u.record))
         for u in unrated],
    )


class RatedRecordStore:
    """Rated records keyed (tenant, source, record id): a record is rated at most once."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def save(
        self, message_id: str, tenant_id: UUID, cycles: set[CycleKey], pricer: Pricer
    ) -> bool:
        """Price and store a message's records once, with the cycle states they advance, atomically.

        The cycle states are locked first, so concurrent batches of an account never both spend
        the same allowance; False when the message was already processed.
        """
        now = datetime.now(UTC)
        async with self.pool.acquire() as conn, conn.transaction():
            first_time = await conn.fetchval(
                "INSERT INTO rating.inbox VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
                message_id, now,
            )
            if not first_time:
                return False
            pricing = pricer(await self.lock_cycles(conn, tenant_id, cycles))
            await self.store_parts(conn, tenant_id, pricing.rated, now)
            await store_unrated(conn, tenant_id, pricing.unrated, now)
            await conn.executemany(
                "UPDATE rating.cycle_states SET state = $4"
                " WHERE tenant_id = $1 AND account_id = $2 AND cycle_start = $3",
                [(tenant_id, account_id, start, json.dumps(state_to_json(state)))
                 for (account_id, start), state in pricing.states.items()],
            )
        return True

    @staticmethod
    async def replace_cycle_state(
        conn: asyncpg.Connection, tenant_id: UUID, cycle: CycleKey, state: CycleState
    ) -> None:
        """Set a (locked) cycle's state."""
        await conn.execute(
            "UPDATE rating.cycle_states SET state = $4"
            " WHERE tenant_id = $1 AND account_id = $2 AND cycle_start = $3",
            tenant_id, *cycle, json.dumps(state_to_json(state)),
        )

    @staticmethod
    async def lock_cycles(
        conn: asyncpg.Connection, tenant_id: UUID, cycles: set[CycleKey]
    ) -> dict[CycleKey, CycleState]:
        """Create missing cycle rows, then lock and read them in a stable order."""
        if not cycles:
            return {}
        ordered = sorted(cycles, key=lambda c: (str(c[0]), c[1]))
        accounts, starts = [c[0] for c in ordered], [c[1] for c in ordered]
        await conn.execute(
            "INSERT INTO rating.cycle_states (tenant_id, account_id, cycle_start, state)"
            " SELECT $1, a, d, '{}' FROM unnest($2::uuid[], $3::date[]) AS c(a, d)"
            " ON CONFLICT DO NOTHING", tenant_id, accounts, starts,
        )
        rows = await conn.fetch(
            "SELECT account_id, cycle_start, state FROM rating.cycle_states WHERE tenant_id = $1"
            " AND (account_id, cycle_start) IN (SELECT * FROM unnest($2::uuid[], $3::date[]))"
            " ORDER BY account_id, cycle_start FOR UPDATE", tenant_id, accounts, starts,
        )
        return {(row["account_id"], row["cycle_start"]): state_from_json(json.loads(row["state"]))
                for row in rows}

    @staticmethod
    async def store_parts(
        conn: asyncpg.Connection, tenant_id: UUID, parts: list[RatedPart], now: datetime | None = None
    ) -> None:
        """Store rated parts (a part already stored is kept as it was)."""
        now = now or datetime.now(UTC)
        if not parts:
            return
        await conn.execute("CREATE TEMP TABLE rated (LIKE rating.rated_records) ON COMMIT DROP")
        await conn.copy_records_to_table("rated", columns=RATED_COLUMNS, records=[
            (tenant_id, p.record.source, p.record.record_id, p.record.account_id,
             p.record.service_type, p.quantity, p.record.unit, p.record.started_at,
             p.amount.amount, p.amount.currency, p.plan_id, now, p.part, p.rate_plan_id,
             p.tariff_version, p.band, p.destination_prefix, p.allowance, p.pre_rated,
             p.explanation, *inputs_of(p.record))
            for p in parts
        ])
        await conn.execute(
            f"INSERT INTO rating.rated_records ({', '.join(RATED_COLUMNS)})"
            f" SELECT {', '.join(RATED_COLUMNS)} FROM rated ON CONFLICT DO NOTHING"
        )

    async def cycle_state(self, tenant_id: UUID, cycle: CycleKey) -> CycleState:
        """An account's cycle state as last committed (read without locking, for quotes)."""
        text = await self.pool.fetchval(
            "SELECT state FROM rating.cycle_states WHERE tenant_id = $1 AND account_id = $2"
            " AND cycle_start = $3", tenant_id, *cycle,
        )
        return CycleState() if text is None else state_from_json(json.loads(text))

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
