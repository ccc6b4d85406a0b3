"""Billing queries and disputes: customers open and follow their own, staff answer and settle them."""

from __future__ import annotations

import json
from typing import Any

from billing.common.v1 import common_pb2
from billing.support.v1 import support_pb2, support_pb2_grpc
from fastapi import APIRouter, Depends, Header, HTTPException, Query

from kernel.ids import new_id
from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import MoneyBody, jsonable
from services.gateway.problems import FieldProblem
from services.gateway.query_models import (
    AssignmentSet,
    CommentCreate,
    QueryCreate,
    RejectionCreate,
    ResolutionCreate,
    SupportPolicySet,
)

router = APIRouter(prefix="/v1", tags=["billing queries"])
AGENTS = (Role.ADMIN, Role.OPERATOR, Role.SUPPORT)
"""Staff who answer, assign and settle queries."""
IDEMPOTENCY = Header(default="", max_length=255,
                     description="retries with the same key return the same query")


def support_service(c: Clients) -> support_pb2_grpc.SupportServiceStub:
    """The support service's stub."""
    if c.support is None:
        raise HTTPException(503, "billing queries are not available")
    return c.support


def actor(caller: Principal) -> support_pb2.Actor:
    """The caller as the support service records them: a customer by account, staff by key."""
    if caller.role is Role.CUSTOMER:
        return support_pb2.Actor(role=caller.role.value, id=str(caller.account_id))
    return support_pb2.Actor(role=caller.role.value, id=str(caller.key_id))


def money(body: MoneyBody) -> common_pb2.Money:
    """A money body on the wire."""
    return common_pb2.Money(amount=str(body.amount), currency=body.currency)


def query_json(query: support_pb2.Query) -> dict[str, Any]:
    """A query as JSON: absent line, amount or outcome are null; the version a number."""
    body = jsonable(query)
    for name in ("line_index", "disputed_amount", "outcome"):
        body.setdefault(name, None)
    body["version"] = int(query.version)
    return body


def account_of(caller: Principal, body: QueryCreate) -> str:
    """The account a query is opened on: a customer's own, or the one staff name."""
    if caller.role is Role.CUSTOMER:
        if body.account_id:
            check_own_account(caller, body.account_id)
        return str(caller.account_id)
    if not body.account_id:
        raise FieldProblem("account_id", "required", "account_id is required")
    return body.account_id


async def own_query(caller: Principal, c: Clients, query_id: str) -> support_pb2.Query:
    """A query of the caller's tenant (customers: of their own account only)."""
    query = await support_service(c).GetQuery(support_pb2.GetQueryRequest(
        tenant_id=str(caller.tenant_id), query_id=query_id), timeout=c.timeout)
    check_own_account(caller, query.account_id)
    return query


