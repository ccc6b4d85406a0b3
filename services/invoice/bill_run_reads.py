"""What a bill run reads in bulk: due accounts and, per chunk, everything their invoices need."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from kernel.ids import plain_uuid
from kernel.money import Money
from services.invoice.application import InvoiceApplication
from services.invoice.directory import Directory
from services.invoice.domain.accounts import BillingDetails, OneTimeCharge
from services.invoice.domain.cycles import Period, period_ending, shift_months
from services.invoice.domain.drafting import AccountSnapshot, SubscriptionSnapshot
from services.invoice.domain.invoices import Invoice
from services.invoice.domain.proration import Coverage
from services.invoice.domain.subscriptions import Discount, Segment
from services.invoice.domain.taxes import TaxRate

ACCOUNT_COLUMNS = ("account_id, name, billing_email, currency, timezone, cycle_day, details,"
                   " parent_id, status, closed_on")


@dataclass
class ChunkData:
    """The read-model rows behind one chunk of invoices."""

    invoiced: set[UUID] = field(default_factory=set)
    children: dict[UUID, list[AccountSnapshot]] = field(default_factory=dict)
    subscriptions: dict[UUID, list[SubscriptionSnapshot]] = field(default_factory=dict)
    billed: dict[UUID, list[Coverage]] = field(default_factory=dict)
    charges: dict[UUID, list[OneTimeCharge]] = field(default_factory=dict)
    last_bill_dates: dict[UUID, date] = field(default_factory=dict)
    watermarks: dict[UUID, int] = field(default_factory=dict)
    tax_rates: dict[str, TaxRate] = field(default_factory=dict)



def optional_uuid(value: Any) -> UUID | None:
    """A nullable id column as a plain UUID."""
    return None if value is None else plain_uuid(value)


def account_snapshot(row: asyncpg.Record) -> AccountSnapshot:
    """An account as the directory has it."""
    details = json.loads(row["details"]) if row["details"] else {}
    return AccountSnapshot(
        account_id=plain_uuid(row["account_id"]), name=row["name"], billing_email=row["billing_email"],
        currency=row["currency"], timezone=row["timezone"], cycle_day=row["cycle_day"],
        details=BillingDetails.from_dict(details) if details else BillingDetails(),
        parent_id=optional_uuid(row["parent_id"]),
    )


def is_due(row: asyncpg.Record, bill_date: date) -> bool:
    """Open accounts, and closed ones whose closing falls after the period's start."""
    if row["status"] != "closed":
        return True
    return bool(row["closed_on"] > period_ending(bill_date, row["cycle_day"]).start)


