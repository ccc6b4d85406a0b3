"""Bill cycles as stored: their instants, and each rated record of a cycle rebuilt from its parts.

Re-rating and re-derivation both read a cycle this way: a record's inputs come from its parts,
its quantity is the sum of its original parts (part < ADJUSTMENT_PART), and its total is the sum
of all its parts, adjustments included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from kernel.dates import first_of_next_month
from kernel.money import Money
from services.rating.domain import RecordToRate

ADJUSTMENT_PART = 1000
"""Parts numbered from here are re-rating adjustments of a record."""

RecordKey = tuple[str, str]
"""A record's identity: (source, record id)."""


def cycles_between(first: date, end: date) -> list[date]:
    """The first days of the monthly cycles from first's month up to (not including) end."""
    cycles, month = [], first.replace(day=1)
    while month < end:
        cycles.append(month)
        month = first_of_next_month(month)
    return cycles


def window(cycle: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants [start, end) of a monthly cycle in the account's timezone."""
    zone = ZoneInfo(timezone)
    return (datetime.combine(cycle, time(), zone).astimezone(UTC),
            datetime.combine(first_of_next_month(cycle), time(), zone).astimezone(UTC))


def record_of(row: Mapping[str, Any], quantity: Decimal) -> RecordToRate:
    """A record rebuilt from its stored inputs."""
    upstream = (Money(row["upstream_amount"], row["upstream_currency"])
                if row["upstream_amount"] is not None else None)
    return RecordToRate(
        row["source"], row["record_id"], row["account_id"], row["service_type"], quantity,
        row["unit"], row["started_at"], destination=row["destination"], duration=row["duration"],
        upstream_price=upstream,
    )


@dataclass
class RecordHistory:
    """A rated record of a cycle: its first original part, its quantity, its total and how many
    adjustments it has."""

    row: Mapping[str, Any]
    quantity: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    adjustments: int = 0

    @property
    def record(self) -> RecordToRate:
        """The record as rating priced it."""
        return record_of(self.row, self.quantity)

    @property
    def key(self) -> RecordKey:
        """(source, record id)."""
        return self.row["source"], self.row["record_id"]

    @property
    def first_seq(self) -> int:
        """Where rating first priced the record among all rated parts."""
        return int(self.row["seq"])

    @property
    def currency(self) -> str:
        """The currency the record was rated in."""
        return str(self.row["currency"])

    @property
    def destination_class(self) -> str:
        """The destination class of its original parts (its adjustments carry the same)."""
        return str(self.row["destination_class"])

    @property
    def recorded_version(self) -> tuple[UUID, int] | None:
        """The rate plan and tariff version its original parts record; None when flat-priced."""
        plan, version = self.row["rate_plan_id"], self.row["tariff_version"]
        return None if plan is None or version is None else (plan, version)

    def add(self, row: Mapping[str, Any]) -> None:
        """Count one more stored part of the record."""
        self.total += row["amount"]
        if row["part"] >= ADJUSTMENT_PART:
            self.adjustments += 1
        else:
            self.quantity += row["quantity"]


def histories_of(rows: Iterable[Mapping[str, Any]]) -> dict[RecordKey, RecordHistory]:
    """The records of a cycle from their stored parts (a record with no original part is left out)."""
    histories: dict[RecordKey, RecordHistory] = {}
    for row in sorted(rows, key=lambda r: (r["part"] >= ADJUSTMENT_PART, r["seq"])):
        key = (row["source"], row["record_id"])
        histories.setdefault(key, RecordHistory(row)).add(row)
    return {key: h for key, h in histories.items() if h.row["part"] < ADJUSTMENT_PART}


async def cycle_histories(
    conn: asyncpg.Connection, tenant_id: UUID, account_id: UUID, cycle: date, timezone: str,
    upto: int | None = None,
) -> dict[RecordKey, RecordHistory]:
    """The account's records of a cycle from their parts (only the parts numbered at most upto)."""
    begin, finish = window(cycle, timezone)
    return histories_of(await conn.fetch(
        "SELECT * FROM rating.rated_records WHERE tenant_id = $1 AND account_id = $2"
        " AND started_at >= $3 AND started_at < $4 AND ($5::bigint IS NULL OR seq <= $5)",
        tenant_id, account_id, begin, finish, upto))
