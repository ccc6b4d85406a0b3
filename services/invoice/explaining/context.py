"""What explaining one invoice reads of the invoice service's own aggregates (synchronous: called
through a thread), loaded once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from kernel.units import UNIT_SIZE
from services.invoice.application import InvoiceApplication
from services.invoice.domain.accounts import Account
from services.invoice.domain.catalog import Plan
from services.invoice.domain.cycles import Period, period_containing
from services.invoice.domain.drafting import UsageGroup
from services.invoice.domain.invoices import Invoice, InvoiceLine
from services.invoice.domain.subscriptions import Discount, Subscription
from services.invoice.explaining.model import FlatPrice, LineNotFoundError, OneTimeDetails
from services.invoice.explaining.words import Words
from services.invoice.rating_client import Selection


@dataclass
class InvoiceContext:
    """An invoice with the accounts it bills, in the locale it is explained in."""

    app: InvoiceApplication
    invoice: Invoice
    accounts: dict[UUID, Account]
    words: Words
    plans: dict[UUID, Plan | None] = field(default_factory=dict)
    groups: dict[UUID, list[UsageGroup]] = field(default_factory=dict)
    """Rating's groups of each account's usage selection, asked once per request."""

    @classmethod
    def load(cls, app: InvoiceApplication, invoice: Invoice, locale: str) -> InvoiceContext:
        """The invoice's accounts (its own and those whose usage it takes) and the words to use."""
        ids = {invoice.account_id, *(UUID(str(usage["account_id"])) for usage in invoice.usage),
               *(UUID(line.account_id) for line in invoice.invoice_lines() if line.account_id)}
        accounts = {account_id: account for account_id in ids
                    if (account := app.load(Account, invoice.tenant_id, account_id)) is not None}
        return cls(app, invoice, accounts, Words.of(locale or invoice.locale))

    @property
    def tenant_id(self) -> UUID:
        """The invoice's tenant."""
        return self.invoice.tenant_id

    @property
    def cycle_day(self) -> int:
        """The bill cycle day of the invoiced account (a child's lines follow its parent's cycle)."""
        account = self.accounts.get(self.invoice.account_id)
        return account.bill_cycle_day if account else self.invoice.period_end.day

    def timezone_of(self, account_id: UUID) -> str:
        """The account's timezone (UTC when it is no longer found)."""
        account = self.accounts.get(account_id) or self.accounts.get(self.invoice.account_id)
        return account.timezone if account else "UTC"

    def line(self, index: int) -> InvoiceLine:
        """The line at the index, or LineNotFoundError."""
        lines = self.invoice.invoice_lines()
        if not 0 <= index < len(lines):
            raise LineNotFoundError(self.invoice.number or str(self.invoice.id), index)
        return lines[index]

    def account_of(self, line: InvoiceLine) -> UUID:
        """The account a line is for."""
        return UUID(line.account_id) if line.account_id else self.invoice.account_id

    def selections(self) -> list[Selection]:
        """The usage the invoice took, per account."""
        return [Selection.from_dict(usage) for usage in self.invoice.usage]

    def selection_of(self, account_id: UUID) -> Selection | None:
        """The usage the invoice took of one account."""
        return next((s for s in self.selections() if s.account_id == account_id), None)

    def plan(self, plan_id: UUID) -> Plan | None:
        """A plan of the tenant, read once."""
        if plan_id not in self.plans:
            self.plans[plan_id] = self.app.load(Plan, self.tenant_id, plan_id)
        return self.plans[plan_id]

    def flat_price(self, plan_id: str, service_type: str) -> FlatPrice | None:
        """The plan's usage price of a service, which priced parts without a tariff."""
        plan = self.plan(UUID(plan_id)) if plan_id else None
        price = next((p for p in plan.prices() if p.service_type == service_type), None) if plan else None
        if plan is None or price is None:
            return None
        return FlatPrice(plan.name, price.unit, price.unit_price, UNIT_SIZE[price.unit][1])

    def cycle_of(self, line: InvoiceLine) -> Period:
        """The bill cycle a recurring line charges."""
        return period_containing(date.fromisoformat(line.cycle_start), self.cycle_day)

    def discount_of(self, line: InvoiceLine) -> Discount | None:
        """The discount a discount line applies (None when the subscription no longer has it)."""
        subscription = self.app.load(Subscription, self.tenant_id, UUID(line.subscription_id))
        if subscription is None:
            return None
        return next((d for d in subscription.discounts if d.discount_id == line.discount_id), None)

    def one_time(self, line: InvoiceLine) -> OneTimeDetails:
        """A one-time charge's id and the day it was added for."""
        account = self.accounts.get(self.account_of(line))
        charge = account.charges.get(line.charge_id) if account else None
        return OneTimeDetails(line.charge_id, charge.charge_date if charge else None)
