"""SQL read models of the payment service: every account's receivables and balance, and its payments.

Projected from the event log (position and rows commit together), so dunning finds every overdue
account with one query instead of loading every ledger.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from kernel.eventstore import event_type
from kernel.ids import plain_uuid
from kernel.money import Money
from services.payment.application import PaymentApplication
from services.payment.disputes import DDL as DISPUTES_DDL
from services.payment.disputes import DISPUTED_SQL
from services.payment.domain.dunning import Overdue, OverdueInvoice
from services.payment.domain.ledger import CustomerLedger
from services.payment.domain.payments import Payment

LEDGER_EVENTS = ("Opened", "InvoiceAdded", "PaymentReceived", "PaymentReversed", "InvoiceCredited",
                 "InvoiceVoided")
TOPICS = [
    *(f"{CustomerLedger.__module__}:CustomerLedger.{name}" for name in LEDGER_EVENTS),
    f"{Payment.__module__}:Payment.Recorded",
]
BATCH = 500
DDL = [
    "CREATE TABLE IF NOT EXISTS payment.positions_cursor (name text PRIMARY KEY, position bigint NOT NULL)",
    "CREATE TABLE IF NOT EXISTS payment.receivables ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, invoice_id uuid NOT NULL,"
    " number text NOT NULL, issue_date date NOT NULL, due_date date, currency text NOT NULL,"
    " total numeric NOT NULL, allocated numeric NOT NULL, credited numeric NOT NULL,"
    " due numeric NOT NULL, void boolean NOT NULL, PRIMARY KEY (tenant_id, invoice_id))",
    "CREATE INDEX IF NOT EXISTS receivables_overdue ON payment.receivables (due_date)"
    " WHERE due > 0",
    "CREATE TABLE IF NOT EXISTS payment.balances ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, currency text NOT NULL,"
    " balance numeric NOT NULL, credit numeric NOT NULL, version int NOT NULL,"
    " PRIMARY KEY (tenant_id, account_id))",
    "CREATE TABLE IF NOT EXISTS payment.account_payments ("
    " tenant_id uuid NOT NULL, account_id uuid NOT NULL, payment_id uuid NOT NULL,"
    " recorded_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, account_id, recorded_at, payment_id))",
    *DISPUTES_DDL,
]


class Positions:
    """Read models of ledgers and payments, caught up from the notification log on demand."""

    def __init__(self, app: PaymentApplication, pool: asyncpg.Pool) -> None:
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
            await conn.execute("INSERT INTO payment.positions_cursor VALUES ('positions', 0)"
                               " ON CONFLICT DO NOTHING")
            position = await conn.fetchval(
                "SELECT position FROM payment.positions_cursor WHERE name = 'positions' FOR UPDATE")
            notifications = await asyncio.to_thread(
                self.app.notification_log.select, position + 1, BATCH, None, TOPICS)
            events: list[Any] = await asyncio.to_thread(
                lambda: [self.app.mapper.to_domain_event(n) for n in notifications])
            ledgers = {e.originator_id for e in events if event_type(e).startswith("CustomerLedger.")}
            for payment in (e for e in events if event_type(e) == "Payment.Recorded"):
                await conn.execute(
                    "INSERT INTO payment.account_payments VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    payment.tenant_id, payment.account_id, payment.originator_id, payment.timestamp)
            for ledger_id in ledgers:
                ledger: Any = await asyncio.to_thread(self.app.repository.get, ledger_id)
                await self._write_ledger(conn, ledger)
            if notifications:
                await conn.execute("UPDATE payment.positions_cursor SET position = $1"
                                   " WHERE name = 'positions'", notifications[-1].id)
            return len(notifications)

    @staticmethod
    async def _write_ledger(conn: asyncpg.Connection, ledger: Any) -> None:
        await conn.execute(
            "INSERT INTO payment.balances VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, account_id)"
            " DO UPDATE SET balance = EXCLUDED.balance, credit = EXCLUDED.credit,"
            " version = EXCLUDED.version WHERE payment.balances.version < EXCLUDED.version",
            ledger.tenant_id, ledger.account_id, ledger.currency, ledger.balance.amount,
            ledger.credit, ledger.version)
        await conn.executemany(
            "INSERT INTO payment.receivables VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            " ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET allocated = EXCLUDED.allocated,"
            " credited = EXCLUDED.credited, due = EXCLUDED.due, void = EXCLUDED.void",
            [(ledger.tenant_id, ledger.account_id, r.invoice_id, r.number, r.issue_date, r.due_date,
              ledger.currency, r.total, r.allocated, r.credited, r.due, r.void)
             for r in ledger.receivables.values()])

    async def overdue_on(self, today: date) -> list[Overdue]:
        """Every account with something past due on that day (due date before it), all tenants."""
        await self.catch_up()
        rows = await self.pool.fetch(
            f"SELECT tenant_id, account_id, invoice_id, number, due_date, currency, due, {DISPUTED_SQL}"
            " FROM payment.receivables r WHERE due > 0 AND due_date < $1"
            " ORDER BY tenant_id, account_id, due_date, number", today)
        return group_overdue(rows)

    async def position_of(self, tenant_id: UUID, account_id: UUID, today: date) -> Overdue:
        """One account's past-due position on that day (possibly clear)."""
        await self.catch_up()
        rows = await self.pool.fetch(
            f"SELECT tenant_id, account_id, invoice_id, number, due_date, currency, due, {DISPUTED_SQL}"
            " FROM payment.receivables r WHERE tenant_id = $1 AND account_id = $2 AND due > 0"
            " AND due_date < $3 ORDER BY due_date, number", tenant_id, account_id, today)
        grouped = group_overdue(rows)
        if grouped:
            return grouped[0]
        currency = await self.pool.fetchval(
            "SELECT currency FROM payment.balances WHERE tenant_id = $1 AND account_id = $2",
            tenant_id, account_id)
        return Overdue(tenant_id=tenant_id, account_id=account_id, currency=currency or "",
                       invoices=())

    async def payments_of(self, tenant_id: UUID, account_id: UUID, limit: int,
                          before: tuple[Any, UUID] | None) -> list[tuple[Any, UUID]]:
        """(recorded at, id) of an account's payments, newest first, after the page key."""
        await self.catch_up()
        rows = await self.pool.fetch(
            "SELECT recorded_at, payment_id FROM payment.account_payments"
            " WHERE tenant_id = $1 AND account_id = $2"
            " AND ($3::timestamptz IS NULL OR (recorded_at, payment_id) < ($3, $4))"
            " ORDER BY recorded_at DESC, payment_id DESC LIMIT $5",
            tenant_id, account_id, before[0] if before else None, before[1] if before else None, limit)
        return [(row["recorded_at"], plain_uuid(row["payment_id"])) for row in rows]



def group_overdue(rows: list[asyncpg.Record]) -> list[Overdue]:
    """Rows of past-due invoices as one Overdue per account."""
    grouped: dict[tuple[UUID, UUID], list[asyncpg.Record]] = {}
    for row in rows:
        grouped.setdefault((plain_uuid(row["tenant_id"]), plain_uuid(row["account_id"])), []).append(row)
    return [
        Overdue(tenant_id=tenant_id, account_id=account_id, currency=items[0]["currency"],
                invoices=tuple(overdue_invoice(row) for row in items))
        for (tenant_id, account_id), items in grouped.items()
    ]


def overdue_invoice(row: asyncpg.Record) -> OverdueInvoice:
    """A past-due receivable row as the dunning domain sees it."""
    currency = row["currency"]
    return OverdueInvoice(invoice_id=plain_uuid(row["invoice_id"]), number=row["number"],
                          due_date=row["due_date"],
                          amount_due=Money(Decimal(row["due"]), currency),
                          disputed=Money(Decimal(row["disputed"]), currency))
