"""Port adapter: billing queries from the support service over gRPC."""

from __future__ import annotations

from uuid import UUID

import grpc
from billing.support.v1 import support_pb2, support_pb2_grpc

from services.notify.domain import QueryNotFoundError, SupportUnavailableError
from services.notify.invoices import CALL_TIMEOUT_SECONDS, ask
from services.notify.sources import QuerySummary


def query_from_proto(message: support_pb2.Query) -> QuerySummary:
    """The parts of a wire query an email tells."""
    return QuerySummary(
        query_id=UUID(message.query_id), account_id=UUID(message.account_id),
        invoice_id=UUID(message.invoice_id) if message.invoice_id else None,
        subject=message.subject,
    )


class GrpcQuerySource:
    """Asks the support service's GetQuery."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = support_pb2_grpc.SupportServiceStub(channel)

    async def get_query(self, tenant_id: UUID, query_id: UUID) -> QuerySummary:
        """The query: its account, its invoice (if any) and its subject."""
        request = support_pb2.GetQueryRequest(tenant_id=str(tenant_id), query_id=str(query_id))
        answer = await ask(lambda: self.stub.GetQuery(request, timeout=CALL_TIMEOUT_SECONDS),
                           QueryNotFoundError(query_id), SupportUnavailableError)
        return query_from_proto(answer)
