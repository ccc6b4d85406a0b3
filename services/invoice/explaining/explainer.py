"""Explaining invoices (docs/explanations.md): load the invoice and what it bills, ask rating for the
parts and allowances behind its usage, and word every line's arithmetic."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from kernel.money import Money
from kernel.paging import MAX_PAGE, page_limit
from services.invoice.application import InvoiceApplication
from services.invoice.domain.invoices import TAX_KINDS, USAGE_KINDS, Invoice, InvoiceLine
from services.invoice.explaining.allowances import story_of
from services.invoice.explaining.charges import (
    discount_terms,
    discount_text,
    one_time_text,
    prior_details,
    prior_text,
    recurring_arithmetic,
    recurring_text,
    tax_arithmetic,
    tax_text,
    usage_text,
)
from services.invoice.explaining.context import InvoiceContext
from services.invoice.explaining.itemising import itemised
from services.invoice.explaining.model import (
    AllowanceStory,
    EarlierCharge,
    InvoiceExplanation,
    LineExplanation,
    RatedPartView,
    RecurringArithmetic,
    UsageEntry,
)
from services.invoice.explaining.rating_reads import RatingExplanations, group_of
from services.invoice.explaining.usage import entry_of
from services.invoice.rendering import ItemisedSection

EARLIER_CHARGES = (
    "SELECT c.invoice_id, c.covers_start, c.covers_end, c.amount, c.currency"
    " FROM invoice.billed_coverage c JOIN invoice.invoice_directory i ON i.invoice_id = c.invoice_id"
    " WHERE c.tenant_id = $1 AND c.subscription_id = $2 AND c.plan_id = $3 AND c.cycle_start = $4"
    " AND i.period_start < $5 AND i.status <> 'void' ORDER BY i.period_start, c.line_index"
)
"""What earlier invoices (not void) charged a subscription for one cycle on one plan."""


class ReadModels(Protocol):
    """The invoice service's read models (the Directory), queried after catching up."""

    async def fetch(self, sql: str, *args: Any) -> Sequence[Mapping[str, Any]]: ...


