"""Credit notes, voiding and overdue invoices (load, one verb, save)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from services.invoice.application import InvoiceApplication
from services.invoice.domain.credit_notes import (
    CREDIT_NOTE_PREFIX,
    MAX_REQUEST_ID,
    CreditNote,
    CreditNoteNumbering,
    credit_tax,
    credited_lines,
)
from services.invoice.domain.errors import CreditNoteNotFoundError, InvalidCreditError
from services.invoice.domain.invoices import Invoice

MAX_REASON = 500


class Crediting:
    """Corrections to finalized invoices: credit notes and voids; never an edit."""

    def __init__(self, app: InvoiceApplication) -> None:
        self.app = app

    def issue_credit_note(
        self, tenant_id: UUID, invoice_id: UUID, request_id: str, reason: str,
        lines: list[tuple[int, str]], now: datetime,
    ) -> CreditNote:
        """Credit amounts of invoice lines with their tax; the same request id issues it once."""
        if not request_id.strip() or len(request_id) > MAX_REQUEST_ID:
            raise InvalidCreditError("request_id", f"1..{MAX_REQUEST_ID} characters")
        if not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidCreditError("reason", f"1..{MAX_REASON} characters")
        invoice = self.app.get_invoice(tenant_id, invoice_id)
        existing = self.app.load(CreditNote, tenant_id,
                                 CreditNote.create_id(tenant_id, invoice.id, request_id))
        if existing is not None:
            return existing
        credited = credited_lines(invoice, lines)
        subtotal = sum((line.amount for line in credited[1:]), credited[0].amount)
        tax, percent, included = credit_tax(invoice, subtotal)
        numbering = self.app.load(CreditNoteNumbering, tenant_id,
                                  CreditNoteNumbering.create_id(tenant_id))
        numbering = numbering or CreditNoteNumbering(tenant_id=tenant_id)
        number = numbering.allocate(1, CREDIT_NOTE_PREFIX)[0]
        note = CreditNote(
            tenant_id=tenant_id, invoice_id=invoice.id, request_id=request_id,
            invoice_number=invoice.number,
            account_id=invoice.account_id, number=number, reason=reason.strip(),
            lines=[line.as_dict() for line in credited], tax=tax,
            tax_percent=f"{percent.normalize():f}" if percent else "", tax_included=included,
            issued_at=now,
        )
        invoice.apply_credit(note.id, {line.line_index: line.amount for line in credited},
                             note.total)
        self.app.save(note, numbering, invoice)
        return note

    def get(self, tenant_id: UUID, credit_note_id: UUID) -> CreditNote:
        """The tenant's credit note."""
        note = self.app.load(CreditNote, tenant_id, credit_note_id)
        if note is None:
            raise CreditNoteNotFoundError(credit_note_id)
        return note

    def of_invoice(self, tenant_id: UUID, invoice_id: UUID) -> list[CreditNote]:
        """The invoice's credit notes, in issue order."""
        invoice = self.app.get_invoice(tenant_id, invoice_id)
        return [self.get(tenant_id, note_id) for note_id in invoice.credit_note_ids]

    def void(self, tenant_id: UUID, invoice_id: UUID, reason: str) -> Invoice:
        """Void an invoice nothing was paid on or credited against."""
        invoice = self.app.get_invoice(tenant_id, invoice_id)
        invoice.void(reason)
        self.app.save(invoice)
        return invoice

    def mark_overdue(self, tenant_id: UUID, invoice_id: UUID, today: date) -> bool:
        """Mark an invoice overdue when it is past due with something left to pay."""
        invoice = self.app.get_invoice(tenant_id, invoice_id)
        if not invoice.mark_overdue(today):
            return False
        self.app.save(invoice)
        return True
