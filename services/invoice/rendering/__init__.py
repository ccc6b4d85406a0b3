"""Invoices and credit notes as HTML and PDF, from one localized template."""

from __future__ import annotations

from services.invoice.rendering.document import (
    DocumentLine,
    InvoiceDocument,
    ItemisedRow,
    ItemisedSection,
    Party,
    TaxRow,
)
from services.invoice.rendering.pdf import markup_to_pdf
from services.invoice.rendering.template import render_markup

__all__ = ["DocumentLine", "InvoiceDocument", "ItemisedRow", "ItemisedSection", "Party", "TaxRow",
           "render_html", "render_pdf"]


def render_html(doc: InvoiceDocument) -> str:
    """The document as a standalone HTML page."""
    return render_markup(doc, for_pdf=False)


def render_pdf(doc: InvoiceDocument) -> bytes:
    """The document as a PDF: the same template's markup laid out on A4 pages."""
    return markup_to_pdf(render_markup(doc, for_pdf=True))
