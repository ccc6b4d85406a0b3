"""The directory: SQL read models of accounts, subscriptions, invoices and what they billed.

Projected from the event log on demand (position and rows commit together), so a bill run reads
thousands of accounts with a few queries instead of loading every aggregate.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from kernel.eventstore import event_type, to_jsonable
from services.invoice.application import InvoiceApplication
from services.invoice.domain.accounts import Account
from services.invoice.domain.invoices import Invoice
from services.invoice.domain.subscriptions import Subscription
from services.invoice.domain.taxes import TaxRegion

VERSION = 2
"""Schema version of the read models: a new version rebuilds them from the first event."""

TABLES = ["account_directory", "invoice_directory", "subscription_directory", "billed_coverage",
          "pending_charges", "usage_watermarks", "tax_regions"]
DDL = [
    "CREATE TABLE IF NOT EXISTS invoice.directory_position ("
    " name text PRIMARY KEY, position bigint NOT NULL)",
    "ALTER TABLE invoice.directory_position ADD COLUMN IF NOT EXISTS version int NOT NULL DEFAULT 1",
    "CREATE TABLE IF NOT EXISTS invoice.account_directory ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, plan_id uuid NOT NULL,"
    " status text NOT NULL, PRIMARY KEY (tenant_id, account_id))",
    *(f"ALTER TABLE invoice.account_directory ADD COLUMN IF NOT EXISTS {column}" for column in (
        "name text NOT NULL DEFAULT ''", "billing_email text NOT NULL DEFAULT ''",
        "currency text NOT NULL DEFAULT ''", "timezone text NOT NULL DEFAULT 'UTC'",
        "details jsonb NOT NULL DEFAULT '{}'", "cycle_day int NOT NULL DEFAULT 1",
        "parent_id uuid", "closed_on date")),
    "CREATE TABLE IF NOT EXISTS invoice.invoice_directory ("
    " invoice_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, account_id uuid NOT NULL,"
    " period_start date NOT NULL, period_end date NOT NULL, number text, status text NOT NULL)",
    *(f"ALTER TABLE invoice.invoice_directory ADD COLUMN IF NOT EXISTS {column}" for column in (
        "due_date date", "bill_run_id uuid")),
    "CREATE INDEX IF NOT EXISTS invoice_directory_by_account"
    " ON invoice.invoice_directory (tenant_id, account_id, period_start)",
    "DROP INDEX IF EXISTS invoice.invoice_directory_open",
    "CREATE INDEX IF NOT EXISTS invoice_directory_open_by_due"
    " ON invoice.invoice_directory (due_date) WHERE status IN ('issued', 'partially_paid')",
    "CREATE TABLE IF NOT EXISTS invoice.subscription_directory ("
    " subscription_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, account_id uuid NOT NULL,"
    " snapshot jsonb NOT NULL)",
    "CREATE INDEX IF NOT EXISTS subscription_directory_by_account"
    " ON invoice.subscription_directory (tenant_id, account_id)",
    "CREATE TABLE IF NOT EXISTS invoice.billed_coverage ("
    " invoice_id uuid NOT NULL, line_index int NOT NULL, tenant_id uuid NOT NULL,"
    " account_id uuid NOT NULL, subscription_id uuid NOT NULL, plan_id uuid NOT NULL,"
    " plan_name text NOT NULL, cycle_start date NOT NULL, covers_start date NOT NULL,"
    " covers_end date NOT NULL, amount numeric NOT NULL, currency text NOT NULL,"
    " PRIMARY KEY (invoice_id, line_index))",
    "CREATE INDEX IF NOT EXISTS billed_coverage_by_subscription"
    " ON invoice.billed_coverage (tenant_id, subscription_id, cycle_start)",
    "CREATE TABLE IF NOT EXISTS invoice.pending_charges ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, charge_id text NOT NULL,"
    " description text NOT NULL, amount numeric NOT NULL, currency text NOT NULL,"
    " charge_date date NOT NULL, invoice_id uuid, PRIMARY KEY (tenant_id, account_id, charge_id))",
    "CREATE TABLE IF NOT EXISTS invoice.usage_watermarks ("
    " invoice_id uuid NOT NULL, tenant_id uuid NOT NULL, account_id uuid NOT NULL,"
    " period_end date NOT NULL, watermark bigint NOT NULL, PRIMARY KEY (invoice_id, account_id))",
    "CREATE TABLE IF NOT EXISTS invoice.tax_regions ("
    " tenant_id uuid NOT NULL, region text NOT NULL, PRIMARY KEY (tenant_id, region))",
    "CREATE INDEX IF NOT EXISTS usage_watermarks_by_account"
    " ON invoice.usage_watermarks (tenant_id, account_id, watermark)",
    "CREATE INDEX IF NOT EXISTS account_directory_children"
    " ON invoice.account_directory (tenant_id, parent_id) WHERE parent_id IS NOT NULL",
]

ACCOUNT_EVENTS = ("Opened", "BillingSetUp", "BillingDetailsChanged", "Suspended", "Reactivated",
                  "Closed", "ChargeAdded")
INVOICE_EVENTS = ("Drafted", "Finalized", "PartiallyPaid", "Paid", "BecameOverdue", "Voided", "Reopened")
SUBSCRIPTION_EVENTS = ("Started", "PlanChanged", "Cancelled", "DiscountAdded")
TOPICS = [
    *(f"{Account.__module__}:Account.{name}" for name in ACCOUNT_EVENTS),
    *(f"{Invoice.__module__}:Invoice.{name}" for name in INVOICE_EVENTS),
    *(f"{Subscription.__module__}:Subscription.{name}" for name in SUBSCRIPTION_EVENTS),
    f"{TaxRegion.__module__}:TaxRegion.Defined",
]
BATCH = 500
STATUS_OF = {"PartiallyPaid": "partially_paid", "Paid": "paid", "BecameOverdue": "overdue",
             "Reopened": "issued",
             "Voided": "void"}


@dataclass(frozen=True)
class InvoiceScope:
    """Whose invoices a listing covers: one account's or one bill run's."""

    account_id: UUID | None = None
    bill_run_id: UUID | None = None


class Writes:
    """Rows to write for one batch of notifications, batched into executemany calls.

    Inserts only create rows (ON CONFLICT DO NOTHING), so they all go first, grouped by statement;
    updates keep their order, and consecutive updates of the same statement go together.
    """

    def __init__(self) -> None:
        self.inserts: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.updates: list[tuple[str, list[tuple[Any, ...]]]] = []

    def add(self, sql: str, *args: Any) -> None:
        """Queue one row for a statement."""
        if sql.startswith("INSERT"):
            self.inserts[sql].append(args)
        elif self.updates and self.updates[-1][0] == sql:
            self.updates[-1][1].append(args)
        else:
            self.updates.append((sql, [args]))

    async def flush(self, conn: asyncpg.Connection) -> None:
        """Run the inserts, then the updates in order."""
        for sql, rows in [*self.inserts.items(), *self.updates]:
            await conn.executemany(sql, rows)


class Directory:
    """Read models per tenant, caught up from the notification log on demand."""

    def __init__(self, app: InvoiceApplication, pool: asyncpg.Pool) -> None:
        self.app = app
        self.pool = pool
        self.lock = asyncio.Lock()
        self.handlers: dict[str, Callable[[Writes, Any], None]] = {
            "Account.Opened": self._account_opened,
            "Account.BillingSetUp": self._billing_set_up,
            "Account.BillingDetailsChanged": self._details_changed,
            "Account.Suspended": self._status("suspended"),
            "Account.Reactivated": self._status("active"),
            "Account.Closed": self._closed,
            "Account.ChargeAdded": self._charge_added,
            "Invoice.Drafted": self._invoice_drafted,
            "Invoice.Finalized": self._invoice_finalized,
            "TaxRegion.Defined": self._tax_region_defined,
            **{f"Invoice.{name}": self._invoice_status(status) for name, status in STATUS_OF.items()},
        }

    async def catch_up(self) -> None:
        """Apply every notification not yet projected; position and rows commit together."""
        async with self.lock:
            await self._rebuild_if_outdated()
            while await self._apply_next_batch() == BATCH:
                pass

    async def _rebuild_if_outdated(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO invoice.directory_position VALUES ('directory', 0, $1)"
                " ON CONFLICT DO NOTHING", VERSION,
            )
            version = await conn.fetchval(
                "SELECT version FROM invoice.directory_position WHERE name = 'directory' FOR UPDATE"
            )
            if version == VERSION:
                return
            for table in TABLES:
                await conn.execute(f"TRUNCATE invoice.{table}")
            await conn.execute("UPDATE invoice.directory_position SET position = 0, version = $1"
                               " WHERE name = 'directory'", VERSION)

    async def _apply_next_batch(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            position = await conn.fetchval(
                "SELECT position FROM invoice.directory_position"
                " WHERE name = 'directory' FOR UPDATE"
            )
            notifications = await asyncio.to_thread(
                self.app.notification_log.select, position + 1, BATCH, None, TOPICS
            )
            events = await asyncio.to_thread(
                lambda: [self.app.mapper.to_domain_event(n) for n in notifications])
            writes = Writes()
            for domain_event in events:
                await self._apply(writes, domain_event)
            await writes.flush(conn)
            if notifications:
                await conn.execute(
                    "UPDATE invoice.directory_position SET position = $1 WHERE name = 'directory'",
                    notifications[-1].id,
                )
            return len(notifications)

    async def _apply(self, writes: Writes, domain_event: Any) -> None:
        kind = event_type(domain_event)
        if kind.startswith("Subscription."):
            await self._subscription_changed(writes, domain_event)
            return
        handler = self.handlers.get(kind)
        if handler is not None:
            handler(writes, domain_event)

    @staticmethod
    def _account_opened(writes: Writes, e: Any) -> None:
        writes.add(
            "INSERT INTO invoice.account_directory (tenant_id, account_id, plan_id, status, name,"
            " billing_email, currency, timezone) VALUES ($1, $2, $3, 'active', $4, $5, $6, $7)"
            " ON CONFLICT DO NOTHING",
            e.tenant_id, e.originator_id, e.plan_id, e.name, e.billing_email, e.currency, e.timezone,
        )

    @staticmethod
    def _billing_set_up(writes: Writes, e: Any) -> None:
        writes.add("UPDATE invoice.account_directory SET cycle_day = $3, parent_id = $4"
                   " WHERE tenant_id = $1 AND account_id = $2",
                   e.tenant_id, e.originator_id, e.bill_cycle_day, e.parent_id)

    @staticmethod
    def _details_changed(writes: Writes, e: Any) -> None:
        writes.add("UPDATE invoice.account_directory SET name = $3, billing_email = $4,"
                   " details = $5 WHERE tenant_id = $1 AND account_id = $2",
                   e.tenant_id, e.originator_id, e.name, e.billing_email, json.dumps(e.details))

    @staticmethod
    def _status(status: str) -> Callable[[Writes, Any], None]:
        def apply(writes: Writes, e: Any) -> None:
            writes.add("UPDATE invoice.account_directory SET status = $3"
                       " WHERE tenant_id = $1 AND account_id = $2",
                       e.tenant_id, e.originator_id, status)
        return apply

    @staticmethod
    def _closed(writes: Writes, e: Any) -> None:
        writes.add("UPDATE invoice.account_directory SET status = 'closed', closed_on = $3"
                   " WHERE tenant_id = $1 AND account_id = $2",
                   e.tenant_id, e.originator_id, e.closed_on)

    @staticmethod
    def _charge_added(writes: Writes, e: Any) -> None:
        writes.add("INSERT INTO invoice.pending_charges VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)"
                   " ON CONFLICT DO NOTHING",
                   e.tenant_id, e.originator_id, e.charge_id, e.description, e.amount.amount,
                   e.amount.currency, e.charge_date)

    @staticmethod
    def _invoice_drafted(writes: Writes, e: Any) -> None:
        writes.add(
            "INSERT INTO invoice.invoice_directory (invoice_id, tenant_id, account_id, period_start,"
            " period_end, number, status, bill_run_id) VALUES ($1, $2, $3, $4, $5, NULL, 'draft', $6)"
            " ON CONFLICT DO NOTHING",
            e.originator_id, e.tenant_id, e.account_id, e.period_start, e.period_end, e.bill_run_id,
        )
        for usage in e.usage or []:
            writes.add("INSERT INTO invoice.usage_watermarks VALUES ($1, $2, $3, $4, $5)"
                       " ON CONFLICT DO NOTHING", e.originator_id, e.tenant_id,
                       UUID(usage["account_id"]), e.period_end, int(usage["watermark"]))
        for line in e.lines:
            _line_rows(writes, e, line)

    @staticmethod
    def _tax_region_defined(writes: Writes, e: Any) -> None:
        writes.add("INSERT INTO invoice.tax_regions VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   e.tenant_id, e.region)

    @staticmethod
    def _invoice_finalized(writes: Writes, e: Any) -> None:
        status = "finalized" if getattr(e, "issue_date", None) is None else "issued"
        writes.add("UPDATE invoice.invoice_directory SET number = $2, status = $3, due_date = $4"
                   " WHERE invoice_id = $1", e.originator_id, e.number, status,
                   getattr(e, "due_date", None))

    @staticmethod
    def _invoice_status(status: str) -> Callable[[Writes, Any], None]:
        def apply(writes: Writes, e: Any) -> None:
            writes.add("UPDATE invoice.invoice_directory SET status = $2 WHERE invoice_id = $1",
                       e.originator_id, status)
        return apply

    async def _subscription_changed(self, writes: Writes, e: Any) -> None:
        if event_type(e) == "Subscription.Started":
            subscription = e.mutate(None)
        else:
            subscription = await asyncio.to_thread(
                lambda: self.app.repository.get(e.originator_id, version=e.originator_version))
        writes.add(
            "INSERT INTO invoice.subscription_directory VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (subscription_id) DO UPDATE SET snapshot = EXCLUDED.snapshot",
            subscription.id, subscription.tenant_id, subscription.account_id,
            json.dumps(subscription_snapshot(subscription)),
        )

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of a read-model query, after catching up."""
        await self.catch_up()
        return list(await self.pool.fetch(sql, *args))

    async def invoices_of(self, tenant_id: UUID, account_id: UUID) -> list[UUID]:
        """The account's invoices, oldest period first."""
        rows = await self.fetch(
            "SELECT invoice_id FROM invoice.invoice_directory"
            " WHERE tenant_id = $1 AND account_id = $2 ORDER BY period_start", tenant_id, account_id,
        )
        return [row["invoice_id"] for row in rows]

    async def invoice_page(
        self, tenant_id: UUID, scope: InvoiceScope, limit: int, after: tuple[date, UUID] | None
    ) -> list[tuple[date, UUID]]:
        """(period start, id) of a page of an account's or a bill run's invoices, oldest first."""
        column = "account_id" if scope.account_id is not None else "bill_run_id"
        rows = await self.fetch(
            "SELECT period_start, invoice_id FROM invoice.invoice_directory"
            f" WHERE tenant_id = $1 AND {column} = $2"
            " AND ($3::date IS NULL OR (period_start, invoice_id) > ($3, $4))"
            " ORDER BY period_start, invoice_id LIMIT $5",
            tenant_id, scope.account_id or scope.bill_run_id,
            after[0] if after else None, after[1] if after else None, limit,
        )
        return [(row["period_start"], row["invoice_id"]) for row in rows]

    async def last_bill_date(self, tenant_id: UUID, account_id: UUID) -> date | None:
        """The end of the latest period invoiced for the account (or its parent), or None."""
        rows = await self.fetch(
            "SELECT max(i.period_end) AS last FROM invoice.invoice_directory i"
            " JOIN invoice.account_directory a ON a.tenant_id = i.tenant_id"
            " AND i.account_id = coalesce(a.parent_id, a.account_id)"
            " WHERE a.tenant_id = $1 AND a.account_id = $2 AND i.status <> 'void'",
            tenant_id, account_id,
        )
        return rows[0]["last"] if rows else None

    async def tax_regions_of(self, tenant_id: UUID) -> list[str]:
        """The tenant's tax region codes."""
        rows = await self.fetch("SELECT region FROM invoice.tax_regions WHERE tenant_id = $1"
                                " ORDER BY region", tenant_id)
        return [row["region"] for row in rows]

    async def bill_runs_of(self, tenant_id: UUID) -> list[UUID]:
        """The tenant's bill runs, newest first."""
        rows = await self.fetch(
            "SELECT bill_run_id, max(period_end) AS bill_date FROM invoice.invoice_directory"
            " WHERE tenant_id = $1 AND bill_run_id IS NOT NULL GROUP BY bill_run_id"
            " ORDER BY bill_date DESC", tenant_id,
        )
        return [row["bill_run_id"] for row in rows]

    async def overdue_candidates(self, today: date) -> list[tuple[UUID, UUID]]:
        """(tenant, invoice) of issued or partly paid invoices past their due date, all tenants."""
        rows = await self.fetch(
            "SELECT tenant_id, invoice_id FROM invoice.invoice_directory"
            " WHERE status IN ('issued', 'partially_paid') AND due_date < $1", today,
        )
        return [(row["tenant_id"], row["invoice_id"]) for row in rows]


