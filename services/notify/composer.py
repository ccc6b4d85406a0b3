"""Writing the email of a delivery: read the query, account and invoices, attach PDFs, render the
template."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.notify.domain import Delivery, SupportUnavailableError
from services.notify.emails import Attachment, Email
from services.notify.events import ATTACHING_KINDS, QUERY_KINDS, CustomerEvent
from services.notify.formatting import Formats
from services.notify.sources import (
    AccountContact,
    BillingSource,
    InvoiceSummary,
    QuerySource,
    QuerySummary,
)
from services.notify.template_book import TemplateBook
from services.notify.templating import render_email
from services.notify.variables import EmailFacts, email_variables

MAX_LISTED_INVOICES = 20
"""An email lists at most this many of the invoices an event names."""
MAX_ATTACHED_INVOICES = 5
"""An email attaches at most this many invoice PDFs (a dunning reminder's oldest overdue ones)."""


@dataclass(frozen=True)
class Reading:
    """What the invoice and support services say about an event's account, invoices and query."""

    account: AccountContact
    invoices: tuple[InvoiceSummary, ...]
    query: QuerySummary | None = None


@dataclass(frozen=True)
class Written:
    """An email ready to send, and the locale it was written in."""

    email: Email
    locale: str


class EmailWriter:
    """Writes each delivery's email from the invoice and support services' data and the tenant's
    template; without a query source, emails about queries wait as if the support service were down."""

    def __init__(
        self, billing: BillingSource, templates: TemplateBook, sender: str,
        queries: QuerySource | None = None,
    ) -> None:
        self.billing = billing
        self.templates = templates
        self.sender = sender
        self.queries = queries

    async def read(self, event: CustomerEvent) -> Reading:
        """The account the event is about (from its first invoice when the event names none)."""
        if event.kind in QUERY_KINDS:
            return await self.read_query(event)
        invoices = await self.invoices(event.tenant_id, event.invoice_ids)
        account_id = event.account_id or invoices[0].account_id
        return Reading(await self.billing.get_account(event.tenant_id, account_id), invoices)

    async def read_query(self, event: CustomerEvent) -> Reading:
        """The query the event is about (the aggregate), its account and its invoice, if any."""
        if self.queries is None:
            raise SupportUnavailableError("no support service configured")
        query = await self.queries.get_query(event.tenant_id, event.aggregate_id)
        invoice_ids = (query.invoice_id,) if query.invoice_id else ()
        invoices = await self.invoices(event.tenant_id, invoice_ids)
        return Reading(await self.billing.get_account(event.tenant_id, query.account_id), invoices,
                       query)

    async def invoices(
        self, tenant_id: UUID, invoice_ids: tuple[UUID, ...]
    ) -> tuple[InvoiceSummary, ...]:
        """The first MAX_LISTED_INVOICES of these invoices."""
        return tuple([await self.billing.get_invoice(tenant_id, invoice_id)
                      for invoice_id in invoice_ids[:MAX_LISTED_INVOICES]])

    async def attachments(self, event: CustomerEvent) -> tuple[Attachment, ...]:
        """The PDFs of the invoices the email is about, for the kinds that attach them."""
        if event.kind not in ATTACHING_KINDS:
            return ()
        return tuple([await self.pdf(event.tenant_id, invoice_id)
                      for invoice_id in event.invoice_ids[:MAX_ATTACHED_INVOICES]])

    async def pdf(self, tenant_id: UUID, invoice_id: UUID) -> Attachment:
        """One invoice's PDF."""
        return await self.billing.invoice_pdf(tenant_id, invoice_id)

    async def write(self, delivery: Delivery, reading: Reading) -> Written:
        """The email: the resolved template rendered with the event's variables, PDFs attached."""
        event = delivery.event
        attachments = await self.attachments(event)
        resolved = await self.templates.resolve(event.tenant_id, event.kind, reading.account.locale)
        facts = EmailFacts(event, reading.account, reading.invoices,
                           tuple(attachment.filename for attachment in attachments), reading.query)
        variables = email_variables(facts, Formats(resolved.writing_locale))
        rendered = render_email(resolved.stored.template, variables)
        email = Email(delivery.delivery_id, self.sender, delivery.recipient, rendered.subject,
                      rendered.text, rendered.html, attachments)
        return Written(email, resolved.writing_locale)
