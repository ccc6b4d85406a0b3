"""The directory: a SQL read model of accounts and invoices, projected from the event log."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import asyncpg

from kernel.eventstore import event_type
from services.invoice.application import InvoiceApplication
from services.invoice.domain.accounts import Account
from services.invoice.domain.invoices import Invoice

DDL = [
    "CREATE TABLE IF NOT EXISTS invoice.account_directory ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, plan_id uuid NOT NULL,"
    " status text NOT NULL, PRIMARY KEY (tenant_id, account_id))",
    "CREATE TABLE IF NOT EXISTS invoice.invoice_directory ("
    " invoice_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, account_id uuid NOT NULL,"
    " period_start date NOT NULL, period_end date NOT NULL, number text, status text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS invoice_directory_by_account"
    " ON invoice.invoice_directory (tenant_id, account_id, period_start)",
    "CREATE TABLE IF NOT EXISTS invoice.directory_position ("
    " name text PRIMARY KEY, position bigint NOT NULL)",
]

TOPICS = [
    f"{Account.__module__}:Account.Opened",
    f"{Invoice.__module__}:Invoice.Drafted",
    f"{Invoice.__module__}:Invoice.Finalized",
    f"{Invoice.__module__}:Invoice.Paid",
]
BATCH = 500


class Directory:
    """Lists of accounts and invoices per tenant, caught up from the notification log on demand."""

    def __init__(self, app: InvoiceApplication, pool: asyncpg.Pool) -> None:
        self.app = app
        self.pool = pool
        self.lock = asyncio.Lock()

    async def catch_up(self) -> None:
        """Apply every notification not yet projected; position and rows commit together."""
        async with self.lock:
            while await self._apply_next_batch() == BATCH:
                pass

    async def _apply_next_batch(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO invoice.directory_position VALUES ('directory', 0)"
                " ON CONFLICT DO NOTHING"
            )
            position = await conn.fetchval(
                "SELECT position FROM invoice.directory_position"
                " WHERE name = 'directory' FOR UPDATE"
            )
            notifications = await asyncio.to_thread(
                self.app.notification_log.select, position + 1, BATCH, None, TOPICS
            )
            for notification in notifications:
                await self._apply(conn, self.app.mapper.to_domain_event(notification))
            if notifications:
                await conn.execute(
                    "UPDATE invoice.directory_position SET position = $1 WHERE name = 'directory'",
                    notifications[-1].id,
                )
            return len(notifications)

    async def _apply(self, conn: asyncpg.Connection, event: Any) -> None:
        kind = event_type(event)
        if kind == "Account.Opened":
            await conn.execute(
                "INSERT INTO invoice.account_directory VALUES ($1, $2, $3, 'active')"
                " ON CONFLICT DO NOTHING",
                event.tenant_id, event.originator_id, event.plan_id,
            )
        elif kind == "Invoice.Drafted":
            await conn.execute(
                "INSERT INTO invoice.invoice_directory VALUES ($1, $2, $3, $4, $5, NULL, 'draft')"
                " ON CONFLICT DO NOTHING",
                event.originator_id, event.tenant_id, event.account_id,
                event.period_start, event.period_end,
            )
        elif kind == "Invoice.Finalized":
            await conn.execute(
                "UPDATE invoice.invoice_directory SET number = $2, status = 'finalized'"
                " WHERE invoice_id = $1", event.originator_id, event.number,
            )
        elif kind == "Invoice.Paid":
            await conn.execute(
                "UPDATE invoice.invoice_directory SET status = 'paid' WHERE invoice_id = $1",
                event.originator_id,
            )

    async def active_accounts(self, tenant_id: UUID) -> list[UUID]:
        """The tenant's active accounts, in a stable order."""
        await self.catch_up()
        rows = await self.pool.fetch(
            "SELECT account_id FROM invoice.account_directory"
            " WHERE tenant_id = $1 AND status = 'active' ORDER BY account_id", tenant_id,
        )
        return [row["account_id"] for row in rows]

    async def invoices_of(self, tenant_id: UUID, account_id: UUID) -> list[UUID]:
        """The account's invoices, oldest period first."""
        await self.catch_up()
        rows = await self.pool.fetch(
            "SELECT invoice_id FROM invoice.invoice_directory"
            " WHERE tenant_id = $1 AND account_id = $2 ORDER BY period_start", tenant_id, account_id,
        )
        return [row["invoice_id"] for row in rows]
