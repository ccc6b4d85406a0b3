"""Sample facts of each kind: templates are checked and previewed against them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from uuid import UUID

from kernel.money import Money
from services.notify.events import (
    ATTACHING_KINDS,
    QUERY_KINDS,
    CustomerEvent,
    EventFacts,
    NotificationKind,
)
from services.notify.formatting import Formats
from services.notify.sources import AccountContact, InvoiceLine, InvoiceSummary, QuerySummary
from services.notify.variables import EmailFacts, Variables, email_variables

SAMPLE_TENANT = UUID("00000000-0000-4000-8000-000000000001")
SAMPLE_ACCOUNT = UUID("00000000-0000-4000-8000-0000000000a1")
SAMPLE_PAYMENT = UUID("00000000-0000-4000-8000-0000000000c1")
SAMPLE_EPISODE = UUID("00000000-0000-4000-8000-0000000000d1")
SAMPLE_QUERY_ID = UUID("00000000-0000-4000-8000-0000000000e1")


def sample_invoice(number: str, month: int) -> InvoiceSummary:
    """A 2025 invoice of the sample account for one month."""
    return InvoiceSummary(
        invoice_id=UUID(int=month), account_id=SAMPLE_ACCOUNT, number=number,
        period_start=date(2025, month, 1), period_end=date(2025, month + 1, 1),
        issue_date=date(2025, month + 1, 1), due_date=date(2025, month + 1, 15),
        lines=(
            InvoiceLine("Fibre 1G monthly fee", Decimal(1), "period", Money.of("39.90", "EUR")),
            InvoiceLine("Voice calls", Decimal("125.5"), "minute", Money.of("2.51", "EUR")),
        ),
        total=Money.of("42.41", "EUR"), amount_due=Money.of("42.41", "EUR"),
    )


SAMPLE_INVOICES = (sample_invoice("INV-2025-000042", 1), sample_invoice("INV-2025-000057", 2))
OVERDUE = Money.of("84.82", "EUR")
SAMPLE_QUERY = QuerySummary(SAMPLE_QUERY_ID, SAMPLE_ACCOUNT, SAMPLE_INVOICES[0].invoice_id,
                            "Voice calls I did not make")
SAMPLE_FACTS = {
    NotificationKind.INVOICE_ISSUED: (SAMPLE_INVOICES[0].invoice_id, EventFacts(), 1),
    NotificationKind.PAYMENT_RECEIVED: (SAMPLE_PAYMENT, EventFacts(
        amount=Money.of("42.41", "EUR"), method="card", provider_ref="ch_3PqR5sT"), 1),
    NotificationKind.PAYMENT_FAILED: (SAMPLE_PAYMENT, EventFacts(
        amount=Money.of("42.41", "EUR"), method="sepa_debit", failure_reason="insufficient_funds"), 1),
    NotificationKind.DUNNING_REMINDER: (SAMPLE_EPISODE, EventFacts(
        amount=OVERDUE, episode="1", step=2, days_overdue=21), 2),
    NotificationKind.ACCOUNT_SUSPENDED: (SAMPLE_EPISODE, EventFacts(
        amount=OVERDUE, episode="1", days_overdue=45), 2),
    NotificationKind.QUERY_AWAITING_CUSTOMER: (SAMPLE_QUERY_ID, EventFacts(
        question="Which numbers do you not recognise?"), 1),
    NotificationKind.QUERY_RESOLVED: (SAMPLE_QUERY_ID, EventFacts(
        amount=Money.of("2.51", "EUR"), outcome="credit_note", credit_note_number="CN-2025-000007",
        note="The calls were made after your number was ported out; we credited them."), 1),
    NotificationKind.QUERY_REJECTED: (SAMPLE_QUERY_ID, EventFacts(
        note="The calls were made from your line; the call records are attached to the query."), 1),
}
"""Per kind: the aggregate, the facts, and how many of the sample invoices it is about."""


def sample_facts(kind: NotificationKind) -> EmailFacts:
    """An email of this kind to Ada Lovelace about the sample invoices (and query)."""
    aggregate_id, facts, invoice_count = SAMPLE_FACTS[kind]
    invoices = SAMPLE_INVOICES[:invoice_count]
    event = CustomerEvent(
        event_id="sample:1", tenant_id=SAMPLE_TENANT, kind=kind, aggregate_id=aggregate_id,
        occurred_at=datetime(2025, 2, 1, 8, 30, tzinfo=UTC), account_id=SAMPLE_ACCOUNT,
        invoice_ids=tuple(invoice.invoice_id for invoice in invoices), facts=facts,
    )
    account = AccountContact(SAMPLE_ACCOUNT, "Ada Lovelace", "ada@example.org", "en")
    names = tuple(f"{invoice.number}.pdf" for invoice in invoices) if kind in ATTACHING_KINDS else ()
    return EmailFacts(event, account, invoices, names, SAMPLE_QUERY if kind in QUERY_KINDS else None)


def sample_variables(kind: NotificationKind, locale: str) -> Variables:
    """The sample email's variables, worded in a locale."""
    return email_variables(sample_facts(kind), Formats(locale))


@cache
def variable_names(kind: NotificationKind) -> frozenset[str]:
    """The variables templates of this kind may use."""
    return frozenset(sample_variables(kind, "en_GB"))
