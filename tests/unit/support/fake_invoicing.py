"""A stand-in invoice service: accounts and invoices by id, credit notes and charges idempotent by key."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from kernel.money import Money, total
from services.support.domain.errors import InvalidQueryError, SubjectNotFoundError
from services.support.domain.outcomes import CreditedLine, Settlement
from services.support.domain.subjects import AccountFacts, InvoiceFacts


@dataclass
class FakeInvoicing:
    """Answers like the invoice service: refuses credit above what is left on a line."""

    accounts: dict[UUID, AccountFacts] = field(default_factory=dict)
    invoices: dict[UUID, InvoiceFacts] = field(default_factory=dict)
    credit_notes: dict[str, Settlement] = field(default_factory=dict)
    charges: dict[str, Settlement] = field(default_factory=dict)
    credit_calls: int = 0

    def add(self, invoice: InvoiceFacts) -> None:
        """Know the invoice and its account."""
        self.invoices[invoice.invoice_id] = invoice
        self.accounts[invoice.account_id] = AccountFacts(invoice.account_id, invoice.currency)

    async def invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceFacts:
        if invoice_id not in self.invoices:
            raise SubjectNotFoundError(f"invoice {invoice_id} not found")
        return self.invoices[invoice_id]

    async def account(self, tenant_id: UUID, account_id: UUID) -> AccountFacts:
        if account_id not in self.accounts:
            raise SubjectNotFoundError(f"account {account_id} not found")
        return self.accounts[account_id]

    async def issue_credit_note(
        self, tenant_id: UUID, invoice_id: UUID, request_id: str, reason: str, lines: tuple[CreditedLine, ...]
    ) -> Settlement:
        self.credit_calls += 1
        if request_id in self.credit_notes:
            return self.credit_notes[request_id]
        invoice = self.invoices[invoice_id]
        for position, line in enumerate(lines):
            if invoice.line_at(line.line_index).amount < line.amount:
                raise InvalidQueryError(f"credit_lines[{position}].amount.amount", "exceeds what is left")
        note = Settlement(credit_note_id=str(uuid4()), credit_note_number=f"CN-{len(self.credit_notes) + 1}",
                          credited_lines=lines,
                          amount=total([line.amount for line in lines], invoice.currency))
        self.credit_notes[request_id] = note
        return note

    async def add_charge(
        self, tenant_id: UUID, account_id: UUID, charge_id: str, description: str, amount: Money
    ) -> Settlement:
        return self.charges.setdefault(charge_id, Settlement(charge_id=charge_id, amount=amount))
