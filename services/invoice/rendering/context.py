"""The template's view of a document: every amount, date and label already worded for its locale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import format_percent

from kernel.money import Money
from kernel.wording import day_text, money_text, period_text, quantity_text
from services.invoice.rendering.document import DocumentLine, InvoiceDocument, TaxRow
from services.invoice.rendering.locales import Localization, negotiate

HUNDRED = Decimal(100)
SECONDS_PER_MINUTE = Decimal(60)
SHOWN = Decimal("0.01")
ONE_DAY = timedelta(days=1)
BYTE_UNITS = (("GB", Decimal(10) ** 9), ("MB", Decimal(10) ** 6), ("kB", Decimal(10) ** 3))
"""Decimal byte units, largest first (as rating's data units are stated)."""


@dataclass(frozen=True)
class PrintedLine:
    """One line of the lines table, worded."""

    kind: str
    description: str
    note: str
    period: str
    quantity: str
    unit: str
    amount: str


@dataclass(frozen=True)
class TotalRow:
    """One row of the totals block; css names its look (grand, due, included)."""

    label: str
    amount: str
    css: str = ""






@lru_cache(maxsize=256)
def rate_text(percent: Decimal, locale: str) -> str:
    """A tax rate given in percent, e.g. "19 %" in German."""
    return format_percent(percent / HUNDRED, locale=locale, decimal_quantization=False)






@dataclass(frozen=True)
class Formats:
    """Babel formatting in one document's locale; bill runs repeat dates and amounts, so cached."""

    localization: Localization

    def money(self, money: Money) -> str:
        """An amount with its currency sign, e.g. "1.234,56 €" in German."""
        return money_text(money.amount, money.currency, self.localization.tag)

    def quantity(self, quantity: Decimal) -> str:
        """A quantity without trailing zeros, grouped for the locale."""
        return quantity_text(quantity, self.localization.tag)

    def rate(self, percent: Decimal) -> str:
        """A tax rate given in percent, e.g. "19 %" in German."""
        return rate_text(percent, self.localization.tag)

    def day(self, day: date | None) -> str:
        """A date in the locale's long form, e.g. "31. Oktober 2026"."""
        return day_text(day, self.localization.tag) if day else ""

    def period(self, start: date | None, end: date | None) -> str:
        """A half-open period printed from its first to its last day."""
        return period_text(start, end, self.localization.tag) if start and end else ""


def document_context(doc: InvoiceDocument, for_pdf: bool) -> dict[str, Any]:
    """The variables the template renders a document from."""
    localization = negotiate(doc.locale)
    formats = Formats(localization)
    labels = localization.labels
    return {
        "doc": doc, "for_pdf": for_pdf, "lang": localization.locale.language, "t": labels,
        "title": labels[doc.kind] if doc.kind in ("invoice", "credit_note") else labels["invoice"],
        "seller": doc.seller, "customer": doc.customer,
        "meta": meta_rows(doc, formats),
        "lines": [printed_line(line, formats) for line in doc.lines],
        "totals": total_rows(doc, formats),
        "notes": [*closing_notes(doc, formats), *doc.notes],
        "itemisation": doc.itemisation,
    }


def meta_rows(doc: InvoiceDocument, formats: Formats) -> list[tuple[str, str]]:
    """Number, dates, period, status and reference as (label, value) pairs, empty ones left out."""
    label = formats.localization.label
    number = "credit_note_number" if doc.kind == "credit_note" else "invoice_number"
    rows = [
        (label(number), doc.number),
        (label("issue_date"), formats.day(doc.issue_date)),
        (label("due_date"), formats.day(doc.due_date) if doc.kind != "credit_note" else ""),
        (label("period"), formats.period(doc.period_start, doc.period_end)),
        (label("reference"), doc.reference),
        (label("status"), formats.localization.labels.get(f"status_{doc.status}", doc.status)),
    ]
    return [(name, value) for name, value in rows if value]


def printed_line(line: DocumentLine, formats: Formats) -> PrintedLine:
    """A document line worded for the lines table."""
    labels = formats.localization.labels
    kind = labels.get(f"kind_{line.kind}", "")
    records = labels["records"].format(count=formats.quantity(Decimal(line.records))) if line.records else ""
    note = " · ".join(part for part in (kind, line.detail, records) if part)
    quantity, unit = shown_quantity(line.quantity, line.unit)
    period = formats.period(*line.covers) if line.covers else line.period
    return PrintedLine(line.kind, line_title(line, labels), note, period, formats.quantity(quantity),
                       labels.get(f"unit_{unit}", unit), formats.money(line.amount))


def line_title(line: DocumentLine, labels: dict[str, str]) -> str:
    """A current usage line is titled by its service in the document's language and its destination
    class, a whole-cycle fee by its plan (its days go in the period column); other lines by their
    stored description."""
    if line.covers:
        start, end = line.covers
        return line.description.removesuffix(f", {start.isoformat()} to {(end - ONE_DAY).isoformat()}")
    service = labels.get(f"service_{line.service_type}")
    if line.kind != "usage" or service is None:
        return line.description
    return f"{service}, {line.destination_class}" if line.destination_class else service


def shown_quantity(quantity: Decimal, unit: str) -> tuple[Decimal, str]:
    """A quantity in a unit a reader takes in: bytes in GB, MB or kB and seconds in minutes, to two
    places (the amount is what was charged; the exact quantity is in the explanation)."""
    if unit == "byte":
        for symbol, scale in BYTE_UNITS:
            if quantity >= scale:
                return (quantity / scale).quantize(SHOWN), symbol
    if unit == "second":
        return (quantity / SECONDS_PER_MINUTE).quantize(SHOWN), "minute"
    return quantity, unit


def tax_row(tax: TaxRow, formats: Formats) -> TotalRow:
    """A tax row: added taxes name their base, included ones are marked and not added."""
    label = formats.localization.labels["tax_included" if tax.included else "tax_added"]
    worded = label.format(name=tax.name, rate=formats.rate(tax.rate),
                          taxable=formats.money(tax.taxable))
    return TotalRow(worded, formats.money(tax.amount), "included" if tax.included else "")


def total_rows(doc: InvoiceDocument, formats: Formats) -> list[TotalRow]:
    """Subtotal, taxes, total and, for invoices, what is paid and what is due."""
    label = formats.localization.label
    rows = [TotalRow(label("subtotal"), formats.money(doc.subtotal))]
    rows += [tax_row(tax, formats) for tax in doc.taxes]
    if doc.kind == "credit_note":
        return [*rows, TotalRow(label("total_credit"), formats.money(doc.total), "grand")]
    rows.append(TotalRow(label("total"), formats.money(doc.total), "grand"))
    if doc.amount_paid.amount:
        rows.append(TotalRow(label("amount_paid"), formats.money(doc.amount_paid)))
    return [*rows, TotalRow(label("amount_due"), formats.money(doc.amount_due), "due")]


def closing_notes(doc: InvoiceDocument, formats: Formats) -> list[str]:
    """Payment terms of an invoice, or what a credit note credits."""
    labels = formats.localization.labels
    if doc.kind == "credit_note":
        return [labels["credit_terms"].format(reference=doc.reference)] if doc.reference else []
    if doc.amount_due.amount > 0 and doc.due_date:
        return [labels["payment_terms"].format(amount=formats.money(doc.amount_due),
                                               date=formats.day(doc.due_date))]
    if doc.amount_paid.amount and not doc.amount_due.amount:
        return [labels["paid_in_full"]]
    return []
