"""What an invoice or credit note prints: parties, lines, taxes and totals, already computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kernel.money import Money

LINE_KINDS = ("recurring", "proration", "usage", "prior_period", "one_time", "discount",
              "adjustment", "credit")
DOCUMENT_KINDS = ("invoice", "credit_note")


@dataclass(frozen=True)
class Party:
    """A seller or a customer as printed: name, postal address, contact and tax id."""

    name: str
    address_lines: tuple[str, ...]
    email: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """One printed charge; detail is extra wording; a usage line names its service, destination
    class and how many rated records it sums (worded in the document's locale)."""

    kind: str
    description: str
    quantity: Decimal
    unit: str
    amount: Money
    period: str = ""
    detail: str = ""
    service_type: str = ""
    destination_class: str = ""
    records: int = 0
    covers: tuple[date, date] | None = None
    """A whole-cycle fee: the days [start, end) it pays for, printed in the period column."""


@dataclass(frozen=True)
class TaxRow:
    """One tax at one rate in percent; included means prices already contain it."""

    name: str
    rate: Decimal
    taxable: Money
    amount: Money
    included: bool


@dataclass(frozen=True)
class ItemisedRow:
    """One printed row of an itemisation page: when, what (already worded) and the amount."""

    when: str
    text: str
    amount: str


@dataclass(frozen=True)
class ItemisedSection:
    """A titled table of itemisation rows (one usage line's entries, the charges, the allowances),
    with a closing note such as how the rows make the line's amount."""

    title: str
    rows: tuple[ItemisedRow, ...]
    note: str = ""


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice or credit note ready to print; the period end is exclusive."""

    kind: str
    number: str
    status: str
    issue_date: date | None
    due_date: date | None
    period_start: date | None
    period_end: date | None
    seller: Party
    customer: Party
    currency: str
    locale: str
    lines: tuple[DocumentLine, ...]
    subtotal: Money
    taxes: tuple[TaxRow, ...]
    total: Money
    amount_paid: Money
    amount_due: Money
    reference: str = ""
    notes: tuple[str, ...] = ()
    itemisation: tuple[ItemisedSection, ...] = ()
