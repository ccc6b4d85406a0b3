"""Account views: usage so far in the current cycle, a customer's own picture (GET /v1/me) and a
support agent's overview of any account; both views are built by one concurrent fan-out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import dunning_pb2, payment_pb2
from billing.rating.v1 import rating_pb2
from billing.support.v1 import support_pb2
from fastapi import APIRouter, Depends, HTTPException

from kernel.clock import Clock, SystemClock
from kernel.money import Money, total
from kernel.wire import instant_to_proto
from services.gateway.deps import STAFF, Clients, allow, check_own_account, clients, principal
from services.gateway.keys import Principal, Role
from services.gateway.overview_models import (
    AccountSection,
    AccountView,
    BalanceSection,
    Cycle,
    CycleUsage,
    DunningSection,
    Link,
    MoneyOut,
    OpenInvoice,
    OpenInvoices,
    OpenQueries,
    PaymentItem,
    QueryItem,
    RecentPayments,
    ServiceUsage,
    Unavailable,
    UnratedUsage,
)

router = APIRouter(prefix="/v1", tags=["account views"])
log = logging.getLogger(__name__)

OPEN_INVOICE_STATUSES = ("finalized", "issued", "partially_paid", "overdue")
OPEN_QUERY_STATES = ("open", "awaiting_customer")
RECENT_PAYMENTS = 10
OPEN_QUERIES_SHOWN = 50
INVOICE_PAGE = 1000
FAILURES = {grpc.StatusCode.UNAVAILABLE: "is unavailable",
            grpc.StatusCode.DEADLINE_EXCEEDED: "did not answer in time"}
SYSTEM_CLOCK = SystemClock()
Content = TypeVar("Content")


def gateway_clock() -> Clock:
    """The clock the views are told as of (a dependency, so tests can set it)."""
    return SYSTEM_CLOCK


class MissingCycleError(Exception):
    """The invoice service did not say the account's current cycle (an older version answered)."""


@dataclass(frozen=True)
class Viewing:
    """One view being built: who asks, the stubs, the account and the instant it is as of."""

    caller: Principal
    c: Clients
    account: invoice_pb2.Account
    as_of: datetime

    @property
    def tenant_id(self) -> str:
        """The caller's tenant, as the services take it."""
        return str(self.caller.tenant_id)


async def viewing(caller: Principal, c: Clients, account_id: str, clock: Clock) -> Viewing:
    """The account of the caller's tenant (404 when it has none such) and the instant of the view."""
    account = await c.invoice.GetAccount(invoice_pb2.GetAccountRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id), timeout=c.timeout)
    return Viewing(caller, c, account, clock.now())


def money_out(message: common_pb2.Money) -> MoneyOut:
    """Money from a service, as the views show it."""
    return MoneyOut(amount=message.amount, currency=message.currency)


def summed(amounts: list[common_pb2.Money], currency: str) -> MoneyOut:
    """Amounts of one currency added up exactly."""
    result = total([Money.of(m.amount, m.currency) for m in amounts], currency)
    return MoneyOut(amount=str(result.amount), currency=currency)


def cycle_of(account: invoice_pb2.Account) -> tuple[datetime, datetime]:
    """The account's current bill period [start, end) as the invoice service computed it."""
    if not account.current_cycle_start or not account.current_cycle_end:
        raise MissingCycleError(account.account_id)
    return (datetime.fromisoformat(account.current_cycle_start),
            datetime.fromisoformat(account.current_cycle_end))


async def rated_so_far(v: Viewing, start: datetime, until: datetime) -> list[rating_pb2.UsageSummary]:
    """Rated usage of the account per service type in [start, until)."""
    if until <= start:
        return []
    response = await v.c.rating.SummarizeUsage(rating_pb2.SummarizeUsageRequest(
        tenant_id=v.tenant_id, account_ids=[v.account.account_id], period_start=instant_to_proto(start),
        period_end=instant_to_proto(until)), timeout=v.c.timeout)
    return list(response.summaries)


