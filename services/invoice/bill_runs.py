"""Bill runs: one issued, numbered invoice per account whose period ends on the bill date.

The run reads accounts, subscriptions and what was billed before from the directory read models
in chunks, asks rating for each chunk's usage (reading ahead while earlier chunks are saved), drafts
the invoices and saves them in bounded atomic saves together with their numbers and the run's
progress. Invoice ids are derived from (account, period), so a resumed or concurrent run can
never bill a period twice: the save fails as a whole and the batch is redone without them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from kernel.clock import Clock
from services.invoice.application import InvoiceApplication
from services.invoice.bill_run_reads import BillRunReads, ChunkData
from services.invoice.directory import Directory
from services.invoice.documents import digest, document_content
from services.invoice.domain.billing import BillRun, bill_run_id_for, parse_bill_date
from services.invoice.domain.cycles import Period, period_ending, shift_months
from services.invoice.domain.drafting import AccountSnapshot, DraftInputs, draft_lines
from services.invoice.domain.invoices import Invoice, InvoiceNumbering
from services.invoice.rating_client import BillingUsage, Selection

log = logging.getLogger(__name__)

SAVE_BATCH = 200
"""Invoices per atomic save (with their numbers and the run's progress). Larger saves mean fewer
saves and fewer numbering and progress events; smaller ones redo less when a racing run wins and
hold the event table's lock for less time. 100,000 accounts took 68.6-69.4 s in saves of 25, 59.0 s
in saves of 100 and 56.4-60.1 s in saves of 200, each with the covering usage index tried then
(docs/invoicing.md, "Where a run's time goes")."""
MAX_SAVE_BATCH = 500
"""The largest save a bill run may be configured to make (a bigger one is refused at start-up;
saves of this size are tested to complete: the hang of larger saves seen once was the library's
pipelined insert, which saves no longer use)."""
READ_CHUNK = 1000
"""Accounts read and summarized per round trip to the directory and rating."""
READ_AHEAD = 2
"""Chunks read (directory and rating's sums) while the chunk before them is saved. One was not
enough: a chunk's reads took longer than its saves (0.49 against 0.40 s, 100,000 accounts), so
saves waited 10 s in all (docs/invoicing.md, "Where a run's time goes")."""
SAVE_ATTEMPTS = 10
"""Tries of a save that races another run of the same bill date (each loss means it progressed)."""
PAYMENT_TERMS_DAYS = 14
State = TypeVar("State")


@dataclass
class Draft:
    """An invoice about to be saved."""

    account: AccountSnapshot
    period: Period
    inputs: DraftInputs
    selections: list[Selection] = field(default_factory=list)


@dataclass
class RunWriter:
    """The run and the tenant's numbering kept between a run's batches (one writer at a time)."""

    tenant_id: UUID
    bill_run: BillRun
    numbering: InvoiceNumbering


async def until_saved(state: State, save: Callable[[State], None], reread: Callable[[State], State]) -> State:
    """Save the state (in a thread); when a racing run saved first (IntegrityError), read it again
    and redo, up to SAVE_ATTEMPTS times. The state as saved."""
    attempt = 1
    while True:
        try:
            await asyncio.to_thread(save, state)
        except IntegrityError:
            if attempt == SAVE_ATTEMPTS:
                raise
            attempt += 1
            log.warning("bill run save conflicted; retrying (attempt %s)", attempt)
            state = await asyncio.to_thread(reread, state)
            continue
        return state


class BillRunner:
    """Runs bill runs against the invoice application, its directory and the rating service."""

    def __init__(
        self, app: InvoiceApplication, directory: Directory, usage: BillingUsage, clock: Clock,
        on_saved: Callable[[], None] = lambda: None, batch_size: int = SAVE_BATCH,
        payment_terms_days: int = PAYMENT_TERMS_DAYS,
    ) -> None:
        self.app = app
        self.reads = BillRunReads(directory, app)
        self.usage = usage
        self.clock = clock
        self.on_saved = on_saved
        self.batch_size = batch_size
        self.payment_terms = timedelta(days=payment_terms_days)
        self.under_way = 0
        """Runs of this runner started and not yet ended."""

    async def run(self, tenant_id: UUID, bill_date_text: str) -> BillRun:
        """Bill every account due on the bill date; running it again resumes it.

        Runs of one tenant and bill date take turns (a PostgreSQL advisory lock): a second caller
        waits, then finds the accounts invoiced. The data still forbids a second invoice without it.
        """
        self.under_way += 1
        try:
            return await self._run_in_turn(tenant_id, bill_date_text)
        finally:
            self.under_way -= 1

    async def _run_in_turn(self, tenant_id: UUID, bill_date_text: str) -> BillRun:
        schedule = await asyncio.to_thread(self.app.schedule_of, tenant_id)
        today = schedule.today(self.clock.now())
        bill_date = parse_bill_date(bill_date_text, today)
        async with self.reads.directory.pool.acquire() as conn:
            key = bill_run_id_for(tenant_id, bill_date).int >> 65
            await conn.execute("SELECT pg_advisory_lock($1)", key)
            try:
                return await self._run(tenant_id, bill_date, today)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", key)

    async def _run(self, tenant_id: UUID, bill_date: date, today: date) -> BillRun:
        bill_run = await self._started(tenant_id, bill_date)
        accounts = await self.reads.due_accounts(tenant_id, bill_date)
        if bill_run.accounts_due != len(accounts):
            bill_run = await self._changed(bill_run, lambda run: run.count_accounts(len(accounts)))
        writer = await asyncio.to_thread(self._writer, tenant_id, bill_run)
        writer, present = await self._bill_chunks(writer, bill_date, today, accounts)
        bill_run = await self._changed(
            writer.bill_run, lambda run: run.complete(self.clock.now(), invoices_already_present=present))
        self.on_saved()
        return bill_run

    async def _bill_chunks(
        self, writer: RunWriter, bill_date: date, today: date, accounts: list[AccountSnapshot]
    ) -> tuple[RunWriter, int]:
        """Save the accounts' invoices chunk by chunk, reading up to READ_AHEAD chunks ahead of
        the save; the writer after the last save and how many accounts were invoiced already.
        When a read or a save fails, the reads under way are cancelled before the error goes on."""
        tenant_id, bill_run = writer.tenant_id, writer.bill_run
        chunks = iter([accounts[i:i + READ_CHUNK] for i in range(0, len(accounts), READ_CHUNK)])
        reading: deque[asyncio.Future[tuple[list[Draft], int]]] = deque()

        def read_ahead() -> None:
            while len(reading) < READ_AHEAD and (chunk := next(chunks, None)) is not None:
                reading.append(asyncio.ensure_future(self._drafts(tenant_id, bill_date, bill_run, chunk)))

        present = 0
        try:
            read_ahead()
            while reading:
                drafts, skipped = await reading.popleft()
                present += skipped
                read_ahead()
                writer = await self._save_chunk(writer, today, drafts)
        finally:
            for pending in reading:
                pending.cancel()
            await asyncio.gather(*reading, return_exceptions=True)
        return writer, present

    async def _started(self, tenant_id: UUID, bill_date: date) -> BillRun:
        existing = await asyncio.to_thread(
            self.app.load, BillRun, tenant_id, bill_run_id_for(tenant_id, bill_date))
        if existing is not None:
            return await self._changed(existing, BillRun.resume)
        watermark = await self.usage.cut(tenant_id)
        bill_run = BillRun(tenant_id=tenant_id, bill_date=bill_date, usage_watermark=watermark,
                           started_at=self.clock.now())
        try:
            await asyncio.to_thread(self.app.save, bill_run)
        except IntegrityError:
            return await self._started(tenant_id, bill_date)
        return bill_run

    async def _drafts(
        self, tenant_id: UUID, bill_date: date, bill_run: BillRun, accounts: list[AccountSnapshot]
    ) -> tuple[list[Draft], int]:
        """The chunk's drafts (usage included) and how many accounts were invoiced already."""
        data = await self.reads.chunk(tenant_id, bill_date, accounts)
        drafts = []
        for account in accounts:
            period = period_ending(bill_date, account.cycle_day)
            invoice_id = Invoice.create_id(tenant_id, account.account_id, period.start, period.end)
            if invoice_id not in data.invoiced:
                drafts.append(self._draft(account, period, bill_run.usage_watermark, data))
        selections = [s for draft in drafts for s in draft.selections]
        groups = await self.usage.summarize(tenant_id, selections)
        by_account = defaultdict(list)
        for group in groups:
            by_account[group.account_id].append(group)
        for draft in drafts:
            for selection in draft.selections:
                draft.inputs.usage += by_account.get(selection.account_id, [])
        return drafts, len(accounts) - len(drafts)

    @staticmethod
    def _draft(account: AccountSnapshot, period: Period, watermark: int, data: ChunkData) -> Draft:
        members = [account, *data.children.get(account.account_id, [])]
        inputs = DraftInputs(
            account=account, period=period,
            next_period=Period(period.end, shift_months(period.end, 1, account.cycle_day)),
            last_bill_date=data.last_bill_dates.get(account.account_id),
            children=members[1:],
            subscriptions=[s for m in members for s in data.subscriptions.get(m.account_id, [])],
            billed=[c for m in members for c in data.billed.get(m.account_id, [])],
            charges=[(m.account_id, c) for m in members for c in data.charges.get(m.account_id, [])],
            tax=data.tax_rates.get(account.details.tax_region),
        )
        selections = []
        for member in members:
            start, end = period.instants(member.timezone)
            selections.append(Selection(member.account_id, start, end,
                                        data.watermarks.get(member.account_id, 0), watermark))
        return Draft(account, period, inputs, selections)

    async def _changed(self, bill_run: BillRun, change: Callable[[BillRun], None]) -> BillRun:
        """The run changed and saved; when a racing run saved it meanwhile, read again and redo."""
        def save(run: BillRun) -> None:
            change(run)
            self.app.save(run)

        return await until_saved(bill_run, save, lambda run: self.app.get_bill_run(run.tenant_id, run.id))

    def _writer(self, tenant_id: UUID, bill_run: BillRun) -> RunWriter:
        """The run and the tenant's numbering as stored now, for the next batches."""
        return RunWriter(tenant_id, bill_run, self.app.numbering(tenant_id))

    async def _save_chunk(self, writer: RunWriter, today: date, drafts: list[Draft]) -> RunWriter:
        """Save the chunk's invoices batch by batch, each with its numbers and the run's progress.

        One thread saves the whole chunk, so a busy event loop never delays the next batch. When
        another run saved some of these invoices first, or numbered invoices meanwhile, the run and
        the numbering are read again and the rest is redone without the invoiced ones.
        """
        loop = asyncio.get_running_loop()

        def save(chunk: tuple[RunWriter, list[Draft]]) -> None:
            for first in range(0, len(chunk[1]), self.batch_size):
                self._issue_and_save(chunk[0], today, chunk[1][first:first + self.batch_size])
                loop.call_soon_threadsafe(self.on_saved)

        def reread(chunk: tuple[RunWriter, list[Draft]]) -> tuple[RunWriter, list[Draft]]:
            fresh = self._reread(chunk[0])
            return fresh, self._not_yet_invoiced(fresh.tenant_id, chunk[1])

        writer, _ = await until_saved((writer, drafts), save, reread)
        return writer

    def _reread(self, writer: RunWriter) -> RunWriter:
        return self._writer(writer.tenant_id, self.app.get_bill_run(writer.tenant_id, writer.bill_run.id))

    def _not_yet_invoiced(self, tenant_id: UUID, drafts: list[Draft]) -> list[Draft]:
        return [d for d in drafts if not self.app.has_invoice(
            Invoice.create_id(tenant_id, d.account.account_id, d.period.start, d.period.end))]

    def _issue_and_save(self, writer: RunWriter, today: date, drafts: list[Draft]) -> None:
        invoices = [self._invoice(writer.tenant_id, writer.bill_run.id, draft) for draft in drafts]
        now: datetime = self.clock.now()
        due = today + self.payment_terms
        numbers = writer.numbering.allocate(len(invoices)) if invoices else []
        for invoice, number in zip(invoices, numbers, strict=True):
            content = document_content(invoice, number, today, due)
            invoice.finalize(number, now, issue_date=today, due_date=due,
                             document_digest=digest(content))
        writer.bill_run.batch_billed(invoices_created=len(invoices), invoices_already_present=0)
        self.app.save(*invoices, *([writer.numbering] if invoices else []), writer.bill_run)

    @staticmethod
    def _invoice(tenant_id: UUID, bill_run_id: UUID, draft: Draft) -> Invoice:
        account = draft.account
        return Invoice.drafted(
            draft_lines(draft.inputs),
            tenant_id=tenant_id, account_id=account.account_id, bill_run_id=bill_run_id,
            period_start=draft.period.start, period_end=draft.period.end,
            currency=account.currency, account_name=account.name,
            billing_email=account.billing_email,
            details=account.details.as_dict(),
            usage=[selection.as_dict() for selection in draft.selections],
        )
