"""Billing queries: a customer's question or dispute about an account, an invoice or one invoice line.

States: open -> awaiting_customer (staff asked) -> open (the customer replied) -> resolved | rejected.
Resolved and rejected queries are closed: nothing more is written on them. Staff must first answer
(comment, question or closing) by respond_by; until then, past it, the query is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money
from services.support.domain.actors import Actor
from services.support.domain.errors import (
    InvalidQueryError,
    QueryClosedError,
    QueryNotFoundError,
    RequestIdReusedError,
    TooManyCommentsError,
)
from services.support.domain.outcomes import REJECTED, CreditedLine, Outcome, Settlement
from services.support.domain.subjects import QueryRequest
from services.support.domain.texts import MAX_BODY, MAX_LINE, check_text

MAX_COMMENTS = 200
"""A full thread (200 x 10,000 characters) still fits a gRPC answer."""


def check_assignee(assignee: str) -> None:
    """Empty (nobody) or an agent's name or id, without surrounding blanks."""
    if len(assignee) > MAX_LINE:
        raise InvalidQueryError("assignee", f"at_most_{MAX_LINE}_characters")
    if assignee != assignee.strip():
        raise InvalidQueryError("assignee", "no_surrounding_whitespace")


class QueryState(StrEnum):
    """Where a query stands."""

    OPEN = "open"
    AWAITING_CUSTOMER = "awaiting_customer"
    RESOLVED = "resolved"
    REJECTED = "rejected"


CLOSED = frozenset({QueryState.RESOLVED, QueryState.REJECTED})


@dataclass(frozen=True)
class Comment:
    """One message of a query's thread."""

    author: Actor
    body: str
    written_at: datetime


