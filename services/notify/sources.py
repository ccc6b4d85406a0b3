"""What notify reads from the invoice and support services to write an email, and the ports it
reads through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from kernel.money import Money
from services.notify.emails import Attachment


@dataclass(frozen=True)
class AccountContact:
    """Who receives an account's emails, by what name, in which locale."""

    account_id: UUID
    name: str
    billing_email: str
    locale: str


@dataclass(frozen=True)
class InvoiceLine:
    """One charge as the customer reads it."""

    description: str
    quantity: Decimal
    unit: str
    amount: Money


@dataclass(frozen=True)
class InvoiceSummary:
    """What an email says about an invoice."""

    invoice_id: UUID
    account_id: UUID
    number: str
    period_start: date
    period_end: date
    issue_date: date | None
    due_date: date | None
    lines: tuple[InvoiceLine, ...]
    total: Money
    amount_due: Money


class BillingSource(Protocol):
    """The invoice service as notify sees it; raises the named not-found and unavailable errors."""

    async def get_account(self, tenant_id: UUID, account_id: UUID) -> AccountContact:
        """The account's contact; AccountNotFoundError when there is none."""
        ...

    async def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceSummary:
        """The invoice; InvoiceNotFoundError when there is none."""
        ...

    async def invoice_pdf(self, tenant_id: UUID, invoice_id: UUID) -> Attachment:
        """The invoice rendered as a PDF in its locale."""
        ...


@dataclass(frozen=True)
class QuerySummary:
    """What an email says about a billing query: whose it is, what it is about."""

    query_id: UUID
    account_id: UUID
    invoice_id: UUID | None
    subject: str


class QuerySource(Protocol):
    """The support service as notify sees it; raises the named not-found and unavailable errors."""

    async def get_query(self, tenant_id: UUID, query_id: UUID) -> QuerySummary:
        """The query; QueryNotFoundError when there is none."""
        ...
