"""Use cases of the support desk: open, comment, ask, assign, resolve, reject, configure the policy.

Opening asks the invoice service about the account and invoice first. Resolving with a credit note
or an adjustment makes the invoice service's change first, under an id derived from the query
(settlement_key), then records the outcome: a retry after a crash between the two finds the same
credit note or charge, so nothing is issued twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from kernel.clock import Clock
from services.support.application import SupportApplication
from services.support.domain.actors import Actor
from services.support.domain.outcomes import (
    ADJUSTMENT,
    CREDIT_NOTE,
    Outcome,
    Resolution,
    Settlement,
    settlement_key,
)
from services.support.domain.policy import SupportPolicy, response_target
from services.support.domain.queries import Query
from services.support.domain.subjects import QueryRequest
from services.support.invoices import Invoicing, shortened

MAX_CHARGE_DESCRIPTION = 200


def nothing_to_do() -> None:
    """A save hook that does nothing."""


class SupportDesk:
    """Billing queries from opening to outcome."""

    def __init__(
        self, app: SupportApplication, invoices: Invoicing, clock: Clock,
        on_saved: Callable[[], None] = nothing_to_do,
    ) -> None:
        self.app = app
        self.invoices = invoices
        self.clock = clock
        self.on_saved = on_saved

    async def open(self, request: QueryRequest) -> Query:
        """Open a query (or find the one this request id opened) after checking its subject."""
        request.check()
        query_id = Query.create_id(request.tenant_id, request.request_id)
        existing = await asyncio.to_thread(self.app.find_query, request.tenant_id, query_id)
        if existing is not None:
            existing.check_same_request(request)
            return existing
        await self.invoices.account(request.tenant_id, request.account_id)
        if request.invoice_id is not None:
            request.check_against(await self.invoices.invoice(request.tenant_id, request.invoice_id))
        query = await asyncio.to_thread(self._open_new, request)
        self.on_saved()
        return query

    def _open_new(self, request: QueryRequest) -> Query:
        now = self.clock.now()
        query = Query.open(request, now, now + response_target(self.app.policy(request.tenant_id)))
        try:
            self.app.save(query)
        except IntegrityError:
            raced = self.app.get_query(request.tenant_id, query.id)
            raced.check_same_request(request)
            return raced
        return query

    async def get(self, tenant_id: UUID, query_id: UUID) -> Query:
        """The tenant's query."""
        return await asyncio.to_thread(self.app.get_query, tenant_id, query_id)

    async def get_many(self, tenant_id: UUID, query_ids: list[UUID]) -> list[Query]:
        """The tenant's queries, in the order asked."""
        return await asyncio.to_thread(lambda: [self.app.get_query(tenant_id, q) for q in query_ids])

    async def comment(self, tenant_id: UUID, query_id: UUID, author: Actor, body: str) -> Query:
        """Add a comment; a customer's reply re-opens a query awaiting them."""
        return await self._change(tenant_id, query_id, lambda q: q.comment(author, body, self.clock.now()))

    async def ask_customer(self, tenant_id: UUID, query_id: UUID, author: Actor, body: str) -> Query:
        """Staff ask the customer; the query awaits the reply."""
        return await self._change(tenant_id, query_id,
                                  lambda q: q.ask_customer(author, body, self.clock.now()))

    async def assign(self, tenant_id: UUID, query_id: UUID, assigned_by: Actor, assignee: str) -> Query:
        """Give the query to an agent (empty: nobody)."""
        return await self._change(tenant_id, query_id,
                                  lambda q: q.assign(assigned_by, assignee, self.clock.now()))

    async def reject(self, tenant_id: UUID, query_id: UUID, rejected_by: Actor, reason: str) -> Query:
        """Close without a change."""
        return await self._change(tenant_id, query_id,
                                  lambda q: q.reject(rejected_by, reason, self.clock.now()))

    async def resolve(self, tenant_id: UUID, query_id: UUID, resolution: Resolution) -> Query:
        """Settle the outcome with the invoice service first, then close the query with it."""
        query = await self.get(tenant_id, query_id)
        query.check_can_close(resolution.decided_by, "resolved_by")
        resolution.check(query.invoice_id)
        settlement = await self._settle(query, resolution)
        outcome = Outcome.of(resolution, settlement, self.clock.now())
        return await self._change(tenant_id, query_id, lambda q: q.resolve(outcome))

    async def _settle(self, query: Query, resolution: Resolution) -> Settlement:
        """The invoice service's side of the outcome: a credit note, a charge, or nothing."""
        key = settlement_key(query.id)
        if resolution.kind == CREDIT_NOTE and query.invoice_id is not None:
            invoice = await self.invoices.invoice(query.tenant_id, query.invoice_id)
            resolution.check_credit_currency(invoice.currency)
            return await self.invoices.issue_credit_note(
                query.tenant_id, query.invoice_id, key, f"Billing query: {resolution.note}",
                resolution.credit_lines)
        if resolution.kind == ADJUSTMENT and resolution.adjustment is not None:
            account = await self.invoices.account(query.tenant_id, query.account_id)
            resolution.check_adjustment_currency(account.currency)
            description = shortened(f"Billing query adjustment: {query.subject}", MAX_CHARGE_DESCRIPTION)
            return await self.invoices.add_charge(
                query.tenant_id, query.account_id, key, description, resolution.adjustment)
        return Settlement()

    async def _change(self, tenant_id: UUID, query_id: UUID, verb: Callable[[Query], None]) -> Query:
        query = await asyncio.to_thread(self.app.change_query, tenant_id, query_id, verb)
        self.on_saved()
        return query

    async def policy(self, tenant_id: UUID) -> SupportPolicy | None:
        """The tenant's support policy, None until configured."""
        return await asyncio.to_thread(self.app.policy, tenant_id)

    async def configure_policy(self, tenant_id: UUID, response_target_hours: int) -> SupportPolicy:
        """Replace the tenant's response target (queries opened from now on)."""
        policy = await asyncio.to_thread(self.app.configure_policy, tenant_id, response_target_hours)
        self.on_saved()
        return policy
