"""Bill runs: one finalized, numbered invoice per active account and period, in bounded batches."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from kernel.clock import Clock
from services.invoice.application import InvoiceApplication
from services.invoice.directory import Directory
from services.invoice.domain.accounts import Account
from services.invoice.domain.billing import (
    BillPeriod,
    BillRun,
    RatedUsage,
    recurring_line,
    usage_line,
)
from services.invoice.domain.catalog import Plan
from services.invoice.domain.invoices import Invoice
from services.invoice.rating_client import RatedUsageSource

log = logging.getLogger(__name__)

SAVE_BATCH = 100
"""Invoices per atomic save (each with its numbers); bounded because huge saves hang."""
SAVE_ATTEMPTS = 3


@dataclass
class BillRunResult:
    """What a bill run did."""

    bill_run: BillRun
    created: list[UUID] = field(default_factory=list)
    already_present: list[UUID] = field(default_factory=list)


class BillRunner:
    """Runs bill runs against the invoice application and the rating service."""

    def __init__(
        self,
        app: InvoiceApplication,
        directory: Directory,
        rated_usage: RatedUsageSource,
        clock: Clock,
        on_saved: Callable[[], None] = lambda: None,
        batch_size: int = SAVE_BATCH,
    ) -> None:
        self.app = app
        self.directory = directory
        self.rated_usage = rated_usage
        self.clock = clock
        self.on_saved = on_saved
        self.batch_size = batch_size

    async def run(self, tenant_id: UUID, period_start: str, period_end: str) -> BillRunResult:
        """Bill every active account for the period; running it again resumes it."""
        period = BillPeriod.parse(period_start, period_end, self.clock.now().date())
        bill_run = await asyncio.to_thread(self.app.start_bill_run, tenant_id, period)
        await asyncio.to_thread(self.app.save, bill_run)
        result = BillRunResult(bill_run)
        accounts = await self.directory.active_accounts(tenant_id)
        for first in range(0, len(accounts), self.batch_size):
            await self.bill_batch(tenant_id, period, result, accounts[first:first + self.batch_size])
        bill_run = await asyncio.to_thread(self.app.get_bill_run, tenant_id, bill_run.id)
        bill_run.complete(invoices_created=len(result.created),
                          invoices_already_present=len(result.already_present))
        await asyncio.to_thread(self.app.save, bill_run)
        self.on_saved()
        result.bill_run = bill_run
        return result

    async def bill_batch(
        self, tenant_id: UUID, period: BillPeriod, result: BillRunResult, account_ids: list[UUID]
    ) -> None:
        """Invoice a batch of accounts in one atomic save; retry when a concurrent run interferes."""
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            accounts, present = await asyncio.to_thread(
                self._accounts_to_bill, tenant_id, period, account_ids
            )
            usage = await self._rated_usage(tenant_id, period, accounts)
            try:
                created = await asyncio.to_thread(
                    self._draft_finalize_and_save, tenant_id, period, result.bill_run.id,
                    accounts, usage,
                )
            except IntegrityError:
                if attempt == SAVE_ATTEMPTS:
                    raise
                log.warning("bill run batch conflicted; retrying (attempt %s)", attempt)
                continue
            result.created.extend(created)
            result.already_present.extend(present)
            self.on_saved()
            return

    def _accounts_to_bill(
        self, tenant_id: UUID, period: BillPeriod, account_ids: list[UUID]
    ) -> tuple[list[Account], list[UUID]]:
        to_bill: list[Account] = []
        present: list[UUID] = []
        for account_id in account_ids:
            invoice_id = Invoice.create_id(tenant_id, account_id, period.start, period.end)
            if self.app.has_invoice(invoice_id):
                present.append(invoice_id)
            else:
                to_bill.append(self.app.get_account(tenant_id, account_id))
        return to_bill, present

    async def _rated_usage(
        self, tenant_id: UUID, period: BillPeriod, accounts: list[Account]
    ) -> dict[UUID, list[RatedUsage]]:
        usage: dict[UUID, list[RatedUsage]] = {}
        by_zone = sorted(accounts, key=lambda account: account.timezone)
        for zone, group in groupby(by_zone, key=lambda account: account.timezone):
            start, end = period.instants(zone)
            ids = [account.id for account in group]
            usage.update(await self.rated_usage.summarize(tenant_id, ids, start, end))
        return usage

    def _draft_finalize_and_save(
        self, tenant_id: UUID, period: BillPeriod, bill_run_id: UUID,
        accounts: list[Account], usage: dict[UUID, list[RatedUsage]],
    ) -> list[UUID]:
        if not accounts:
            return []
        plans: dict[UUID, Plan] = {}
        invoices = []
        for account in accounts:
            if account.plan_id not in plans:
                plans[account.plan_id] = self.app.get_plan(tenant_id, account.plan_id)
            invoices.append(self._draft(account, plans[account.plan_id], period, bill_run_id,
                                        usage.get(account.id, [])))
        numbering = self.app.numbering(tenant_id)
        now = self.clock.now()
        for invoice, number in zip(invoices, numbering.allocate(len(invoices)), strict=True):
            invoice.finalize(number, now)
        self.app.save(*invoices, numbering)
        return [invoice.id for invoice in invoices]

    @staticmethod
    def _draft(
        account: Account, plan: Plan, period: BillPeriod, bill_run_id: UUID,
        usage: list[RatedUsage],
    ) -> Invoice:
        lines = [recurring_line(plan.name, plan.recurring_fee, period)]
        lines += [usage_line(item) for item in sorted(usage, key=lambda u: u.service_type)]
        return Invoice(
            tenant_id=account.tenant_id, account_id=account.id, bill_run_id=bill_run_id,
            period_start=period.start, period_end=period.end, currency=account.currency,
            account_name=account.name, billing_email=account.billing_email,
            lines=[line.as_dict() for line in lines],
        )
