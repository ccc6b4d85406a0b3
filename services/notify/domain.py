"""The notify domain: the email a finalized invoice deserves, and the states of its delivery."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from html import escape
from uuid import UUID

from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from kernel.ids import derived_id
from kernel.money import Money

EMAIL_CHANNEL = "email"
INVALID_EMAIL = "invalid_email"
PERMANENT_REASONS = frozenset({INVALID_EMAIL})
MAX_REASON_LENGTH = 500

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_TOP_LABEL}", re.ASCII)


class InvalidEmailAddressError(InvalidInputError):
    """A recipient that is not a plain mailbox address (local@domain.tld)."""

    def __init__(self, address: str) -> None:
        super().__init__("billing_email", INVALID_EMAIL)
        self.address = address


class InvoiceNotFoundError(NotFoundError):
    """The invoice service has no such invoice for this tenant."""

    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"invoice {invoice_id} not found")


class DeliveryFailedError(PreconditionError):
    """A send attempt failed for a reason that may pass; the event is tried again later."""

    def __init__(self, delivery_id: UUID, reason: str) -> None:
        super().__init__(f"delivery {delivery_id} failed: {reason}")
        self.delivery_id = delivery_id
        self.reason = reason


def is_valid_email_address(address: str) -> bool:
    """True for an ASCII addr-spec with a dot-atom local part and a DNS domain."""
    local, _, _ = address.rpartition("@")
    return len(address) <= 254 and len(local) <= 64 and ADDRESS.fullmatch(address) is not None


def check_email_address(address: str) -> str:
    """Return the address when it can be mailed to; refuse it otherwise."""
    if not is_valid_email_address(address):
        raise InvalidEmailAddressError(address)
    return address


@dataclass(frozen=True)
class InvoiceFinalized:
    """An Invoice.Finalized event as notify sees it: which event, whose, which invoice."""

    event_id: str
    tenant_id: UUID
    invoice_id: UUID

    @property
    def delivery_id(self) -> UUID:
        """The one email delivery of this event, however often the event arrives."""
        return derived_id(EMAIL_CHANNEL, self.event_id)


@dataclass(frozen=True)
class InvoiceLine:
    """One charge as the customer reads it."""

    description: str
    quantity: Decimal
    unit: str
    amount: Money


@dataclass(frozen=True)
class InvoiceDocument:
    """What notify needs of a finalized invoice to tell the customer about it."""

    invoice_id: UUID
    number: str
    account_name: str
    billing_email: str
    period_start: date
    period_end: date
    lines: tuple[InvoiceLine, ...]
    total: Money
    amount_due: Money


@dataclass(frozen=True)
class Attachment:
    """A file sent along with an email."""

    filename: str
    content_type: str
    content: str


@dataclass(frozen=True)
class Email:
    """A message to one recipient, with a plain-text and an HTML body."""

    reference: UUID
    sender: str
    recipient: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


def invoice_subject(invoice: InvoiceDocument) -> str:
    """'Invoice <number> for <period start> to <period end>'."""
    start, end = invoice.period_start.isoformat(), invoice.period_end.isoformat()
    return f"Invoice {invoice.number} for {start} to {end}"


def attachment_name(invoice: InvoiceDocument) -> str:
    """The file name of the attached invoice document."""
    return f"invoice-{invoice.number}.html"


def line_text(line: InvoiceLine) -> str:
    """One line of the plain-text body."""
    return f"  {line.description}: {line.quantity} {line.unit}  {line.amount}"


def invoice_text(invoice: InvoiceDocument) -> str:
    """The plain-text body: greeting, the lines, total and amount due."""
    return "\n".join([
        f"Dear {invoice.account_name},",
        "",
        f"your invoice {invoice.number} for {invoice.period_start.isoformat()}"
        f" to {invoice.period_end.isoformat()} is ready:",
        "",
        *[line_text(line) for line in invoice.lines],
        "",
        f"Total: {invoice.total}",
        f"Amount due: {invoice.amount_due}",
        "",
        f"The invoice is attached as {attachment_name(invoice)}.",
        "",
    ])


def lines_table_html(invoice: InvoiceDocument) -> str:
    """The lines, total and amount due as an HTML table."""
    rows = "".join(
        f"<tr><td>{escape(line.description)}</td><td>{line.quantity}</td>"
        f"<td>{escape(line.unit)}</td><td>{line.amount}</td></tr>"
        for line in invoice.lines
    )
    return (
        "<table><thead><tr><th>Description</th><th>Quantity</th><th>Unit</th>"
        f"<th>Amount</th></tr></thead><tbody>{rows}</tbody><tfoot>"
        f'<tr><th colspan="3">Total</th><td>{invoice.total}</td></tr>'
        f'<tr><th colspan="3">Amount due</th><td>{invoice.amount_due}</td></tr>'
        "</tfoot></table>"
    )


def invoice_html(invoice: InvoiceDocument) -> str:
    """The HTML body of the email."""
    return (
        f"<html><body><p>Dear {escape(invoice.account_name)},</p>"
        f"<p>your invoice {escape(invoice.number)} for {invoice.period_start.isoformat()}"
        f" to {invoice.period_end.isoformat()} is ready:</p>{lines_table_html(invoice)}"
        f"<p>The invoice is attached as {escape(attachment_name(invoice))}.</p></body></html>\n"
    )


def invoice_document_html(invoice: InvoiceDocument) -> str:
    """The invoice as a standalone HTML document (the attachment)."""
    title = escape(f"Invoice {invoice.number}")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{escape(invoice.account_name)}</p>"
        f"<p>Period: {invoice.period_start.isoformat()} to {invoice.period_end.isoformat()}</p>"
        f"{lines_table_html(invoice)}</body></html>\n"
    )


def compose_invoice_email(invoice: InvoiceDocument, sender: str, reference: UUID) -> Email:
    """The email telling the account's billing contact about a finalized invoice."""
    return Email(
        reference=reference,
        sender=sender,
        recipient=invoice.billing_email,
        subject=invoice_subject(invoice),
        text=invoice_text(invoice),
        html=invoice_html(invoice),
        attachments=(
            Attachment(attachment_name(invoice), "text/html", invoice_document_html(invoice)),
        ),
    )


