"""Monthly range partitions of usage.accepted_records, created before the first record lands."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import asyncpg

from kernel.dates import first_of_next_month

PARENT = "usage.accepted_records"


def month_of(instant: datetime) -> date:
    """The first day of the UTC month holding the instant."""
    utc = instant.astimezone(UTC)
    return date(utc.year, utc.month, 1)


def partition_ddl(month: date) -> str:
    """CREATE TABLE for the partition holding one UTC month."""
    name = f"usage.accepted_records_{month:%Y_%m}"
    return (
        f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {PARENT}"
        f" FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') TO ('{first_of_next_month(month).isoformat()}"
        " 00:00:00+00')"
    )


class MonthlyPartitions:
    """Creates missing monthly partitions once, serialized across processes by an advisory lock."""

    LOCK = 0x75736167

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.ready: set[date] = set()

    async def ensure(self, instants: Iterable[datetime]) -> None:
        """Make sure a partition exists for every month the instants fall in."""
        missing = {month_of(instant) for instant in instants} - self.ready
        if not missing:
            return
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", self.LOCK)
            for month in sorted(missing):
                await conn.execute(partition_ddl(month))
        self.ready |= missing
