"""Bill-run benchmark: N accounts with M rated records each, billed, finalized and numbered."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date
from uuid import UUID, uuid4

import asyncpg
import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from devstack.bench.capture import count, flat_plan, until
from devstack.bench.report import Figure
from kernel.database import connection_parts, eventsourcing_env
from services.invoice.application import InvoiceApplication
from services.invoice.domain.accounts import Account, BillingDetails
from services.invoice.domain.subscriptions import Subscription

log = logging.getLogger("bench.billing")

BILL_DATE = date(2026, 11, 1)
PERIOD_START = date(2026, 10, 1)
ACCOUNTS_PER_SAVE = 100
RECORDS_PER_INSERT = 1_000_000
SERVICES = "ARRAY['voice', 'sms', 'data']"
CLASSES = "ARRAY['United Kingdom Mobile', 'United Kingdom Fixed', 'France', '']"


def open_accounts(database_url: str, tenant_id: UUID, plan_id: UUID, accounts: int) -> list[UUID]:
    """Open the accounts with their plan subscription, in bounded saves (bulk set-up)."""
    app = InvoiceApplication(env=eventsourcing_env(database_url, "invoice"))
    plan = app.get_plan(tenant_id, plan_id)
    ids = []
    try:
        for first in range(0, accounts, ACCOUNTS_PER_SAVE):
            batch = []
            for index in range(first, min(first + ACCOUNTS_PER_SAVE, accounts)):
                account = Account(tenant_id=tenant_id, name=f"Customer {index}",
                                  billing_email=f"c{index}@example.org", currency=plan.currency,
                                  plan_id=plan.id, timezone="Europe/London")
                account.set_up_billing(bill_cycle_day=1, parent_id=None)
                account.change_billing_details(account.name, account.billing_email,
                                               BillingDetails(("1 High Street", "London"), "en"))
                subscription = Subscription(
                    tenant_id=tenant_id, account_id=account.id, plan_id=plan.id,
                    plan_name=plan.name, recurring_fee=plan.recurring_fee,
                    start_date=PERIOD_START)
                account.add_subscription(subscription.id)
                batch += [account, subscription]
                ids.append(account.id)
            app.save(*batch)
    finally:
        app.close()
    return ids


async def insert_rated(database_url: str, tenant_id: UUID, plan_id: UUID, ids: list[UUID],
                       records: int) -> None:
    """Rated records spread over the accounts and October, written by SQL in chunks, then vacuumed
    and checkpointed, so the timed run does not share the machine with the set-up's aftermath."""
    parts = connection_parts(database_url)
    conn = await asyncpg.connect(host=parts["host"], port=int(parts["port"]), user=parts["user"],
                                 database=parts["dbname"])
    try:
        for first in range(0, records, RECORDS_PER_INSERT):
            last = min(first + RECORDS_PER_INSERT, records) - 1
            await conn.execute(
                "INSERT INTO rating.rated_records (tenant_id, source, record_id, account_id,"
                " service_type, quantity, unit, started_at, amount, currency, plan_id, rated_at,"
                f" part, destination_class) SELECT $1, 'bench', 'r' || g, ($2::uuid[])[1 + g % $3],"
                f" ({SERVICES})[1 + g % 3], 60, 'second',"
                " '2026-10-01T00:00:00Z'::timestamptz + (g % 2678000) * interval '1 second',"
                f" round((g % 1000) / 10000.0, 6), 'EUR', $4, now(), 0, ({CLASSES})[1 + g % 4]"
                " FROM generate_series($5::bigint, $6::bigint) g",
                tenant_id, ids, len(ids), plan_id, first, last,
            )
            log.info("rated records written: %s", last + 1)
        await conn.execute("VACUUM (ANALYZE) rating.rated_records")
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


async def all_published(database_url: str) -> float:
    """When the invoice relay had published every stored event (monotonic clock)."""
    query = ("SELECT (SELECT coalesce(max(notification_id), 0) FROM invoice.invoiceapplication_events)"
             " - coalesce((SELECT position FROM invoice.outbox_relay WHERE relay = 'invoice'), 0)")
    async def caught_up() -> bool:
        return await count(database_url, query) <= 0

    await until(caught_up, "the invoice relay catching up", 0.2, 7200)
    return time.monotonic()


async def bill_run_figures(invoice_address: str, database_url: str, accounts: int,
                           records_per_account: int) -> list[Figure]:
    """Set up, then time one bill run over every account."""
    tenant_id = uuid4()
    channel = grpc.aio.insecure_channel(invoice_address)
    stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
    try:
        plan = await stub.CreatePlan(flat_plan(tenant_id), timeout=30)
        plan_id = UUID(plan.plan_id)
        started = time.monotonic()
        ids = await asyncio.to_thread(open_accounts, database_url, tenant_id, plan_id, accounts)
        log.info("%s accounts opened in %.1f s", accounts, time.monotonic() - started)
        started = time.monotonic()
        await insert_rated(database_url, tenant_id, plan_id, ids, accounts * records_per_account)
        log.info("rated records written in %.1f s", time.monotonic() - started)
        started = time.monotonic()
        await stub.ListBillRuns(invoice_pb2.ListBillRunsRequest(tenant_id=str(tenant_id)),
                                timeout=3600)
        projected = time.monotonic() - started
        log.info("directory caught up in %.1f s", projected)
        started = time.monotonic()
        run = await stub.RunBilling(invoice_pb2.RunBillingRequest(
            tenant_id=str(tenant_id), bill_date=BILL_DATE.isoformat()), timeout=3600)
        elapsed = time.monotonic() - started
        published = await all_published(database_url) - started
    finally:
        await channel.close(None)
    stored = await count(database_url, "SELECT count(*) FROM invoice.invoiceapplication_events"
                         " WHERE topic LIKE '%Invoice.Finalized'")
    log.info("bill run %s: %s created, %s invoices finalized in the store; every event published"
             " %.1f s after the start", run.bill_run_id, run.invoices_created, stored, published)
    label = f"bill run {accounts:,} accounts, {accounts * records_per_account:,} rated records"
    scaled_target = 60 * accounts / 100_000
    return [
        Figure(f"{label}: seconds (target 60 s per 100k)", elapsed, "s", scaled_target,
               higher_is_better=False),
        Figure("bill run: invoices/s", run.invoices_created / elapsed, "invoices/s",
               100_000 / 60),
    ]