async def unrated_so_far(v: Viewing, start: datetime, until: datetime) -> UnratedUsage:
    """The account's records started in [start, until) that are still unrated, counted by reason."""
    if until <= start:
        return UnratedUsage(count=0, reasons={})
    counted = await v.c.rating.CountUnratedRecords(rating_pb2.CountUnratedRecordsRequest(
        tenant_id=v.tenant_id, account_id=v.account.account_id, period_start=instant_to_proto(start),
        period_end=instant_to_proto(until)), timeout=v.c.timeout)
    return UnratedUsage(count=counted.total, reasons=dict(counted.by_reason))


def service_usage(summary: rating_pb2.UsageSummary) -> ServiceUsage:
    """One service type's rated usage."""
    return ServiceUsage(service_type=summary.service_type, unit=summary.unit, quantity=summary.quantity,
                        record_count=summary.record_count, amount=money_out(summary.amount))


async def cycle_usage(v: Viewing) -> CycleUsage:
    """Usage so far in the account's current cycle: rated per service type, and what is unrated."""
    start, end = cycle_of(v.account)
    until = min(v.as_of, end)
    summaries, unrated = await asyncio.gather(rated_so_far(v, start, until), unrated_so_far(v, start, until))
    currency = v.account.currency
    return CycleUsage(
        account_id=v.account.account_id, cycle_start=v.account.current_cycle_start,
        cycle_end=v.account.current_cycle_end, as_of=until.isoformat(), currency=currency,
        services=[service_usage(s) for s in summaries],
        total=summed([s.amount for s in summaries], currency), unrated=unrated)


async def balance(v: Viewing) -> BalanceSection:
    """Balance and credit from the payment ledger."""
    ledger = await v.c.payment.GetLedger(payment_pb2.AccountRequest(
        tenant_id=v.tenant_id, account_id=v.account.account_id), timeout=v.c.timeout)
    return BalanceSection(balance=money_out(ledger.balance), credit=money_out(ledger.credit),
                          payments_in_flight=list(ledger.payments_in_flight))


async def account_invoices(v: Viewing) -> list[invoice_pb2.Invoice]:
    """Every invoice of the account, oldest period first."""
    found: list[invoice_pb2.Invoice] = []
    token = ""
    while True:
        page = await v.c.invoice.ListInvoices(invoice_pb2.ListInvoicesRequest(
            tenant_id=v.tenant_id, account_id=v.account.account_id, page_size=INVOICE_PAGE,
            page_token=token), timeout=v.c.timeout)
        found += page.invoices
        token = page.next_page_token
        if not token:
            return found


def is_open(invoice: invoice_pb2.Invoice) -> bool:
    """An invoice with something still due."""
    return invoice.status in OPEN_INVOICE_STATUSES and Money.of(
        invoice.amount_due.amount, invoice.amount_due.currency).is_positive


def open_invoice(invoice: invoice_pb2.Invoice) -> OpenInvoice:
    """An open invoice with where to read, download and pay it."""
    href = f"/v1/invoices/{invoice.invoice_id}"
    return OpenInvoice(
        invoice_id=invoice.invoice_id, number=invoice.number, status=invoice.status,
        period_start=invoice.period_start, period_end=invoice.period_end,
        issue_date=invoice.issue_date or None, due_date=invoice.due_date or None,
        total=money_out(invoice.total), amount_due=money_out(invoice.amount_due),
        links={"self": Link(href=href), "pdf": Link(href=f"{href}.pdf"),
               "pay": Link(href="/v1/payments", method="POST")})


async def open_invoices(v: Viewing) -> OpenInvoices:
    """The account's invoices with something due, and the sum due."""
    invoices = [i for i in await account_invoices(v) if is_open(i)]
    return OpenInvoices(invoices=[open_invoice(i) for i in invoices],
                        amount_due=summed([i.amount_due for i in invoices], v.account.currency))