@router.post("/queries", status_code=201)
async def open_query(
    body: QueryCreate, idempotency_key: str = IDEMPOTENCY,
    caller: Principal = Depends(allow(*AGENTS, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Open a billing query on an account, an invoice or one invoice line, optionally disputing an amount
    (held out of dunning until the query is closed). Customers open queries on their own account."""
    request = support_pb2.OpenQueryRequest(
        tenant_id=str(caller.tenant_id), request_id=body.request_id or idempotency_key or str(new_id()),
        opened_by=actor(caller), account_id=account_of(caller, body), invoice_id=body.invoice_id or "",
        category=body.category, subject=body.subject, body=body.body)
    if body.line_index is not None:
        request.line_index = body.line_index
    if body.disputed_amount is not None:
        request.disputed_amount.CopyFrom(money(body.disputed_amount))
    return query_json(await support_service(c).OpenQuery(request, timeout=c.timeout))


@router.get("/queries")
async def list_queries(
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
    account_id: str = "", invoice_id: str = "",
    state: list[str] = Query(default=[], description="open, awaiting_customer, resolved or rejected"),
    assignee: str = "", overdue_only: bool = False,
    as_of: str = Query(default="", description="RFC 3339 instant overdue is judged at; default now"),
    page_size: int = Query(default=100, ge=1, le=1000), page_token: str = "",
) -> dict[str, Any]:
    """The tenant's queries, newest first (customers: their own account's); `overdue_only` lists those
    not answered by staff past their respond_by (`next_page_token` is empty on the last page)."""
    if caller.role is Role.CUSTOMER:
        if account_id:
            check_own_account(caller, account_id)
        account_id = str(caller.account_id)
    response = await support_service(c).ListQueries(support_pb2.ListQueriesRequest(
        tenant_id=str(caller.tenant_id), account_id=account_id, invoice_id=invoice_id, states=state,
        assignee=assignee, overdue_only=overdue_only, as_of=as_of, page_size=page_size,
        page_token=page_token), timeout=c.timeout)
    return {"queries": [query_json(q) for q in response.queries], "next_page_token": response.next_page_token}


@router.get("/queries/{query_id}")
async def get_query(
    query_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A query: its subject, state, thread, assignee, response target and outcome."""
    return query_json(await own_query(caller, c, query_id))


@router.post("/queries/{query_id}/comments", status_code=201)
async def add_comment(
    query_id: str, body: CommentCreate, caller: Principal = Depends(allow(*AGENTS, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Add to the thread; a customer's reply re-opens a query awaiting them."""
    query = await support_service(c).AddComment(support_pb2.AddCommentRequest(
        tenant_id=str(caller.tenant_id), query_id=query_id, author=actor(caller), body=body.body),
        timeout=c.timeout)
    return query_json(query)


@router.post("/queries/{query_id}/ask-customer", status_code=201)
async def ask_customer(
    query_id: str, body: CommentCreate, caller: Principal = Depends(allow(*AGENTS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Ask the customer something: the query awaits their reply."""
    query = await support_service(c).AskCustomer(support_pb2.AddCommentRequest(
        tenant_id=str(caller.tenant_id), query_id=query_id, author=actor(caller), body=body.body),
        timeout=c.timeout)
    return query_json(query)


@router.post("/queries/{query_id}/assign")
async def assign_query(
    query_id: str, body: AssignmentSet, caller: Principal = Depends(allow(*AGENTS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Give the query to an agent (empty assignee: nobody)."""
    query = await support_service(c).AssignQuery(support_pb2.AssignQueryRequest(
        tenant_id=str(caller.tenant_id), query_id=query_id, assigned_by=actor(caller),
        assignee=body.assignee), timeout=c.timeout)
    return query_json(query)


@router.post("/queries/{query_id}/resolve")
async def resolve_query(
    query_id: str, body: ResolutionCreate, caller: Principal = Depends(allow(*AGENTS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Close the query with an outcome: `explained`; `credit_note` (issued by the invoice service on the
    query's invoice lines); `adjustment` (a one-time charge, negative for a credit, on the next invoice).
    A refused credit note or charge leaves the query open."""
    request = support_pb2.ResolveQueryRequest(
        tenant_id=str(caller.tenant_id), query_id=query_id, resolved_by=actor(caller), outcome=body.outcome,
        note=body.note,
        credit_lines=[support_pb2.CreditedLine(line_index=line.line_index, amount=money(line.amount))
                      for line in body.credit_lines])
    if body.adjustment is not None:
        request.adjustment.CopyFrom(money(body.adjustment))
    return query_json(await support_service(c).ResolveQuery(request, timeout=c.timeout + 10))


@router.post("/queries/{query_id}/reject")
async def reject_query(
    query_id: str, body: RejectionCreate, caller: Principal = Depends(allow(*AGENTS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Close the query without a change, with the reason."""
    query = await support_service(c).RejectQuery(support_pb2.RejectQueryRequest(
        tenant_id=str(caller.tenant_id), query_id=query_id, rejected_by=actor(caller), reason=body.reason),
        timeout=c.timeout)
    return query_json(query)


@router.get("/queries/{query_id}/history")
async def query_history(
    query_id: str, caller: Principal = Depends(allow(Role.AUDITOR, Role.ADMIN)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Every stored event of the query, oldest first, as recorded (its audit trail)."""
    found = await support_service(c).GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(caller.tenant_id), aggregate_type="query", aggregate_id=query_id), timeout=c.timeout)
    return {"aggregate_type": found.aggregate_type, "aggregate_id": found.aggregate_id,
            "events": [{"version": e.version, "type": e.type, "occurred_at": e.occurred_at,
                        "data": json.loads(e.data_json)} for e in found.events]}


@router.get("/support-policy")
async def get_support_policy(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """The tenant's response target for billing queries; until configured, 24 hours (is_default true)."""
    policy = await support_service(c).GetSupportPolicy(support_pb2.GetSupportPolicyRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return jsonable(policy)


@router.put("/support-policy")
async def configure_support_policy(
    body: SupportPolicySet, caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """Set the hours within which staff must first answer a query (queries opened from now on)."""
    policy = await support_service(c).ConfigureSupportPolicy(support_pb2.ConfigureSupportPolicyRequest(
        tenant_id=str(caller.tenant_id), response_target_hours=body.response_target_hours), timeout=c.timeout)
    return jsonable(policy)
