"""The support service over gRPC against real PostgreSQL and NATS (invoice facts from a double)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from uuid import uuid4

import grpc
import pytest
from billing.common.v1 import common_pb2
from billing.support.v1 import support_pb2

from kernel.grpc import field_violation
from tests.integration.support.invoice_double import money
from tests.integration.support.support_stack import NOW, SupportStack, running_support

AGENT = support_pb2.Actor(role="support", id="agent-key-1")


@pytest.fixture
async def stack(database_url: str, nats_url: str) -> AsyncIterator[SupportStack]:
    async with running_support(database_url, nats_url) as started:
        yield started


async def refused(call: object, code: grpc.StatusCode, field: str | None = None) -> grpc.aio.AioRpcError:
    """The call failed with the code, naming the field when given."""
    with pytest.raises(grpc.aio.AioRpcError) as failure:
        await call  # type: ignore[misc]
    assert failure.value.code() is code, failure.value.details()
    if field is not None:
        assert (field_violation(failure.value) or {}).get("field") == field, failure.value.details()
    return failure.value


async def listed(stack: SupportStack, tenant: object, **filters: Any) -> list[str]:
    """Ids of the tenant's queries the filters list, newest first."""
    reply = await stack.support.ListQueries(support_pb2.ListQueriesRequest(tenant_id=str(tenant), **filters))
    return [q.query_id for q in reply.queries]


async def test_a_line_dispute_opens_once_per_request_id_and_is_published(stack: SupportStack) -> None:
    tenant = uuid4()
    account = stack.invoices.add_account(tenant)
    invoice = stack.invoices.add_invoice(tenant, account)
    subscription = await stack.js.subscribe("events.support.Query.Opened", stream="EVENTS")
    request = support_pb2.OpenQueryRequest(
        tenant_id=str(tenant), request_id="ticket-1", opened_by=stack.customer(account), account_id=account,
        invoice_id=invoice.invoice_id, line_index=1, category="usage_not_made", subject="Calls I never made",
        body="I was abroad.", disputed_amount=money("4.00"))
    query = await stack.support.OpenQuery(request)
    assert (query.state, query.line_index, query.disputed_amount.amount) == ("open", 1, "4.00")
    assert query.respond_by == (NOW + timedelta(hours=24)).isoformat()
    assert (await stack.support.OpenQuery(request)).query_id == query.query_id
    request.body = "Something else entirely."
    await refused(stack.support.OpenQuery(request), grpc.StatusCode.ALREADY_EXISTS)

    envelope = json.loads((await subscription.next_msg(timeout=10)).data)
    assert (envelope["type"], envelope["aggregate_id"], envelope["tenant_id"]) == (
        "Query.Opened", query.query_id, str(tenant))
    assert envelope["data"]["disputed_amount"] == {"amount": "4.00", "currency": "GBP"}
    assert envelope["data"]["invoice_id"] == invoice.invoice_id
    await subscription.unsubscribe()


async def test_bad_openings_are_refused_naming_the_field_and_write_nothing(stack: SupportStack) -> None:
    tenant = uuid4()
    account = stack.invoices.add_account(tenant)
    invoice = stack.invoices.add_invoice(tenant, account).invoice_id
    other_account = stack.invoices.add_account(tenant)
    other_invoice = stack.invoices.add_invoice(tenant, other_account).invoice_id
    draft = stack.invoices.add_invoice(tenant, account, status="draft").invoice_id
    invalid = grpc.StatusCode.INVALID_ARGUMENT
    await refused(stack.open(tenant, account, category="rude"), invalid, "category")
    await refused(stack.open(tenant, account, body="x" * 10_001), invalid, "body")
    await refused(stack.open(tenant, account, invoice_id=invoice, line_index=7), invalid, "line_index")
    await refused(stack.open(tenant, account, invoice_id=invoice, line_index=1, disputed_amount="10.01"),
                  invalid, "disputed_amount.amount")
    await refused(stack.open(tenant, account, invoice_id=invoice, disputed_amount="36.01"),
                  invalid, "disputed_amount.amount")
    await refused(stack.open(tenant, account, invoice_id=invoice, disputed_amount="1.001"),
                  invalid, "disputed_amount.amount")
    await refused(stack.open(tenant, account, disputed_amount="1.00"), invalid, "disputed_amount")
    await refused(stack.open(tenant, account, invoice_id=invoice, disputed_amount="-1.00"),
                  invalid, "disputed_amount.amount")
    await refused(stack.open(tenant, account, invoice_id=draft, disputed_amount="1.00"),
                  grpc.StatusCode.FAILED_PRECONDITION)
    await refused(stack.open(tenant, account, invoice_id=other_invoice), grpc.StatusCode.NOT_FOUND)
    await refused(stack.open(tenant, account, opened_by=stack.customer(other_account)),
                  grpc.StatusCode.NOT_FOUND)
    await refused(stack.open(uuid4(), account), grpc.StatusCode.NOT_FOUND)
    assert await listed(stack, tenant) == []


