"""In-memory stand-ins for notify's ports, and builders of accounts, invoices and events."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from kernel.clock import FixedClock
from kernel.money import Money
from services.notify.application import DeliveryQuery, Notifier, PageKey
from services.notify.composer import EmailWriter
from services.notify.dispatch import Dispatcher
from services.notify.domain import (
    AccountNotFoundError,
    BillingUnavailableError,
    Delivery,
    InvoiceNotFoundError,
)
from services.notify.emails import Attachment, Email
from services.notify.events import CustomerEvent, EventFacts, NotificationKind
from services.notify.retries import RetryPolicy
from services.notify.sources import AccountContact, InvoiceLine, InvoiceSummary
from services.notify.template_book import StoredTemplate, TemplateBook

NOW = datetime(2025, 2, 1, 6, 0, tzinfo=UTC)
SENDER = "billing@isp.example"


def an_account(billing_email: str = "ada@example.org", locale: str = "en",
               name: str = "Ada Networks") -> AccountContact:
    """An account's contact."""
    return AccountContact(uuid4(), name, billing_email, locale)


def an_invoice(account: AccountContact, number: str = "INV-2025-000042") -> InvoiceSummary:
    """A January invoice of the account with a recurring and a usage line."""
    return InvoiceSummary(
        invoice_id=uuid4(), account_id=account.account_id, number=number,
        period_start=date(2025, 1, 1), period_end=date(2025, 2, 1),
        issue_date=date(2025, 2, 1), due_date=date(2025, 2, 15),
        lines=(
            InvoiceLine("Fibre 1G monthly fee", Decimal(1), "period", Money.of("39.90", "EUR")),
            InvoiceLine("Voice calls", Decimal("125.5"), "minute", Money.of("2.51", "EUR")),
        ),
        total=Money.of("42.41", "EUR"), amount_due=Money.of("42.41", "EUR"),
    )


def an_event(
    kind: NotificationKind, tenant_id: UUID, account: AccountContact,
    invoices: Sequence[InvoiceSummary] = (), number: int = 7,
) -> CustomerEvent:
    """An event of a kind about the account and invoices, with facts that kind carries."""
    facts = {
        NotificationKind.INVOICE_ISSUED: EventFacts(),
        NotificationKind.PAYMENT_RECEIVED: EventFacts(amount=Money.of("42.41", "EUR"),
                                                      method="card", provider_ref="ch_1"),
        NotificationKind.PAYMENT_FAILED: EventFacts(amount=Money.of("42.41", "EUR"), method="card",
                                                    failure_reason="card_declined"),
        NotificationKind.DUNNING_REMINDER: EventFacts(amount=Money.of("84.82", "EUR"), episode="1",
                                                      step=1, days_overdue=14),
        NotificationKind.ACCOUNT_SUSPENDED: EventFacts(amount=Money.of("84.82", "EUR"), episode="1",
                                                       days_overdue=45),
    }[kind]
    is_invoice = kind is NotificationKind.INVOICE_ISSUED
    return CustomerEvent(
        event_id=f"{'invoice' if is_invoice else 'payment'}:{number}", tenant_id=tenant_id,
        kind=kind, aggregate_id=invoices[0].invoice_id if is_invoice else uuid4(),
        occurred_at=NOW, account_id=None if is_invoice else account.account_id,
        invoice_ids=tuple(invoice.invoice_id for invoice in invoices), facts=facts,
    )


class FakeBilling:
    """The invoice service as dictionaries; answers 'unavailable' while down is set."""

    def __init__(self) -> None:
        self.accounts: dict[tuple[UUID, UUID], AccountContact] = {}
        self.invoices: dict[tuple[UUID, UUID], InvoiceSummary] = {}
        self.down: str | None = None
        self.lookups = 0

    def add(self, tenant_id: UUID, account: AccountContact,
            *invoices: InvoiceSummary) -> AccountContact:
        """Give the tenant an account and its invoices."""
        self.accounts[(tenant_id, account.account_id)] = account
        for invoice in invoices:
            self.invoices[(tenant_id, invoice.invoice_id)] = invoice
        return account

    def check_up(self) -> None:
        self.lookups += 1
        if self.down is not None:
            raise BillingUnavailableError(self.down)

    async def get_account(self, tenant_id: UUID, account_id: UUID) -> AccountContact:
        self.check_up()
        try:
            return self.accounts[(tenant_id, account_id)]
        except KeyError:
            raise AccountNotFoundError(account_id) from None

    async def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceSummary:
        self.check_up()
        try:
            return self.invoices[(tenant_id, invoice_id)]
        except KeyError:
            raise InvoiceNotFoundError(invoice_id) from None

    async def invoice_pdf(self, tenant_id: UUID, invoice_id: UUID) -> Attachment:
        invoice = await self.get_invoice(tenant_id, invoice_id)
        return Attachment(f"{invoice.number}.pdf", "application/pdf", b"%PDF-1.7 " + invoice.number.encode())


