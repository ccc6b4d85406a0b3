"""What invoices read of rating: usage cuts, billing groups per selection, and the parts of a group.

Every rated part is numbered (seq) by an identity sequence as it is written. A cut takes the
table in SHARE mode, which waits for every transaction writing parts and holds new writers off,
then reads the sequence: every part numbered at or below it is committed, every later part gets
a higher number (docs/rating.md, "What invoices take").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

import asyncpg

from kernel.database import acquired
from kernel.errors import UnavailableError
from kernel.money import Money
from services.rating.listings import parts_page
from services.rating.selections import InvalidSelectionError, UsageSelection, check_period_kind
from services.rating.store import SEQUENCE

LAST_SEQ = f"SELECT coalesce(pg_sequence_last_value({SEQUENCE}::regclass), 0)"
"""The last seq handed out (0 before the first part): pg_sequences' last_value, NULL until called."""
SELECTION = (
    "WITH selection AS (SELECT * FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[],"
    " $5::bigint[], $6::bigint[]) AS s(account_id, period_start, period_end, previous_watermark,"
    " watermark))"
)
"""The selections $2..$6 of tenant $1, one row each."""
PARTS_OF_SELECTION = (
    "SELECT 'current' AS period_kind, r.* FROM rating.rated_records r"
    " WHERE r.tenant_id = $1 AND r.account_id = s.account_id AND r.started_at >= s.period_start"
    " AND r.started_at < s.period_end AND r.seq <= s.watermark"
    " UNION ALL SELECT 'prior' AS period_kind, r.* FROM rating.rated_records r"
    " WHERE r.tenant_id = $1 AND r.account_id = s.account_id AND r.started_at < s.period_start"
    " AND r.seq > s.previous_watermark AND r.seq <= s.watermark"
)
"""The parts one selection s takes, by period kind (a lateral subquery of SELECTION)."""
SELECTED_PARTS = (
    f"{SELECTION}, parts AS (SELECT p.* FROM selection s CROSS JOIN LATERAL ({PARTS_OF_SELECTION}) p)"
)
"""The parts each selection ($2..$6, one element per selection) takes of tenant $1, by period kind."""
SUMMARIZE_BILLING = (
    f"{SELECTION} SELECT s.account_id, g.* FROM selection s CROSS JOIN LATERAL ("
    " SELECT period_kind, service_type, destination_class, unit, currency,"
    " sum(quantity) AS quantity, sum(amount) AS amount, count(*) AS record_count,"
    " encode(sha256(convert_to(string_agg(source || ':' || record_id || ':' || part || ':' || amount,"
    " E'\\n' ORDER BY source COLLATE \"C\", record_id COLLATE \"C\", part), 'UTF8')), 'hex') AS digest,"
    " min(started_at) AS first_started_at, max(started_at) AS last_started_at"
    f" FROM ({PARTS_OF_SELECTION}) parts"
    " GROUP BY period_kind, service_type, destination_class, unit, currency) g"
    " ORDER BY s.account_id, g.period_kind, g.service_type, g.destination_class, g.unit, g.currency"
)
"""Each selection's billing groups: a lateral subquery, so one account's parts are sorted alone."""
GROUPS_SORT_APART = (
    "SELECT set_config('enable_presorted_aggregate', 'off', true)"
    " WHERE current_setting('server_version_num')::int >= 160000"
)
"""For the transaction: sort a group's parts for its digest apart from the sort that forms the groups.
PostgreSQL 16+ otherwise folds the digest's order into one sort of every part by nine keys, which
measured 480 ms per 1,000 accounts of 100 parts against 290 ms."""
DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a cut waits for the transactions writing rated parts before it gives up."""


class UsageCutUnavailableError(UnavailableError):
    """Writers of rated parts held the table longer than a cut waits; a later cut may succeed."""


class GroupKey(NamedTuple):
    """What identifies a billing group within its selection."""

    period_kind: str
    service_type: str
    destination_class: str
    unit: str
    currency: str


@dataclass(frozen=True)
class BillingGroup:
    """The rated parts of one selection in one group: one usage invoice line. The amount is the
    unrounded sum, in the key's currency."""

    account_id: UUID
    key: GroupKey
    quantity: Decimal
    amount: Decimal
    record_count: int
    digest: str
    first_started_at: datetime
    last_started_at: datetime

    @property
    def money(self) -> Money:
        """The amount with its currency."""
        return Money(self.amount, self.key.currency)