class DeliveryStatus(Enum):
    """Where a delivery stands: queued before the first attempt, then sent or failed."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Step(Enum):
    """What to do with a delivery claimed for sending."""

    SKIP = "skip"
    REFUSE = "refuse"
    SEND = "send"


@dataclass(frozen=True)
class Delivery:
    """One notification of one event to one recipient over one channel."""

    delivery_id: UUID
    tenant_id: UUID
    event_id: str
    invoice_id: UUID
    channel: str
    recipient: str
    subject: str
    status: DeliveryStatus
    reason: str
    attempts: int
    updated_at: datetime

    @classmethod
    def queue(cls, event: InvoiceFinalized, email: Email, at: datetime) -> Delivery:
        """A new email delivery for an event, not yet attempted."""
        return cls(event.delivery_id, event.tenant_id, event.event_id, event.invoice_id,
                   EMAIL_CHANNEL, email.recipient, email.subject, DeliveryStatus.QUEUED, "", 0, at)

    @property
    def is_sent(self) -> bool:
        """Sent deliveries are final: the email is never sent twice."""
        return self.status is DeliveryStatus.SENT

    @property
    def will_retry(self) -> bool:
        """True when the delivery failed for a reason that may pass."""
        return self.status is DeliveryStatus.FAILED and self.reason not in PERMANENT_REASONS

    def next_step(self) -> Step:
        """Skip a sent delivery, refuse an invalid recipient, otherwise send."""
        if self.is_sent:
            return Step.SKIP
        if not is_valid_email_address(self.recipient):
            return Step.REFUSE
        return Step.SEND

    def addressed(self, email: Email) -> Delivery:
        """The delivery going to the email's current recipient and subject."""
        return replace(self, recipient=email.recipient, subject=email.subject)

    def sent(self, at: datetime) -> Delivery:
        """An attempt succeeded."""
        return replace(self, status=DeliveryStatus.SENT, reason="", attempts=self.attempts + 1,
                       updated_at=at)

    def failed(self, reason: str, at: datetime) -> Delivery:
        """An attempt failed; the reason says why."""
        return replace(self, status=DeliveryStatus.FAILED, reason=reason[:MAX_REASON_LENGTH],
                       attempts=self.attempts + 1, updated_at=at)

    def refused(self, reason: str, at: datetime) -> Delivery:
        """Failed for good without an attempt (e.g. an invalid recipient)."""
        return replace(self, status=DeliveryStatus.FAILED, reason=reason, updated_at=at)