def payment_item(payment: payment_pb2.Payment) -> PaymentItem:
    """A payment as the views list it."""
    return PaymentItem(
        payment_id=payment.payment_id, invoice_id=payment.invoice_id or None,
        amount=money_out(payment.amount),
        refunded=money_out(payment.refunded) if payment.HasField("refunded") else None,
        status=payment.status, method=payment.method, created_at=payment.created_at,
        failure_reason=payment.failure_reason or None,
        links={"self": Link(href=f"/v1/payments/{payment.payment_id}")})


async def recent_payments(v: Viewing) -> RecentPayments:
    """The account's latest payments, newest first."""
    response = await v.c.payment.ListPayments(payment_pb2.ListPaymentsRequest(
        tenant_id=v.tenant_id, account_id=v.account.account_id, page_size=RECENT_PAYMENTS),
        timeout=v.c.timeout)
    return RecentPayments(payments=[payment_item(p) for p in response.payments])


def query_item(query: support_pb2.Query) -> QueryItem:
    """An open query as the views list it (its comments are read at its own link)."""
    return QueryItem(
        query_id=query.query_id, subject=query.subject, category=query.category, state=query.state,
        invoice_id=query.invoice_id or None,
        line_index=query.line_index if query.HasField("line_index") else None,
        opened_at=query.opened_at, respond_by=query.respond_by, overdue=query.overdue,
        assignee=query.assignee or None,
        disputed_amount=money_out(query.disputed_amount) if query.HasField("disputed_amount") else None,
        comment_count=query.comment_count, links={"self": Link(href=f"/v1/queries/{query.query_id}")})


async def open_queries(v: Viewing) -> OpenQueries | Unavailable:
    """The account's queries that are open or awaiting the customer, newest first; overdue as of the view."""
    if v.c.support is None:
        return Unavailable(unavailable="the support service is not configured")
    response = await v.c.support.ListQueries(support_pb2.ListQueriesRequest(
        tenant_id=v.tenant_id, account_id=v.account.account_id, states=OPEN_QUERY_STATES,
        page_size=OPEN_QUERIES_SHOWN, as_of=v.as_of.isoformat()), timeout=v.c.timeout)
    return OpenQueries(queries=[query_item(q) for q in response.queries],
                       more=bool(response.next_page_token))


async def dunning(v: Viewing) -> DunningSection | Unavailable:
    """Where the account stands in dunning."""
    if v.c.dunning is None:
        return Unavailable(unavailable="dunning is not configured")
    found = await v.c.dunning.GetDunning(dunning_pb2.GetDunningRequest(
        tenant_id=v.tenant_id, account_id=v.account.account_id), timeout=v.c.timeout)
    return DunningSection(
        status=found.status, episode=found.episode, started_on=found.started_on or None,
        oldest_due_date=found.oldest_due_date or None, reminder_steps=list(found.reminder_steps),
        retries=len(found.retries), suspended=found.suspended,
        late_fee=money_out(found.late_fee.amount) if found.HasField("late_fee") else None)


async def section(service: str, content: Awaitable[Content]) -> Content | Unavailable:
    """A section's content, or why its service could not give it."""
    try:
        return await content
    except grpc.aio.AioRpcError as error:
        log.warning("account view: the %s service failed: %s %s", service, error.code(), error.details())
        failure = FAILURES.get(error.code(), f"failed ({error.code().name.lower()})")
        return Unavailable(unavailable=f"the {service} service {failure}")
    except MissingCycleError:
        return Unavailable(unavailable="the invoice service did not say the account's current cycle")


def account_section(account: invoice_pb2.Account) -> AccountSection:
    """Who the account is and how it is billed."""
    return AccountSection(
        account_id=account.account_id, name=account.name, status=account.status,
        currency=account.currency, timezone=account.timezone, bill_cycle_day=account.bill_cycle_day,
        parent_account_id=account.parent_account_id or None,
        current_cycle=Cycle(start=account.current_cycle_start, end=account.current_cycle_end))