class Explainer:
    """Explains the lines of the tenant's invoices, their allowances, and itemises them for print."""

    def __init__(self, app: InvoiceApplication, directory: ReadModels, rating: RatingExplanations) -> None:
        self.app = app
        self.directory = directory
        self.rating = rating

    async def line(self, tenant_id: UUID, invoice_id: UUID, index: int, page_size: int, page_token: str,
                   locale: str = "") -> LineExplanation:
        """One line explained; a usage line with a page of its entries."""
        limit = page_limit(page_size)
        context = await self._context(tenant_id, invoice_id, locale)
        return await self._explain(context, context.line(index), limit, page_token)

    async def invoice(self, tenant_id: UUID, invoice_id: UUID, locale: str = "") -> InvoiceExplanation:
        """Every line explained (usage lines without their entries) and the allowances."""
        context = await self._context(tenant_id, invoice_id, locale)
        invoice, words = context.invoice, context.words
        lines = [await self._explain(context, line, 0, "") for line in invoice.invoice_lines()]
        counted = sum(1 for line in invoice.invoice_lines() if not line.is_included_tax)
        text = words.say("invoice_total", count=counted,
                         total=words.money(invoice.total.amount, invoice.currency))
        return InvoiceExplanation(str(invoice.id), invoice.number, words.tag, invoice.total, text, lines,
                                  await self._allowances(context))

    async def itemisation(self, invoice: Invoice) -> tuple[ItemisedSection, ...]:
        """The invoice's itemisation pages, in its own locale: every entry of every usage line."""
        context = await asyncio.to_thread(InvoiceContext.load, self.app, invoice, "")
        explanations = [await self._whole(context, line) for line in invoice.invoice_lines()]
        return itemised(explanations, await self._allowances(context), context.words)

    async def _context(self, tenant_id: UUID, invoice_id: UUID, locale: str) -> InvoiceContext:
        def load() -> InvoiceContext:
            return InvoiceContext.load(self.app, self.app.get_invoice(tenant_id, invoice_id), locale)

        return await asyncio.to_thread(load)

    async def _whole(self, context: InvoiceContext, line: InvoiceLine) -> LineExplanation:
        """A line explained with all its entries, page after page."""
        explanation = await self._explain(context, line, MAX_PAGE, "")
        entries = list(explanation.entries)
        token = explanation.next_page_token
        while token:
            page = await self._explain(context, line, MAX_PAGE, token)
            entries += page.entries
            token = page.next_page_token
        return replace(explanation, entries=tuple(entries), next_page_token="")

    async def _explain(self, context: InvoiceContext, line: InvoiceLine, limit: int,
                       token: str) -> LineExplanation:
        """A line explained by its kind; limit 0 leaves a usage line's entries out."""
        words = context.words
        if line.kind in USAGE_KINDS:
            return await self._usage(context, line, limit, token)
        if line.kind in ("recurring", "proration") and line.plan_id and line.cycle_start:
            arithmetic = await self._recurring(context, line)
            if arithmetic is not None:
                return LineExplanation(line, words.tag, recurring_text(line, arithmetic, words),
                                       detail=arithmetic)
        if line.kind in TAX_KINDS:
            tax = tax_arithmetic(line)
            return LineExplanation(line, words.tag, tax_text(line, tax, words), detail=tax)
        if line.kind == "discount" and line.subscription_id and line.cycle_start:
            discount = await asyncio.to_thread(context.discount_of, line)
            terms = discount_terms(line, discount, context.invoice.invoice_lines(), context.cycle_day)
            return LineExplanation(line, words.tag, discount_text(line, terms, words), detail=terms)
        if line.kind == "one_time" and line.charge_id:
            details = await asyncio.to_thread(context.one_time, line)
            return LineExplanation(line, words.tag, one_time_text(line, details, words), detail=details)
        amount = words.money(line.amount.amount, line.amount.currency)
        text = words.say("other", description=line.description, amount=amount)
        return LineExplanation(line, words.tag, text)

    async def _usage(self, context: InvoiceContext, line: InvoiceLine, limit: int,
                     token: str) -> LineExplanation:
        """A usage line: how its parts sum to its amount, and a page of them worded."""
        words, tenant_id = context.words, context.tenant_id
        account_id = context.account_of(line)
        timezone = context.timezone_of(account_id)
        selection = context.selection_of(account_id)
        if selection is None:
            return LineExplanation(line, words.tag, words.say("usage_none"))
        if account_id not in context.groups:
            context.groups[account_id] = await self.rating.groups(tenant_id, selection)
        group = group_of(line, context.groups[account_id])
        entries: list[UsageEntry] = []
        next_token = ""
        if limit:
            parts, next_token = await self.rating.parts(tenant_id, selection, line, limit, token)
            entries = await asyncio.to_thread(self._entries, context, parts, timezone)
        if group is None:
            return LineExplanation(line, words.tag, words.say("usage_none"), tuple(entries), next_token)
        text = usage_text(line, group.record_count, group.amount.amount, group.first_started_at,
                          group.last_started_at, words, timezone)
        detail = None
        if line.kind == "prior_period":
            detail = prior_details(group.first_started_at, group.last_started_at, timezone, context.cycle_day)
            text = prior_text(detail, words) + text
        return LineExplanation(line, words.tag, text, tuple(entries), next_token, group.record_count,
                               group.amount.amount, detail)

    @staticmethod
    def _entries(context: InvoiceContext, parts: list[RatedPartView], timezone: str) -> list[UsageEntry]:
        """Parts worded; flat-priced ones with their plan's usage price."""
        return [entry_of(part, context.words, timezone,
                         context.flat_price(part.plan_id, part.service_type)
                         if part.pricing.basis == "flat" else None)
                for part in parts]

    async def _recurring(self, context: InvoiceContext, line: InvoiceLine) -> RecurringArithmetic | None:
        """A recurring line's fee by day, with what earlier invoices charged for its cycle and plan."""
        plan = await asyncio.to_thread(context.plan, UUID(line.plan_id))
        if plan is None:
            return None
        earlier = await self._earlier(context, line) if line.kind == "proration" else []
        return recurring_arithmetic(line, plan.recurring_fee, context.cycle_of(line), earlier)

    async def _earlier(self, context: InvoiceContext, line: InvoiceLine) -> list[EarlierCharge]:
        rows = await self.directory.fetch(
            EARLIER_CHARGES, context.tenant_id, UUID(line.subscription_id), UUID(line.plan_id),
            date.fromisoformat(line.cycle_start), context.invoice.period_start)
        return [EarlierCharge(str(row["invoice_id"]), row["covers_start"], row["covers_end"],
                              Money(row["amount"], row["currency"])) for row in rows]

    async def _allowances(self, context: InvoiceContext) -> list[AllowanceStory]:
        """The allowances of every account whose usage the invoice takes."""
        stories = []
        for selection in context.selections():
            timezone = context.timezone_of(selection.account_id)
            for allowance in await self.rating.allowances(context.tenant_id, selection, timezone):
                stories.append(story_of(allowance, context.words, timezone))
        return stories
