"""Conversions at the support service's gRPC edge: requests to domain values, queries to protobuf."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from billing.support.v1 import support_pb2

from kernel.errors import InvalidInputError
from kernel.money import Money
from kernel.wire import id_from_wire, money_from_proto, money_to_proto
from services.support.domain.actors import Actor
from services.support.domain.outcomes import CreditedLine, Outcome, Resolution
from services.support.domain.policy import DEFAULT_RESPONSE_TARGET_HOURS, SupportPolicy
from services.support.domain.queries import Comment, Query
from services.support.domain.subjects import QueryRequest


def actor_from_proto(message: support_pb2.Actor) -> Actor:
    """An actor as sent."""
    return Actor(role=message.role, id=message.id)


def actor_to_proto(actor: Actor) -> support_pb2.Actor:
    """An actor on the wire."""
    return support_pb2.Actor(role=actor.role, id=actor.id)


def optional_id(text: str, field: str) -> UUID | None:
    """An id, or None for the empty string."""
    return id_from_wire(text, field) if text else None


def instant_from_wire(text: str, field: str) -> datetime | None:
    """An RFC 3339 instant with its offset, or None for the empty string."""
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(field, "not_an_rfc3339_instant") from None
    if instant.tzinfo is None:
        raise InvalidInputError(field, "needs_a_utc_offset")
    return instant


def query_request_from_proto(request: support_pb2.OpenQueryRequest) -> QueryRequest:
    """An OpenQuery request as a domain request (ids and money parsed, fields named)."""
    disputed: Money | None = None
    if request.HasField("disputed_amount"):
        disputed = money_from_proto(request.disputed_amount, "disputed_amount")
    return QueryRequest(
        tenant_id=id_from_wire(request.tenant_id, "tenant_id"), request_id=request.request_id,
        opened_by=actor_from_proto(request.opened_by),
        account_id=id_from_wire(request.account_id, "account_id"),
        invoice_id=optional_id(request.invoice_id, "invoice_id"),
        line_index=request.line_index if request.HasField("line_index") else None,
        category=request.category, subject=request.subject, body=request.body, disputed_amount=disputed,
    )


def resolution_from_proto(request: support_pb2.ResolveQueryRequest) -> Resolution:
    """A ResolveQuery request as an agent's decision."""
    adjustment = None
    if request.HasField("adjustment"):
        adjustment = money_from_proto(request.adjustment, "adjustment")
    return Resolution(
        kind=request.outcome, note=request.note, decided_by=actor_from_proto(request.resolved_by),
        credit_lines=tuple(
            CreditedLine(line.line_index, money_from_proto(line.amount, f"credit_lines[{i}].amount"))
            for i, line in enumerate(request.credit_lines)),
        adjustment=adjustment,
    )


def comment_to_proto(comment: Comment) -> support_pb2.Comment:
    """One message of the thread."""
    return support_pb2.Comment(author=actor_to_proto(comment.author), body=comment.body,
                               written_at=comment.written_at.isoformat())


def outcome_to_proto(outcome: Outcome) -> support_pb2.Outcome:
    """How the query was closed."""
    settled = outcome.settlement
    message = support_pb2.Outcome(
        kind=outcome.kind, note=outcome.note, credit_note_id=settled.credit_note_id,
        credit_note_number=settled.credit_note_number, charge_id=settled.charge_id,
        decided_by=actor_to_proto(outcome.decided_by), decided_at=outcome.decided_at.isoformat())
    if settled.amount is not None:
        message.amount.CopyFrom(money_to_proto(settled.amount))
    return message


def query_to_proto(query: Query, now: datetime, with_comments: bool = True) -> support_pb2.Query:
    """A query on the wire, overdue judged at `now` (lists leave the thread out)."""
    thread = [comment_to_proto(c) for c in query.comments] if with_comments else []
    message = support_pb2.Query(
        query_id=str(query.id), account_id=str(query.account_id), invoice_id=str(query.invoice_id or ""),
        category=query.category, subject=query.subject, state=str(query.state),
        opened_by=actor_to_proto(query.opened_by), opened_at=query.opened_at.isoformat(),
        assignee=query.assignee, comments=thread, comment_count=len(query.comments),
        respond_by=query.respond_by.isoformat(),
        first_response_at=query.first_response_at.isoformat() if query.first_response_at else "",
        overdue=query.is_overdue(now), updated_at=query.updated_at.isoformat(), version=query.version,
    )
    if query.line_index is not None:
        message.line_index = query.line_index
    if query.disputed_amount is not None:
        message.disputed_amount.CopyFrom(money_to_proto(query.disputed_amount))
    if query.outcome is not None:
        message.outcome.CopyFrom(outcome_to_proto(query.outcome))
    return message


def policy_to_proto(policy: SupportPolicy | None) -> support_pb2.SupportPolicy:
    """The tenant's policy, or the default."""
    if policy is None:
        return support_pb2.SupportPolicy(response_target_hours=DEFAULT_RESPONSE_TARGET_HOURS, is_default=True)
    return support_pb2.SupportPolicy(response_target_hours=policy.response_target_hours, is_default=False)
