"""An auditor's check of an invoice: replay its events, re-sum and re-derive its usage lines."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from uuid import UUID

from kernel.money import Money
from services.invoice.application import InvoiceApplication
from services.invoice.documents import invoice_digest
from services.invoice.domain.drafting import UsageGroup
from services.invoice.domain.invoices import USAGE_KINDS, InvoiceLine
from services.invoice.rating_client import BillingUsage, GroupCheck, Selection


@dataclass(frozen=True)
class LineCheck:
    """One usage line beside what rating says about its records now."""

    index: int
    invoiced: Money
    resummed: Money
    rederived: Money
    digest_matches: bool

    @property
    def matches(self) -> bool:
        """Re-summed and re-derived amounts and the digest all agree with the line."""
        return self.digest_matches and self.invoiced == self.resummed == self.rederived


@dataclass
class Verification:
    """The outcome of verifying one invoice."""

    invoice_id: UUID
    events_replayed: int
    document_digest: str
    replayed_digest: str
    lines: list[LineCheck] = field(default_factory=list)

    @property
    def document_matches(self) -> bool:
        """The invoice rebuilt from its events says what it said when issued."""
        return self.document_digest == self.replayed_digest

    @property
    def totals_match(self) -> bool:
        """Every usage line re-derives to its amount."""
        return all(line.matches for line in self.lines)

    @property
    def verified(self) -> bool:
        """Both checks hold."""
        return self.document_matches and self.totals_match


def _key(kind: str, service_type: str, destination_class: str) -> tuple[str, str, str]:
    return kind, service_type, destination_class


class InvoiceVerifier:
    """Verifies invoices against their own events and the rating service."""

    def __init__(self, app: InvoiceApplication, usage: BillingUsage) -> None:
        self.app = app
        self.usage = usage

    async def verify(self, tenant_id: UUID, invoice_id: UUID) -> Verification:
        """Replay the invoice's events and check every usage line against rating."""
        invoice = await asyncio.to_thread(self.app.get_invoice, tenant_id, invoice_id)
        events = await asyncio.to_thread(lambda: list(self.app.events.get(invoice_id)))
        result = Verification(invoice.id, len(events), invoice.document_digest,
                              invoice_digest(invoice))
        selections = {s.account_id: s for s in map(Selection.from_dict, invoice.usage)}
        lines = [line for line in invoice.invoice_lines() if line.kind in USAGE_KINDS]
        for account_id in {UUID(line.account_id) for line in lines}:
            selection = selections[account_id]
            groups = {_key(g.period_kind, g.service_type, g.destination_class): g
                      for g in await self.usage.summarize(tenant_id, [selection])}
            checks = {_key(c.period_kind, c.service_type, c.destination_class): c
                      for c in await self.usage.rederive(tenant_id, selection)}
            for line in lines:
                if UUID(line.account_id) == account_id:
                    result.lines.append(self._check(line, groups, checks))
        result.lines.sort(key=lambda check: check.index)
        return result

    @staticmethod
    def _check(line: InvoiceLine, groups: dict[tuple[str, str, str], UsageGroup],
               checks: dict[tuple[str, str, str], GroupCheck]) -> LineCheck:
        key = _key(line.period_kind, line.service_type, line.destination_class)
        zero = Money.zero(line.amount.currency)
        group = groups.get(key)
        check = checks.get(key)
        return LineCheck(
            index=line.index, invoiced=line.amount,
            resummed=group.amount.rounded() if group else zero,
            rederived=check.rederived.rounded() if check else zero,
            digest_matches=group is not None and group.digest == line.digest
            and group.record_count == line.record_count,
        )