async def test_a_thread_from_question_to_reply_to_rejection_then_closed_to_every_write(
    stack: SupportStack,
) -> None:
    tenant = uuid4()
    account = stack.invoices.add_account(tenant)
    query = await stack.open(tenant, account)
    ids: dict[str, Any] = {"tenant_id": str(tenant), "query_id": query.query_id}
    stack.clock.advance(timedelta(hours=2))
    asked = await stack.support.AskCustomer(support_pb2.AddCommentRequest(
        **ids, author=AGENT, body="Did you add a second line?"))
    answered_at = (NOW + timedelta(hours=2)).isoformat()
    assert (asked.state, asked.first_response_at) == ("awaiting_customer", answered_at)
    replied = await stack.support.AddComment(support_pb2.AddCommentRequest(
        **ids, author=stack.customer(account), body="Yes, for my daughter."))
    assert replied.state == "open"
    assigned = await stack.support.AssignQuery(support_pb2.AssignQueryRequest(
        **ids, assigned_by=AGENT, assignee="agent-7"))
    assert assigned.assignee == "agent-7"
    await refused(stack.support.AddComment(support_pb2.AddCommentRequest(
        **ids, author=stack.customer(str(uuid4())), body="Me too")), grpc.StatusCode.NOT_FOUND)
    await refused(stack.support.AskCustomer(support_pb2.AddCommentRequest(
        **ids, author=stack.customer(account), body="?")), grpc.StatusCode.INVALID_ARGUMENT, "author.role")
    rejected = await stack.support.RejectQuery(support_pb2.RejectQueryRequest(
        **ids, rejected_by=AGENT, reason="The second line explains the increase."))
    assert (rejected.state, rejected.outcome.kind, rejected.outcome.decided_by.id) == (
        "rejected", "rejected", "agent-key-1")

    closed = grpc.StatusCode.FAILED_PRECONDITION
    await refused(stack.support.AddComment(support_pb2.AddCommentRequest(
        **ids, author=stack.customer(account), body="But why?")), closed)
    await refused(stack.support.AssignQuery(support_pb2.AssignQueryRequest(
        **ids, assigned_by=AGENT, assignee="agent-8")), closed)
    await refused(stack.support.ResolveQuery(support_pb2.ResolveQueryRequest(
        **ids, resolved_by=AGENT, outcome="explained", note="Again.")), closed)
    await refused(stack.support.RejectQuery(support_pb2.RejectQueryRequest(
        **ids, rejected_by=AGENT, reason="Again.")), closed)
    await refused(stack.support.AddComment(support_pb2.AddCommentRequest(
        tenant_id=str(uuid4()), query_id=query.query_id, author=AGENT, body="Hello")),
        grpc.StatusCode.NOT_FOUND)

    history = await stack.support.GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(tenant), aggregate_type="query", aggregate_id=query.query_id))
    assert [e.type for e in history.events] == [
        "Query.Opened", "Query.CustomerAsked", "Query.Commented", "Query.Assigned", "Query.Rejected"]
    await refused(stack.support.GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(uuid4()), aggregate_type="query", aggregate_id=query.query_id)),
        grpc.StatusCode.NOT_FOUND)
    await refused(stack.support.GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(tenant), aggregate_type="ledger", aggregate_id=query.query_id)),
        grpc.StatusCode.INVALID_ARGUMENT, "aggregate_type")


async def test_resolving_needs_the_outcome_its_fields_and_staff(stack: SupportStack) -> None:
    tenant = uuid4()
    account = stack.invoices.add_account(tenant)
    query = await stack.open(tenant, account)
    ids: dict[str, Any] = {"tenant_id": str(tenant), "query_id": query.query_id}
    invalid = grpc.StatusCode.INVALID_ARGUMENT
    await refused(stack.support.ResolveQuery(support_pb2.ResolveQueryRequest(
        **ids, resolved_by=AGENT, outcome="credit_note", note="Refund",
        credit_lines=[support_pb2.CreditedLine(line_index=0, amount=money("1.00"))])), invalid, "outcome")
    await refused(stack.support.ResolveQuery(support_pb2.ResolveQueryRequest(
        **ids, resolved_by=AGENT, outcome="adjustment", note="Goodwill")), invalid, "adjustment")
    await refused(stack.support.ResolveQuery(support_pb2.ResolveQueryRequest(
        **ids, resolved_by=AGENT, outcome="adjustment", note="Goodwill", adjustment=money("-1.00", "EUR"))),
        invalid, "adjustment.currency")
    await refused(stack.support.ResolveQuery(support_pb2.ResolveQueryRequest(
        **ids, resolved_by=stack.customer(account), outcome="explained", note="Self-service")),
        invalid, "resolved_by.role")
    resolved = await stack.support.ResolveQuery(support_pb2.ResolveQueryRequest(
        **ids, resolved_by=AGENT, outcome="explained", note="Your plan changed on the 1st."))
    assert (resolved.state, resolved.outcome.kind, resolved.outcome.note) == (
        "resolved", "explained", "Your plan changed on the 1st.")
    assert not resolved.outcome.HasField("amount")