class BillRunReads:
    """Bulk reads of the directory for bill runs (tenant-scoped)."""

    def __init__(self, directory: Directory, app: InvoiceApplication) -> None:
        self.directory = directory
        self.app = app

    async def due_accounts(self, tenant_id: UUID, bill_date: date) -> list[AccountSnapshot]:
        """Top-level accounts whose period ends on the bill date, in a stable order."""
        is_last_day = (bill_date + timedelta(days=1)).day == 1
        rows = await self.directory.fetch(
            f"SELECT {ACCOUNT_COLUMNS} FROM invoice.account_directory WHERE tenant_id = $1"
            " AND parent_id IS NULL AND (cycle_day = $2 OR ($3 AND cycle_day > $2))"
            " ORDER BY account_id", tenant_id, bill_date.day, is_last_day,
        )
        return [account_snapshot(row) for row in rows if is_due(row, bill_date)]

    async def chunk(
        self, tenant_id: UUID, bill_date: date, accounts: list[AccountSnapshot]
    ) -> ChunkData:
        """Everything the chunk's invoices are drafted from, besides usage."""
        pool = self.directory.pool
        ids = [a.account_id for a in accounts]
        data = ChunkData()
        data.invoiced = await self._invoiced(pool, tenant_id, bill_date, accounts)
        child_rows = await pool.fetch(
            f"SELECT {ACCOUNT_COLUMNS} FROM invoice.account_directory"
            " WHERE tenant_id = $1 AND parent_id = ANY($2::uuid[]) ORDER BY account_id",
            tenant_id, ids)
        for row in child_rows:
            if is_due(row, bill_date):
                data.children.setdefault(plain_uuid(row["parent_id"]), []).append(account_snapshot(row))
        members = ids + [c.account_id for kids in data.children.values() for c in kids]
        data.last_bill_dates = _by_account(await pool.fetch(
            "SELECT account_id, max(period_end) FROM invoice.invoice_directory"
            " WHERE tenant_id = $1 AND account_id = ANY($2::uuid[]) AND status <> 'void'"
            " GROUP BY account_id", tenant_id, ids))
        data.watermarks = _by_account(await pool.fetch(
            "SELECT w.account_id, max(w.watermark) FROM invoice.usage_watermarks w"
            " JOIN invoice.invoice_directory i USING (invoice_id)"
            " WHERE w.tenant_id = $1 AND w.account_id = ANY($2::uuid[]) AND i.status <> 'void'"
            " GROUP BY w.account_id", tenant_id, members))
        await self._subscriptions(pool, tenant_id, members, data)
        cycle_days = {a.account_id: a.cycle_day for a in accounts} | {
            c.account_id: c.cycle_day for kids in data.children.values() for c in kids}
        await self._billed(pool, tenant_id, cycle_days, bill_date, data)
        for row in await pool.fetch(
            "SELECT * FROM invoice.pending_charges WHERE tenant_id = $1"
            " AND account_id = ANY($2::uuid[]) AND invoice_id IS NULL AND charge_date < $3",
            tenant_id, members, bill_date,
        ):
            data.charges.setdefault(plain_uuid(row["account_id"]), []).append(OneTimeCharge(
                row["charge_id"], row["description"], Money.of(row["amount"], row["currency"]),
                row["charge_date"]))
        regions = {a.details.tax_region for a in accounts if a.details.tax_region}
        data.tax_rates = await asyncio.to_thread(self._tax_rates, tenant_id, regions, bill_date)
        return data

    @staticmethod
    async def _invoiced(
        pool: asyncpg.Pool, tenant_id: UUID, bill_date: date, accounts: list[AccountSnapshot]
    ) -> set[UUID]:
        wanted = []
        for account in accounts:
            period = period_ending(bill_date, account.cycle_day)
            wanted.append(Invoice.create_id(tenant_id, account.account_id, period.start, period.end))
        rows = await pool.fetch("SELECT invoice_id FROM invoice.invoice_directory"
                                " WHERE invoice_id = ANY($1::uuid[])", wanted)
        return {plain_uuid(row["invoice_id"]) for row in rows}

    @staticmethod
    async def _subscriptions(
        pool: asyncpg.Pool, tenant_id: UUID, members: list[UUID], data: ChunkData
    ) -> None:
        rows = await pool.fetch(
            "SELECT subscription_id, account_id, snapshot FROM invoice.subscription_directory"
            " WHERE tenant_id = $1 AND account_id = ANY($2::uuid[])"
            " ORDER BY snapshot->>'start_date', subscription_id", tenant_id, members)
        for row in rows:
            snapshot = json.loads(row["snapshot"])
            account_id = plain_uuid(row["account_id"])
            data.subscriptions.setdefault(account_id, []).append(SubscriptionSnapshot(
                subscription_id=plain_uuid(row["subscription_id"]), account_id=account_id,
                segments=tuple(_segment(s) for s in snapshot["segments"]),
                discounts=tuple(_discount(d) for d in snapshot["discounts"]),
            ))

    @staticmethod
    async def _billed(
        pool: asyncpg.Pool, tenant_id: UUID, cycle_days: dict[UUID, int], bill_date: date,
        data: ChunkData,
    ) -> None:
        horizon = min(data.last_bill_dates.values(), default=bill_date) - timedelta(days=62)
        rows = await pool.fetch(
            "SELECT c.* FROM invoice.billed_coverage c JOIN invoice.invoice_directory i"
            " USING (invoice_id) WHERE c.tenant_id = $1 AND c.account_id = ANY($2::uuid[])"
            " AND c.cycle_start >= $3 AND i.status <> 'void'", tenant_id, list(cycle_days), horizon)
        grouped: dict[UUID, list[Coverage]] = defaultdict(list)
        for row in rows:
            start = row["cycle_start"]
            account_id = plain_uuid(row["account_id"])
            cycle = Period(start, shift_months(start, 1, cycle_days[account_id]))
            grouped[account_id].append(Coverage(
                subscription_id=plain_uuid(row["subscription_id"]), plan_id=plain_uuid(row["plan_id"]),
                plan_name=row["plan_name"], cycle=cycle,
                covers=Period(row["covers_start"], row["covers_end"]),
                amount=Money.of(row["amount"], row["currency"])))
        data.billed = dict(grouped)

    def _tax_rates(self, tenant_id: UUID, regions: set[str], bill_date: date) -> dict[str, TaxRate]:
        rates = {}
        for region in regions:
            rate = self.app.tax_rate(tenant_id, region, bill_date)
            if rate is not None:
                rates[region] = rate
        return rates


def _by_account(rows: list[asyncpg.Record]) -> dict[UUID, Any]:
    return {plain_uuid(row[0]): row[1] for row in rows}


def _segment(data: dict[str, Any]) -> Segment:
    fee = data["fee"]
    return Segment(UUID(data["plan_id"]), data["plan_name"], Money.of(fee["amount"], fee["currency"]),
                   date.fromisoformat(data["start"]),
                   date.fromisoformat(data["end"]) if data["end"] else None)


def _discount(data: dict[str, Any]) -> Discount:
    return Discount(data["discount_id"], data["kind"], Decimal(data["value"]),
                    int(data["cycles"]), data["description"],
                    date.fromisoformat(data["first_cycle_start"]))

