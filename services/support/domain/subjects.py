"""What a query is about: an account, one of its invoices or one invoice line, maybe an amount disputed.

Invoice and account facts come from the invoice service; the rules here are pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from kernel.money import Money
from services.support.domain.actors import Actor
from services.support.domain.amounts import check_currency_is, check_positive
from services.support.domain.errors import (
    InvalidQueryError,
    InvoiceNotDisputableError,
    SubjectNotFoundError,
)
from services.support.domain.texts import MAX_BODY, MAX_LINE, check_text

CATEGORIES = ("charge_not_recognised", "wrong_amount", "usage_not_made", "payment_missing", "other")
UNDISPUTABLE_STATUSES = frozenset({"draft", "void"})


@dataclass(frozen=True)
class LineFacts:
    """An invoice line as the invoice service reports it."""

    index: int
    kind: str
    description: str
    amount: Money


@dataclass(frozen=True)
class InvoiceFacts:
    """An invoice as the invoice service reports it: whose, which status, its total and lines."""

    invoice_id: UUID
    account_id: UUID
    number: str
    status: str
    total: Money
    lines: tuple[LineFacts, ...]

    @property
    def currency(self) -> str:
        """The invoice's currency."""
        return self.total.currency

    def line_at(self, index: int) -> LineFacts:
        """The line at that position."""
        for line in self.lines:
            if line.index == index:
                return line
        raise InvalidQueryError("line_index", f"no_such_line: the invoice has lines 0..{len(self.lines) - 1}")

    def check_disputable(self) -> None:
        """Drafts and void invoices cannot be disputed."""
        if self.status in UNDISPUTABLE_STATUSES:
            raise InvoiceNotDisputableError(self.invoice_id, self.status)


@dataclass(frozen=True)
class AccountFacts:
    """An account as the invoice service reports it."""

    account_id: UUID
    currency: str


@dataclass(frozen=True)
class QueryRequest:
    """What a client asks to open: the parameters its request id stands for."""

    tenant_id: UUID
    request_id: str
    opened_by: Actor
    account_id: UUID
    invoice_id: UUID | None
    line_index: int | None
    category: str
    subject: str
    body: str
    disputed_amount: Money | None

    def check(self) -> None:
        """Every rule that needs nothing but the request itself."""
        check_text("request_id", self.request_id, MAX_LINE)
        self.opened_by.check("opened_by")
        if not self.opened_by.speaks_for(self.account_id):
            raise SubjectNotFoundError(f"account {self.account_id} not found")
        if self.category not in CATEGORIES:
            raise InvalidQueryError("category", f"one_of_{'_'.join(CATEGORIES)}")
        check_text("subject", self.subject, MAX_LINE)
        check_text("body", self.body, MAX_BODY)
        if self.line_index is not None and self.invoice_id is None:
            raise InvalidQueryError("line_index", "needs_invoice_id")
        if self.line_index is not None and self.line_index < 0:
            raise InvalidQueryError("line_index", "must_not_be_negative")
        if self.disputed_amount is not None:
            if self.invoice_id is None:
                raise InvalidQueryError("disputed_amount", "needs_invoice_id")
            check_positive("disputed_amount", self.disputed_amount)

    def check_against(self, invoice: InvoiceFacts | None) -> None:
        """The invoice is the account's, the line exists, the amount fits what was invoiced."""
        if invoice is None:
            return
        if invoice.account_id != self.account_id:
            raise SubjectNotFoundError(f"invoice {invoice.invoice_id} not found on account {self.account_id}")
        line = invoice.line_at(self.line_index) if self.line_index is not None else None
        if self.disputed_amount is None:
            return
        invoice.check_disputable()
        check_currency_is("disputed_amount", self.disputed_amount, invoice.currency)
        ceiling = invoice.total if line is None else line.amount
        if ceiling < self.disputed_amount:
            what = "invoice_total" if line is None else "line_amount"
            raise InvalidQueryError("disputed_amount.amount", f"exceeds_{what}: at most {ceiling.amount}")