async def test_lists_filter_page_newest_first_and_find_overdue_queries(stack: SupportStack) -> None:
    tenant = uuid4()
    first, second = stack.invoices.add_account(tenant), stack.invoices.add_account(tenant)
    await stack.support.ConfigureSupportPolicy(support_pb2.ConfigureSupportPolicyRequest(
        tenant_id=str(tenant), response_target_hours=4))
    opened = []
    for n in range(5):
        stack.clock.advance(timedelta(minutes=10))
        opened.append((await stack.open(tenant, first if n % 2 == 0 else second)).query_id)
    newest_first = list(reversed(opened))
    assert await listed(stack, tenant) == newest_first
    assert await listed(stack, tenant, account_id=second) == [opened[3], opened[1]]
    page = await stack.support.ListQueries(support_pb2.ListQueriesRequest(tenant_id=str(tenant), page_size=2))
    pages = [q.query_id for q in page.queries]
    assert [(len(q.comments), q.comment_count) for q in page.queries] == [(0, 1), (0, 1)]
    while page.next_page_token:
        page = await stack.support.ListQueries(support_pb2.ListQueriesRequest(
            tenant_id=str(tenant), page_size=2, page_token=page.next_page_token))
        pages += [q.query_id for q in page.queries]
    assert pages == newest_first

    ids: dict[str, Any] = {"tenant_id": str(tenant), "query_id": opened[0]}
    await stack.support.AssignQuery(support_pb2.AssignQueryRequest(
        **ids, assigned_by=AGENT, assignee="agent-7"))
    await stack.support.AddComment(support_pb2.AddCommentRequest(**ids, author=AGENT, body="On it."))
    assert await listed(stack, tenant, assignee="agent-7") == [opened[0]]
    assert await listed(stack, tenant, overdue_only=True) == []
    stack.clock.advance(timedelta(hours=4))
    assert await listed(stack, tenant, overdue_only=True) == newest_first[1:4]
    later = (stack.clock.now() - timedelta(hours=4, minutes=25)).isoformat()
    assert await listed(stack, tenant, overdue_only=True, as_of=later) == []
    overdue = await stack.support.GetQuery(support_pb2.GetQueryRequest(
        tenant_id=str(tenant), query_id=opened[1]))
    assert overdue.overdue
    await stack.support.RejectQuery(support_pb2.RejectQueryRequest(
        tenant_id=str(tenant), query_id=opened[1], rejected_by=AGENT, reason="Duplicate."))
    assert await listed(stack, tenant, states=["rejected"]) == [opened[1]]
    assert opened[1] not in await listed(stack, tenant, overdue_only=True)
    assert await listed(stack, uuid4()) == []
    await refused(stack.support.ListQueries(support_pb2.ListQueriesRequest(
        tenant_id=str(tenant), states=["lost"])), grpc.StatusCode.INVALID_ARGUMENT, "states")
    await refused(stack.support.ListQueries(support_pb2.ListQueriesRequest(
        tenant_id=str(tenant), page_token="nonsense")), grpc.StatusCode.INVALID_ARGUMENT, "page_token")


async def test_the_support_policy_defaults_to_24_hours_until_configured(stack: SupportStack) -> None:
    tenant = str(uuid4())
    default = await stack.support.GetSupportPolicy(support_pb2.GetSupportPolicyRequest(tenant_id=tenant))
    assert (default.response_target_hours, default.is_default) == (24, True)
    for hours in (0, 721):
        await refused(stack.support.ConfigureSupportPolicy(support_pb2.ConfigureSupportPolicyRequest(
            tenant_id=tenant, response_target_hours=hours)), grpc.StatusCode.INVALID_ARGUMENT,
            "response_target_hours")
    configured = await stack.support.ConfigureSupportPolicy(support_pb2.ConfigureSupportPolicyRequest(
        tenant_id=tenant, response_target_hours=8))
    assert (configured.response_target_hours, configured.is_default) == (8, False)
    again = await stack.support.GetSupportPolicy(support_pb2.GetSupportPolicyRequest(tenant_id=tenant))
    assert again == configured
