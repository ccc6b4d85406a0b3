"""The support service's gRPC API: protobuf in and out, domain types inside."""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import UUID

import grpc
from billing.common.v1 import common_pb2
from billing.support.v1 import support_pb2, support_pb2_grpc

from kernel.clock import Clock
from kernel.grpc import maps_domain_errors
from kernel.paging import decode_page_token, encode_page_token, page_limit
from kernel.wire import history_to_proto, id_from_wire
from services.support.desk import SupportDesk
from services.support.domain.errors import InvalidQueryError
from services.support.domain.queries import QueryState
from services.support.listing import QueryFilter, QueryList
from services.support.wire import (
    actor_from_proto,
    instant_from_wire,
    optional_id,
    policy_to_proto,
    query_request_from_proto,
    query_to_proto,
    resolution_from_proto,
)

Context = grpc.aio.ServicerContext
QueryReply = support_pb2.Query
STATES = frozenset(state.value for state in QueryState)


def query_of(request: support_pb2.GetQueryRequest | support_pb2.AddCommentRequest
             | support_pb2.AssignQueryRequest | support_pb2.ResolveQueryRequest
             | support_pb2.RejectQueryRequest) -> tuple[UUID, UUID]:
    """The tenant and query a request names."""
    return id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.query_id, "query_id")


def filter_from_proto(request: support_pb2.ListQueriesRequest, now: datetime) -> QueryFilter:
    """The list filters of a request."""
    unknown = [state for state in request.states if state not in STATES]
    if unknown:
        raise InvalidQueryError("states", f"unknown_state: {unknown[0]}")
    return QueryFilter(
        tenant_id=id_from_wire(request.tenant_id, "tenant_id"),
        account_id=optional_id(request.account_id, "account_id"),
        invoice_id=optional_id(request.invoice_id, "invoice_id"),
        states=tuple(request.states), assignee=request.assignee or None,
        overdue_at=now if request.overdue_only else None,
    )


class SupportServicer(support_pb2_grpc.SupportServiceServicer):
    """Billing queries and support policies over gRPC."""

    def __init__(self, desk: SupportDesk, listing: QueryList, clock: Clock) -> None:
        self.desk = desk
        self.listing = listing
        self.clock = clock

    @maps_domain_errors
    async def OpenQuery(self, request: support_pb2.OpenQueryRequest, context: Context) -> QueryReply:
        query = await self.desk.open(query_request_from_proto(request))
        return query_to_proto(query, self.clock.now())

    @maps_domain_errors
    async def GetQuery(self, request: support_pb2.GetQueryRequest, context: Context) -> QueryReply:
        return query_to_proto(await self.desk.get(*query_of(request)), self.clock.now())

    @maps_domain_errors
    async def ListQueries(
        self, request: support_pb2.ListQueriesRequest, context: Context
    ) -> support_pb2.ListQueriesResponse:
        now = instant_from_wire(request.as_of, "as_of") or self.clock.now()
        which = filter_from_proto(request, now)
        limit = page_limit(request.page_size)
        after = decode_page_token(request.page_token, (datetime.fromisoformat, UUID))
        keys = await self.listing.page(which, limit, (after[0], after[1]) if after else None)
        queries = await self.desk.get_many(which.tenant_id, [query_id for _, query_id in keys])
        token = encode_page_token([keys[-1][0].isoformat(), keys[-1][1]]) if len(keys) == limit else ""
        return support_pb2.ListQueriesResponse(
            queries=[query_to_proto(query, now, with_comments=False) for query in queries],
            next_page_token=token)

    @maps_domain_errors
    async def AddComment(self, request: support_pb2.AddCommentRequest, context: Context) -> QueryReply:
        query = await self.desk.comment(*query_of(request), actor_from_proto(request.author), request.body)
        return query_to_proto(query, self.clock.now())

    @maps_domain_errors
    async def AskCustomer(self, request: support_pb2.AddCommentRequest, context: Context) -> QueryReply:
        author = actor_from_proto(request.author)
        query = await self.desk.ask_customer(*query_of(request), author, request.body)
        return query_to_proto(query, self.clock.now())

    @maps_domain_errors
    async def AssignQuery(self, request: support_pb2.AssignQueryRequest, context: Context) -> QueryReply:
        query = await self.desk.assign(*query_of(request), actor_from_proto(request.assigned_by),
                                       request.assignee)
        return query_to_proto(query, self.clock.now())

    @maps_domain_errors
    async def ResolveQuery(
        self, request: support_pb2.ResolveQueryRequest, context: Context
    ) -> QueryReply:
        query = await self.desk.resolve(*query_of(request), resolution_from_proto(request))
        return query_to_proto(query, self.clock.now())

    @maps_domain_errors
    async def RejectQuery(self, request: support_pb2.RejectQueryRequest, context: Context) -> QueryReply:
        rejected_by = actor_from_proto(request.rejected_by)
        query = await self.desk.reject(*query_of(request), rejected_by, request.reason)
        return query_to_proto(query, self.clock.now())

    @maps_domain_errors
    async def ConfigureSupportPolicy(
        self, request: support_pb2.ConfigureSupportPolicyRequest, context: Context
    ) -> support_pb2.SupportPolicy:
        policy = await self.desk.configure_policy(id_from_wire(request.tenant_id, "tenant_id"),
                                                  request.response_target_hours)
        return policy_to_proto(policy)

    @maps_domain_errors
    async def GetSupportPolicy(
        self, request: support_pb2.GetSupportPolicyRequest, context: Context
    ) -> support_pb2.SupportPolicy:
        return policy_to_proto(await self.desk.policy(id_from_wire(request.tenant_id, "tenant_id")))

    @maps_domain_errors
    async def GetHistory(self, request: common_pb2.GetHistoryRequest, context: Context) -> common_pb2.History:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        aggregate_id = id_from_wire(request.aggregate_id, "aggregate_id")
        events = await asyncio.to_thread(
            self.desk.app.history, tenant_id, request.aggregate_type, aggregate_id)
        return history_to_proto(request.aggregate_type, aggregate_id, events)