def view_links(account_id: str, self_href: str) -> dict[str, Link]:
    """Where the details of the view are read, and how to pay and to open a query."""
    base = f"/v1/accounts/{account_id}"
    return {
        "self": Link(href=self_href), "account": Link(href=base),
        "invoices": Link(href=f"{base}/invoices"), "payments": Link(href=f"{base}/payments"),
        "ledger": Link(href=f"{base}/ledger"), "dunning": Link(href=f"{base}/dunning"),
        "current_cycle_usage": Link(href=f"{base}/usage/current-cycle"),
        "payment_methods": Link(href=f"{base}/payment-methods"),
        "queries": Link(href=f"/v1/queries?account_id={account_id}"),
        "pay": Link(href="/v1/payments", method="POST"),
        "open_query": Link(href="/v1/queries", method="POST"),
    }


async def account_view(caller: Principal, c: Clients, account_id: str, clock: Clock,
                       self_href: str) -> AccountView:
    """The account's picture: every section asked for at once; a failing service only blanks its own."""
    v = await viewing(caller, c, account_id, clock)
    balance_, invoices, payments, queries, usage, dunning_ = await asyncio.gather(
        section("payment", balance(v)), section("invoice", open_invoices(v)),
        section("payment", recent_payments(v)), section("support", open_queries(v)),
        section("rating", cycle_usage(v)), section("payment", dunning(v)))
    return AccountView(
        account_id=v.account.account_id, as_of=v.as_of.isoformat(), account=account_section(v.account),
        balance=balance_, open_invoices=invoices, recent_payments=payments, open_queries=queries,
        current_cycle_usage=usage, dunning=dunning_, links=view_links(v.account.account_id, self_href))


@router.get("/accounts/{account_id}/usage/current-cycle")
async def current_cycle_usage(
    account_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients), clock: Clock = Depends(gateway_clock),
) -> CycleUsage:
    """Usage so far in the account's current bill cycle, near real time: per service type the
    quantity, record count and rated amount (unrounded, before tax) in [cycle start, as_of), their
    sum in the account's currency, and the cycle's unrated records counted by reason."""
    check_own_account(caller, account_id)
    v = await viewing(caller, c, account_id, clock)
    try:
        return await cycle_usage(v)
    except MissingCycleError:
        raise HTTPException(503, "the invoice service did not say the account's current cycle") from None


@router.get("/me")
async def my_account(
    caller: Principal = Depends(principal), c: Clients = Depends(clients),
    clock: Clock = Depends(gateway_clock),
) -> AccountView:
    """The customer's own account at a glance: status, balance and credit, open invoices, latest
    payments, open queries, usage so far this cycle and dunning, with links to each detail, to pay
    and to open a query. Only for customer keys (403 otherwise); a section whose service fails is
    `{"unavailable": reason}`."""
    if caller.role is not Role.CUSTOMER or caller.account_id is None:
        raise HTTPException(403, "GET /v1/me is for customer keys; staff use GET /v1/accounts/{id}/overview")
    return await account_view(caller, c, str(caller.account_id), clock, "/v1/me")


@router.get("/accounts/{account_id}/overview")
async def account_overview(
    account_id: str, caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients),
    clock: Clock = Depends(gateway_clock),
) -> AccountView:
    """A support agent's picture of an account in one call: status, balance and credit, open
    invoices, the last 10 payments, open queries (with their overdue flag), usage so far this cycle
    and dunning. The services are asked concurrently; a section whose service fails or is too slow
    is `{"unavailable": reason}` and the rest is still answered. Unknown account: 404."""
    return await account_view(caller, c, account_id, clock, f"/v1/accounts/{account_id}/overview")
