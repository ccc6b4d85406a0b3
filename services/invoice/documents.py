"""Invoice and credit note documents: the canonical content (digested at issue) and its rendering."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

import orjson

from kernel.eventstore import to_jsonable
from kernel.money import Money
from services.invoice.domain.credit_notes import CreditNote
from services.invoice.domain.invoices import TAX_KINDS, Invoice, InvoiceLine
from services.invoice.rendering import (
    DocumentLine,
    InvoiceDocument,
    ItemisedSection,
    Party,
    TaxRow,
    render_html,
    render_pdf,
)


def document_content(
    invoice: Invoice, number: str, issue_date: date | None, due_date: date | None
) -> dict[str, Any]:
    """What the issued invoice says: parties, period, lines and totals (not payments)."""
    return {
        "number": number, "issue_date": issue_date, "due_date": due_date,
        "period_start": invoice.period_start, "period_end": invoice.period_end,
        "account_id": invoice.account_id, "account_name": invoice.account_name,
        "billing_email": invoice.billing_email, "details": invoice.details,
        "currency": invoice.currency, "lines": invoice.lines, "subtotal": invoice.subtotal,
        "tax_total": invoice.tax_total, "total": invoice.total,
    }


def digest(content: dict[str, Any]) -> str:
    """SHA-256 of the content's canonical JSON: sorted keys, no spaces, UTF-8, values as the event
    envelope writes them (kernel.eventstore.to_jsonable: Money as {amount, currency}, decimals as
    strings, dates ISO 8601); the bytes are those of json.dumps(..., ensure_ascii=False)."""
    return hashlib.sha256(orjson.dumps(content, default=canonical, option=CANONICAL)).hexdigest()


CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
"""Dates and instants go through `canonical` (isoformat), as to_jsonable writes them."""


def canonical(value: Any) -> Any:
    """What orjson cannot write itself, written as to_jsonable writes it."""
    if isinstance(value, Money | Decimal | date):
        return to_jsonable(value)
    raise TypeError(f"{type(value).__name__} is not part of a document's content")


def invoice_digest(invoice: Invoice) -> str:
    """The digest of the invoice as it stands (after replaying its events)."""
    return digest(document_content(invoice, invoice.number, invoice.issue_date, invoice.due_date))


def _customer(name: str, email: str, details: dict[str, Any]) -> Party:
    return Party(name=name, address_lines=tuple(details.get("address_lines", ())), email=email,
                 tax_id=str(details.get("tax_id", "")))


def is_itemised(invoice: Invoice) -> bool:
    """The account asked for itemised invoices when the invoice was drafted (docs/explanations.md)."""
    return bool(invoice.details.get("itemised_invoices", False))


def covers_of(line: InvoiceLine) -> tuple[date, date] | None:
    """The days [start, end) a whole-cycle fee pays for; None for every other line."""
    if line.kind != "recurring" or not line.covers_start or not line.covers_end:
        return None
    return date.fromisoformat(line.covers_start), date.fromisoformat(line.covers_end)


def tax_name(line: InvoiceLine) -> str:
    """A tax line's name without the rate its description adds ("VAT 20%" is VAT at 20 %)."""
    suffix = f" {line.tax_rate_percent}%"
    return line.description.removesuffix(" (included)").removesuffix(suffix)


def invoice_document(
    invoice: Invoice, seller: Party, itemisation: tuple[ItemisedSection, ...] = ()
) -> InvoiceDocument:
    """The invoice as printed, in the customer's locale, with its itemisation pages when given."""
    lines = invoice.invoice_lines()
    charges = [line for line in lines if line.kind not in TAX_KINDS]
    taxes = [line for line in lines if line.kind in TAX_KINDS]
    return InvoiceDocument(
        kind="invoice", number=invoice.number or "DRAFT", status=invoice.status,
        issue_date=invoice.issue_date, due_date=invoice.due_date,
        period_start=invoice.period_start, period_end=invoice.period_end, seller=seller,
        customer=_customer(invoice.account_name, invoice.billing_email, invoice.details),
        currency=invoice.currency, locale=invoice.locale,
        lines=tuple(DocumentLine(
            kind=line.kind, description=line.description, quantity=line.quantity, unit=line.unit,
            amount=line.amount, service_type=line.service_type,
            destination_class=line.destination_class, records=line.record_count, covers=covers_of(line),
        ) for line in charges),
        subtotal=invoice.subtotal,
        taxes=tuple(TaxRow(
            name=tax_name(line), rate=_percent(line.tax_rate_percent),
            taxable=Money.of(line.quantity, invoice.currency), amount=line.amount,
            included=line.tax_included,
        ) for line in taxes),
        total=invoice.total, amount_paid=invoice.amount_paid,
        amount_due=invoice.amount_due, itemisation=itemisation,
    )


def credit_note_document(note: CreditNote, invoice: Invoice, seller: Party) -> InvoiceDocument:
    """The credit note as printed, in the customer's locale."""
    currency = invoice.currency
    zero = Money.zero(currency)
    taxes = () if not note.tax_percent else (TaxRow(
        name=next((tax_name(line) for line in invoice.invoice_lines() if line.kind in TAX_KINDS), ""),
        rate=_percent(note.tax_percent), taxable=note.subtotal,
        amount=note.tax, included=note.tax_included),)
    return InvoiceDocument(
        kind="credit_note", number=note.number, status="issued",
        issue_date=note.issued_at.date(), due_date=None, period_start=invoice.period_start,
        period_end=invoice.period_end, seller=seller,
        customer=_customer(invoice.account_name, invoice.billing_email, invoice.details),
        currency=currency, locale=invoice.locale,
        lines=tuple(DocumentLine(kind="credit", description=line.description,
                                 quantity=invoice.line_at(line.line_index).quantity,
                                 unit=invoice.line_at(line.line_index).unit, amount=line.amount)
                    for line in note.credited()),
        subtotal=note.subtotal, taxes=taxes, total=note.total, amount_paid=zero, amount_due=zero,
        reference=invoice.number, notes=(note.reason,),
    )


def _percent(text: str) -> Decimal:
    return Decimal(text or "0")


def render(document: InvoiceDocument, fmt: str) -> tuple[str, bytes]:
    """(content type, bytes) of the document as PDF or HTML."""
    if fmt == "pdf":
        return "application/pdf", render_pdf(document)
    return "text/html; charset=utf-8", render_html(document).encode()
