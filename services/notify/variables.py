"""The variables an email template is rendered with, per kind, already worded for the locale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kernel.money import Money
from services.notify.events import CustomerEvent, NotificationKind
from services.notify.formatting import Formats
from services.notify.sources import AccountContact, InvoiceLine, InvoiceSummary, QuerySummary

Variables = dict[str, Any]


@dataclass(frozen=True)
class LineView:
    """An invoice line as a template shows it."""

    description: str
    quantity: str
    unit: str
    amount: str


@dataclass(frozen=True)
class InvoiceView:
    """An invoice as a template lists it."""

    number: str
    period: str
    issue_date: str
    due_date: str
    total: str
    amount_due: str


@dataclass(frozen=True)
class EmailFacts:
    """Everything an email is written from: the event, the account, its invoices, the files, and
    the billing query the event is about (for the query kinds)."""

    event: CustomerEvent
    account: AccountContact
    invoices: tuple[InvoiceSummary, ...] = ()
    attachment_names: tuple[str, ...] = ()
    query: QuerySummary | None = None


def line_view(line: InvoiceLine, formats: Formats) -> LineView:
    """One charge, worded."""
    return LineView(line.description, formats.quantity(line.quantity), line.unit,
                    formats.money(line.amount))


def invoice_view(invoice: InvoiceSummary, formats: Formats) -> InvoiceView:
    """One invoice, worded."""
    return InvoiceView(
        number=invoice.number, period=formats.period(invoice.period_start, invoice.period_end),
        issue_date=formats.day(invoice.issue_date), due_date=formats.day(invoice.due_date),
        total=formats.money(invoice.total), amount_due=formats.money(invoice.amount_due),
    )


def common_variables(facts: EmailFacts, formats: Formats) -> Variables:
    """What every kind offers: the customer, the event's day, the attached files."""
    return {
        "customer_name": facts.account.name,
        "account_id": str(facts.account.account_id),
        "occurred_on": formats.day(facts.event.occurred_at.date()),
        "attachments": list(facts.attachment_names),
    }


def invoice_issued(facts: EmailFacts, formats: Formats) -> Variables:
    """The issued invoice: number, period, dates, lines and amounts."""
    invoice = facts.invoices[0]
    view = invoice_view(invoice, formats)
    return {
        "invoice_number": view.number, "period": view.period, "issue_date": view.issue_date,
        "due_date": view.due_date, "total": view.total, "amount_due": view.amount_due,
        "lines": [line_view(line, formats) for line in invoice.lines],
    }


def payment(facts: EmailFacts, formats: Formats) -> Variables:
    """The payment: amount, method, provider reference and the invoice it paid, if one."""
    event = facts.event
    return {
        "amount": formats.money(event.facts.amount), "method": event.facts.method,
        "payment_reference": event.facts.provider_ref, "payment_id": str(event.aggregate_id),
        "invoice_number": facts.invoices[0].number if facts.invoices else "",
    }


def payment_failed(facts: EmailFacts, formats: Formats) -> Variables:
    """The failed payment and why it failed."""
    return {**payment(facts, formats), "failure_reason": facts.event.facts.failure_reason}


def overdue(facts: EmailFacts, formats: Formats) -> Variables:
    """What is overdue: days, amount and the invoices."""
    return {
        "days_overdue": facts.event.facts.days_overdue,
        "amount_overdue": formats.money(facts.event.facts.amount),
        "invoices": [invoice_view(invoice, formats) for invoice in facts.invoices],
    }


def dunning_reminder(facts: EmailFacts, formats: Formats) -> Variables:
    """What is overdue, and which reminder of the dunning episode this is."""
    return {**overdue(facts, formats), "reminder_step": facts.event.facts.step}


def query_about(facts: EmailFacts, formats: Formats) -> Variables:
    """The query: its subject, its id, and the number of the invoice it is about ("" when none)."""
    if facts.query is None:
        raise ValueError(f"an email of kind {facts.event.kind.value} needs its query")
    return {
        "query_id": str(facts.query.query_id), "query_subject": facts.query.subject,
        "invoice_number": facts.invoices[0].number if facts.invoices else "",
    }


def query_awaiting_customer(facts: EmailFacts, formats: Formats) -> Variables:
    """The query, and what the agent asks the customer."""
    return {**query_about(facts, formats), "question": facts.event.facts.question}


def magnitude(money: Money | None) -> Money | None:
    """An amount without its sign."""
    return -money if money is not None and money.amount < 0 else money


def query_resolved(facts: EmailFacts, formats: Formats) -> Variables:
    """The query and its outcome: explained, credit_note (number, amount) or adjustment (amount,
    and whether it is a credit on the next invoice rather than a charge)."""
    told = facts.event.facts
    return {
        **query_about(facts, formats), "outcome": told.outcome, "note": told.note,
        "credit_note_number": told.credit_note_number, "amount": formats.money(magnitude(told.amount)),
        "adjustment_is_credit": told.outcome == "adjustment" and told.amount is not None
        and told.amount.amount < 0,
    }


def query_rejected(facts: EmailFacts, formats: Formats) -> Variables:
    """The query, and why it was rejected."""
    return {**query_about(facts, formats), "reason": facts.event.facts.note}


BUILDERS: dict[NotificationKind, Callable[[EmailFacts, Formats], Variables]] = {
    NotificationKind.INVOICE_ISSUED: invoice_issued,
    NotificationKind.PAYMENT_RECEIVED: payment,
    NotificationKind.PAYMENT_FAILED: payment_failed,
    NotificationKind.DUNNING_REMINDER: dunning_reminder,
    NotificationKind.ACCOUNT_SUSPENDED: overdue,
    NotificationKind.QUERY_AWAITING_CUSTOMER: query_awaiting_customer,
    NotificationKind.QUERY_RESOLVED: query_resolved,
    NotificationKind.QUERY_REJECTED: query_rejected,
}


def email_variables(facts: EmailFacts, formats: Formats) -> Variables:
    """The variables of the email about this event."""
    return {**common_variables(facts, formats), **BUILDERS[facts.event.kind](facts, formats)}