def selection_args(tenant_id: UUID, selections: Sequence[UsageSelection]) -> tuple[object, ...]:
    """The parameters $1..$6 of SELECTED_PARTS."""
    return (tenant_id, [s.account_id for s in selections], [s.period_start for s in selections],
            [s.period_end for s in selections], [s.previous_watermark for s in selections],
            [s.watermark for s in selections])


def group_of(row: asyncpg.Record) -> BillingGroup:
    """A billing group as summed."""
    key = GroupKey(row["period_kind"], row["service_type"], row["destination_class"], row["unit"],
                   row["currency"])
    return BillingGroup(row["account_id"], key, row["quantity"], row["amount"], row["record_count"],
                        row["digest"], row["first_started_at"], row["last_started_at"])


async def summarize_on(
    conn: asyncpg.Connection | asyncpg.Pool, tenant_id: UUID, selections: Sequence[UsageSelection]
) -> list[BillingGroup]:
    """The billing groups of the selections, by account and group."""
    async with acquired(conn) as connection, connection.transaction():
        await connection.execute(GROUPS_SORT_APART)
        rows = await connection.fetch(SUMMARIZE_BILLING, *selection_args(tenant_id, selections))
    return [group_of(row) for row in rows]


async def check_cut(
    conn: asyncpg.Connection | asyncpg.Pool, selections: Sequence[UsageSelection], fields: Sequence[str]
) -> None:
    """Refuse a watermark no cut can have given: one above the last seq handed out."""
    latest = await conn.fetchval(LAST_SEQ)
    for selection, field in zip(selections, fields, strict=True):
        if selection.watermark > latest:
            raise InvalidSelectionError(f"{field}.watermark", "after_the_latest_cut")


class BillingReads:
    """Usage cuts and the rated usage of invoice selections, always scoped by tenant."""

    def __init__(self, pool: asyncpg.Pool, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.pool = pool
        self.lock_timeout = lock_timeout

    async def cut(self) -> int:
        """A watermark: every part numbered at or below it is committed, every later one above it."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{round(self.lock_timeout * 1000)}ms'")
            try:
                await conn.execute("LOCK TABLE rating.rated_records IN SHARE MODE")
            except asyncpg.exceptions.LockNotAvailableError:
                raise UsageCutUnavailableError(
                    f"rated records stayed locked by writers for {self.lock_timeout:g} s") from None
            return int(await conn.fetchval(LAST_SEQ))

    async def summarize(
        self, tenant_id: UUID, selections: Sequence[UsageSelection]
    ) -> list[BillingGroup]:
        """The billing groups of every selection (checked already)."""
        await check_cut(self.pool, selections, [f"selections[{i}]" for i in range(len(selections))])
        return await summarize_on(self.pool, tenant_id, selections)

    async def line_parts(
        self, tenant_id: UUID, selection: UsageSelection, period_kind: str, service_type: str,
        destination_class: str, page_size: int, page_token: str,
    ) -> tuple[list[asyncpg.Record], str]:
        """The parts of one group of a selection, in event order, a page at a time."""
        check_period_kind(period_kind)
        await check_cut(self.pool, [selection], ["selection"])
        return await parts_page(
            self.pool, f"{SELECTED_PARTS} SELECT * FROM parts WHERE period_kind = $7"
            " AND service_type = $8 AND destination_class = $9",
            (*selection_args(tenant_id, [selection]), period_kind, service_type, destination_class),
            page_size, page_token)