class Query(TenantAggregate):
    """A billing query: its subject, thread, assignee, response target and, once closed, its outcome."""

    @staticmethod
    def create_id(tenant_id: UUID, request_id: str) -> UUID:
        """Opening with the same request id again finds the same query."""
        return derived_id(tenant_id, "support-query", request_id)

    @classmethod
    def open(cls, request: QueryRequest, opened_at: datetime, respond_by: datetime) -> Query:
        """A new query, its first comment the customer's (or agent's) words."""
        request.check()
        return cls(
            tenant_id=request.tenant_id, request_id=request.request_id, account_id=request.account_id,
            invoice_id=request.invoice_id, line_index=request.line_index, category=request.category,
            subject=request.subject, body=request.body, disputed_amount=request.disputed_amount,
            opened_by=request.opened_by.as_dict(), opened_at=opened_at, respond_by=respond_by,
        )

    @event("Opened")
    def __init__(
        self, tenant_id: UUID, request_id: str, account_id: UUID, invoice_id: UUID | None,
        line_index: int | None, category: str, subject: str, body: str, disputed_amount: Money | None,
        opened_by: dict[str, str], opened_at: datetime, respond_by: datetime,
    ) -> None:
        self.tenant_id = tenant_id
        self.request_id = request_id
        self.account_id = account_id
        self.invoice_id = invoice_id
        self.line_index = line_index
        self.category = category
        self.subject = subject
        self.disputed_amount = disputed_amount
        self.opened_by = Actor.from_dict(opened_by)
        self.opened_at = opened_at
        self.respond_by = respond_by
        self.comments = [Comment(self.opened_by, body, opened_at)]
        self.state = QueryState.OPEN
        self.assignee = ""
        self.first_response_at: datetime | None = None
        self.outcome: Outcome | None = None
        self.updated_at = opened_at

    # --- reading --------------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        """Resolved or rejected."""
        return self.state in CLOSED

    def is_overdue(self, now: datetime) -> bool:
        """Not yet answered by staff and past respond_by."""
        return self.first_response_at is None and now > self.respond_by

    def opened_as(self, request: QueryRequest) -> bool:
        """True when this query is what the request asks to open."""
        first = self.comments[0]
        return (
            self.belongs_to(request.tenant_id) and self.request_id == request.request_id
            and self.account_id == request.account_id and self.invoice_id == request.invoice_id
            and self.line_index == request.line_index and self.category == request.category
            and self.subject == request.subject and first.body == request.body
            and self.disputed_amount == request.disputed_amount and self.opened_by == request.opened_by
        )

    # --- rules ----------------------------------------------------------------------------------

    def check_same_request(self, request: QueryRequest) -> None:
        """A retried request id must ask for the very same query."""
        if not self.opened_as(request):
            raise RequestIdReusedError(request.request_id)

    def check_visible_to(self, actor: Actor) -> None:
        """A customer sees only their own account's queries: anything else is not found."""
        if not actor.speaks_for(self.account_id):
            raise QueryNotFoundError(self.id)

    def check_is_not_closed(self, action: str) -> None:
        """A closed query takes nothing more."""
        if self.is_closed:
            raise QueryClosedError(self.id, self.state, action)

    def check_has_room(self) -> None:
        """A thread holds at most MAX_COMMENTS."""
        if len(self.comments) >= MAX_COMMENTS:
            raise TooManyCommentsError(self.id, MAX_COMMENTS)

    def check_can_close(self, actor: Actor, field: str) -> None:
        """Staff close an open query (checked before anything is settled)."""
        actor.check_is_staff(field)
        self.check_is_not_closed("closed")

    # --- commands -------------------------------------------------------------------------------

    def comment(self, author: Actor, body: str, at: datetime) -> None:
        """Add to the thread; a customer's reply re-opens a query awaiting them."""
        author.check("author")
        self.check_visible_to(author)
        self.check_is_not_closed("commented on")
        check_text("body", body, MAX_BODY)
        self.check_has_room()
        self._commented(author=author.as_dict(), body=body, written_at=at)

    @event("Commented")
    def _commented(self, author: dict[str, str], body: str, written_at: datetime) -> None:
        writer = Actor.from_dict(author)
        self._append(Comment(writer, body, written_at))
        if not writer.is_staff and self.state is QueryState.AWAITING_CUSTOMER:
            self.state = QueryState.OPEN

    def ask_customer(self, author: Actor, body: str, at: datetime) -> None:
        """Staff ask the customer something; the query awaits their reply."""
        author.check_is_staff("author")
        self.check_is_not_closed("commented on")
        check_text("body", body, MAX_BODY)
        self.check_has_room()
        self._customer_asked(author=author.as_dict(), body=body, written_at=at)

    @event("CustomerAsked")
    def _customer_asked(self, author: dict[str, str], body: str, written_at: datetime) -> None:
        self._append(Comment(Actor.from_dict(author), body, written_at))
        self.state = QueryState.AWAITING_CUSTOMER

    def assign(self, assigned_by: Actor, assignee: str, at: datetime) -> None:
        """Give the query to an agent (empty: nobody); assigning the same agent again changes nothing."""
        assigned_by.check_is_staff("assigned_by")
        self.check_is_not_closed("assigned")
        check_assignee(assignee)
        if assignee != self.assignee:
            self._assigned(assignee=assignee, assigned_by=assigned_by.as_dict(), assigned_at=at)

    @event("Assigned")
    def _assigned(self, assignee: str, assigned_by: dict[str, str], assigned_at: datetime) -> None:
        self.assignee = assignee
        self.updated_at = assigned_at

    def resolve(self, outcome: Outcome) -> None:
        """Close with an outcome the invoice service already settled (credit note or charge)."""
        self.check_can_close(outcome.decided_by, "resolved_by")
        settled = outcome.settlement
        self._resolved(
            outcome=outcome.kind, note=outcome.note, decided_by=outcome.decided_by.as_dict(),
            decided_at=outcome.decided_at, credit_note_id=settled.credit_note_id,
            credit_note_number=settled.credit_note_number,
            credited_lines=[line.as_dict() for line in settled.credited_lines],
            charge_id=settled.charge_id, amount=settled.amount,
        )

    @event("Resolved")
    def _resolved(
        self, outcome: str, note: str, decided_by: dict[str, str], decided_at: datetime,
        credit_note_id: str, credit_note_number: str, credited_lines: list[dict[str, Any]],
        charge_id: str, amount: Money | None,
    ) -> None:
        settlement = Settlement(credit_note_id, credit_note_number,
                                tuple(CreditedLine.from_dict(line) for line in credited_lines),
                                charge_id, amount)
        self._close(QueryState.RESOLVED,
                    Outcome(outcome, note, Actor.from_dict(decided_by), decided_at, settlement))

    def reject(self, rejected_by: Actor, reason: str, at: datetime) -> None:
        """Close without a change, with the reason."""
        self.check_can_close(rejected_by, "rejected_by")
        check_text("reason", reason, MAX_BODY)
        self._rejected(reason=reason, decided_by=rejected_by.as_dict(), decided_at=at)

    @event("Rejected")
    def _rejected(self, reason: str, decided_by: dict[str, str], decided_at: datetime) -> None:
        self._close(QueryState.REJECTED, Outcome(REJECTED, reason, Actor.from_dict(decided_by), decided_at))

    # --- state changes shared by the events -------------------------------------------------------

    def _append(self, comment: Comment) -> None:
        self.comments.append(comment)
        self.updated_at = comment.written_at
        if comment.author.is_staff:
            self._answered(comment.written_at)

    def _close(self, state: QueryState, outcome: Outcome) -> None:
        self.state = state
        self.outcome = outcome
        self.updated_at = outcome.decided_at
        self._answered(outcome.decided_at)

    def _answered(self, at: datetime) -> None:
        if self.first_response_at is None:
            self.first_response_at = at