class FakeMailer:
    """Keeps sent emails in a list; raises the queued failures first, one per send."""

    def __init__(self) -> None:
        self.sent: list[Email] = []
        self.failures: list[Exception] = []

    async def send(self, email: Email) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(email)


def matches(delivery: Delivery, query: DeliveryQuery) -> bool:
    """True when the delivery passes every filter of the query."""
    return all([
        query.invoice_id is None or query.invoice_id in delivery.event.invoice_ids,
        query.account_id is None or query.account_id == delivery.account_id,
        query.kind is None or query.kind is delivery.kind,
        query.status is None or query.status is delivery.status,
        query.since is None or delivery.queued_at >= query.since,
    ])


class FakeClaim:
    """A claimed delivery in the in-memory log."""

    def __init__(self, log: InMemoryDeliveryLog, delivery: Delivery) -> None:
        self.log = log
        self._delivery = delivery

    @property
    def delivery(self) -> Delivery:
        return self._delivery

    async def save(self, delivery: Delivery) -> None:
        self.log.rows[delivery.delivery_id] = delivery


class InMemoryDeliveryLog:
    """The delivery log as a dictionary keyed by delivery id."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Delivery] = {}

    async def add(self, delivery: Delivery) -> bool:
        if delivery.delivery_id in self.rows:
            return False
        self.rows[delivery.delivery_id] = delivery
        return True

    async def get(self, tenant_id: UUID, delivery_id: UUID) -> Delivery | None:
        found = self.rows.get(delivery_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    async def list_deliveries(
        self, tenant_id: UUID, query: DeliveryQuery, limit: int, after: PageKey | None
    ) -> list[Delivery]:
        rows = sorted((row for row in self.rows.values()
                       if row.tenant_id == tenant_id and matches(row, query)),
                      key=lambda row: (row.queued_at, row.delivery_id))
        if after is not None:
            rows = [row for row in rows if (row.queued_at, row.delivery_id) > after]
        return rows[:limit]

    @asynccontextmanager
    async def claim_due(self, now: datetime) -> AsyncIterator[FakeClaim | None]:
        due = sorted((row for row in self.rows.values() if row.is_due(now)),
                     key=lambda row: row.next_attempt_at or now)
        yield FakeClaim(self, due[0]) if due else None


class InMemoryTemplateStore:
    """Each tenant's templates as a dictionary."""

    def __init__(self) -> None:
        self.rows: dict[tuple[UUID, NotificationKind, str], StoredTemplate] = {}

    async def put(self, tenant_id: UUID, stored: StoredTemplate) -> None:
        self.rows[(tenant_id, stored.kind, stored.locale)] = stored

    async def find(
        self, tenant_id: UUID, kind: NotificationKind, locales: Sequence[str]
    ) -> dict[str, StoredTemplate]:
        return {locale: self.rows[(tenant_id, kind, locale)] for locale in locales
                if (tenant_id, kind, locale) in self.rows}

    async def list_templates(
        self, tenant_id: UUID, kind: NotificationKind | None
    ) -> list[StoredTemplate]:
        return [stored for (tenant, found_kind, _), stored in sorted(
            self.rows.items(), key=lambda item: (item[0][1].value, item[0][2]))
            if tenant == tenant_id and kind in (None, found_kind)]

    async def delete(self, tenant_id: UUID, kind: NotificationKind, locale: str) -> bool:
        return self.rows.pop((tenant_id, kind, locale), None) is not None


class World:
    """Notify's email use cases wired to fakes, and the fakes."""

    def __init__(self, policy: RetryPolicy | None = None) -> None:
        self.billing = FakeBilling()
        self.mailer = FakeMailer()
        self.log = InMemoryDeliveryLog()
        self.store = InMemoryTemplateStore()
        self.clock = FixedClock(NOW)
        self.templates = TemplateBook(self.store, self.clock)
        self.notifier = Notifier(self.log, self.clock)
        self.dispatcher = Dispatcher(self.log, EmailWriter(self.billing, self.templates, SENDER),
                                     self.mailer, self.clock, policy or RetryPolicy(),
                                     random.Random(7))
        self.tenant_id = uuid4()

    def stored(self, event: CustomerEvent) -> Delivery:
        """The delivery of an event as the log holds it."""
        return self.log.rows[event.delivery_id]

    async def deliver_all(self) -> list[Delivery]:
        """Attempt every delivery due now."""
        outcomes = []
        while (outcome := await self.dispatcher.deliver_next()) is not None:
            outcomes.append(outcome)
        return outcomes

    def with_account(self, **fields: str) -> AccountContact:
        """A new account of the world's tenant."""
        return self.billing.add(self.tenant_id, an_account(**fields))

    def with_invoice(self, account: AccountContact, number: str = "INV-2025-000042") -> InvoiceSummary:
        """A new invoice of the account."""
        invoice = an_invoice(account, number)
        self.billing.add(self.tenant_id, account, invoice)
        return invoice