def _line_rows(writes: Writes, e: Any, line: dict[str, Any]) -> None:
    """Ledger rows of one drafted line: recurring coverage billed, one-time charges taken."""
    if line.get("subscription_id") and line["kind"] in ("recurring", "proration"):
        amount = line["amount"]
        writes.add(
            "INSERT INTO invoice.billed_coverage VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
            " $11, $12) ON CONFLICT DO NOTHING",
            e.originator_id, int(line["index"]), e.tenant_id, UUID(line["account_id"]),
            UUID(line["subscription_id"]), UUID(line["plan_id"]), line["plan_name"],
            _day(line["cycle_start"]), _day(line["covers_start"]), _day(line["covers_end"]),
            amount.amount, amount.currency,
        )
    if line.get("charge_id"):
        writes.add("UPDATE invoice.pending_charges SET invoice_id = $4"
                   " WHERE tenant_id = $1 AND account_id = $2 AND charge_id = $3",
                   e.tenant_id, UUID(line["account_id"]), line["charge_id"], e.originator_id)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def subscription_snapshot(subscription: Subscription) -> dict[str, Any]:
    """A subscription as the bill run reads it (JSON)."""
    return {
        "start_date": subscription.start_date.isoformat(),
        "end_date": subscription.end_date.isoformat() if subscription.end_date else None,
        "segments": [to_jsonable(segment.as_dict()) for segment in subscription.timeline()],
        "discounts": [to_jsonable(discount.as_dict()) for discount in subscription.discounts],
    }
