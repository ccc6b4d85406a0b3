"""Response bodies of the account views: a customer's GET /v1/me and an agent's account overview."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MoneyOut(BaseModel):
    """An amount as a decimal string, and its currency."""

    amount: str = Field(examples=["12.50"])
    currency: str = Field(examples=["GBP"])


class Link(BaseModel):
    """Where a related resource is, or how an action is taken."""

    href: str = Field(examples=["/v1/invoices/0b7e.../.pdf"])
    method: str = Field(default="GET", examples=["GET", "POST"])


class Unavailable(BaseModel):
    """A section whose service did not answer in time or failed; the other sections are still given."""

    unavailable: str = Field(examples=["the payment service is unavailable"])


class Cycle(BaseModel):
    """The account's bill period containing now: half-open [start, end), RFC 3339 UTC instants."""

    start: str
    end: str


class AccountSection(BaseModel):
    """Who the account is and how it is billed."""

    account_id: str
    name: str
    status: str = Field(description="active, suspended or closed")
    currency: str
    timezone: str
    bill_cycle_day: int
    parent_account_id: str | None = Field(description="the account whose invoice carries this one's charges")
    current_cycle: Cycle


class BalanceSection(BaseModel):
    """What the customer owes: the payment ledger's view."""

    balance: MoneyOut = Field(
        description="open invoices' amounts due minus credit held (negative: in credit)")
    credit: MoneyOut = Field(description="money received and not yet allocated to an invoice")
    payments_in_flight: list[str] = Field(description="card payments whose outcome is not known yet")


class OpenInvoice(BaseModel):
    """An invoice with something still due."""

    invoice_id: str
    number: str
    status: str = Field(description="finalized, issued, partially_paid or overdue")
    period_start: str
    period_end: str
    issue_date: str | None
    due_date: str | None
    total: MoneyOut
    amount_due: MoneyOut
    links: dict[str, Link] = Field(description="self, pdf and pay")


class OpenInvoices(BaseModel):
    """The account's open invoices, oldest period first, and what they sum to."""

    invoices: list[OpenInvoice]
    amount_due: MoneyOut


class PaymentItem(BaseModel):
    """A payment of the account."""

    payment_id: str
    invoice_id: str | None
    amount: MoneyOut
    refunded: MoneyOut | None
    status: str = Field(description="pending, unknown, succeeded, failed, partially_refunded, refunded or"
                                    " charged_back")
    method: str
    created_at: str
    failure_reason: str | None
    links: dict[str, Link]


class RecentPayments(BaseModel):
    """The account's latest payments, newest first."""

    payments: list[PaymentItem]


class QueryItem(BaseModel):
    """A billing query still waiting for an answer or for the customer."""

    query_id: str
    subject: str
    category: str
    state: str = Field(description="open or awaiting_customer")
    invoice_id: str | None
    line_index: int | None
    opened_at: str
    respond_by: str
    overdue: bool = Field(description="not yet answered by staff and past respond_by")
    assignee: str | None
    disputed_amount: MoneyOut | None
    comment_count: int
    links: dict[str, Link]


class OpenQueries(BaseModel):
    """The account's open queries (open and awaiting_customer), newest first."""

    queries: list[QueryItem]
    more: bool = Field(description="true when the account has more open queries than shown")


class ServiceUsage(BaseModel):
    """Rated usage of one service type so far in the cycle."""

    service_type: str
    unit: str
    quantity: str
    record_count: int
    amount: MoneyOut = Field(description="sum of the rated amounts, unrounded (before tax)")


class UnratedUsage(BaseModel):
    """Records of the cycle rating could not price (and no re-rating has priced since), by reason."""

    count: int
    reasons: dict[str, int]


class CycleUsage(BaseModel):
    """Usage so far in the current bill cycle, near real time: rated usage in [cycle start, as_of)."""

    account_id: str
    cycle_start: str
    cycle_end: str
    as_of: str
    currency: str
    services: list[ServiceUsage]
    total: MoneyOut = Field(description="the services' amounts summed, unrounded, before tax")
    unrated: UnratedUsage


class DunningSection(BaseModel):
    """Where the account stands in dunning (status none: never overdue)."""

    status: str = Field(description="none, open or closed")
    episode: int
    started_on: str | None
    oldest_due_date: str | None
    reminder_steps: list[int]
    retries: int
    late_fee: MoneyOut | None
    suspended: bool


class AccountView(BaseModel):
    """One account's picture; each section is its content or {"unavailable": reason}."""

    account_id: str
    as_of: str
    account: AccountSection
    balance: BalanceSection | Unavailable
    open_invoices: OpenInvoices | Unavailable
    recent_payments: RecentPayments | Unavailable
    open_queries: OpenQueries | Unavailable
    current_cycle_usage: CycleUsage | Unavailable
    dunning: DunningSection | Unavailable
    links: dict[str, Link]
