"""Resolves account ids through the invoice service over gRPC."""

from __future__ import annotations

from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc


class GrpcAccountResolver:
    """Asks the invoice service which account ids the tenant does not have."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)

    async def unknown_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> set[UUID]:
        if not account_ids:
            return set()
        response = await self.stub.GetRatingContext(invoice_pb2.GetRatingContextRequest(
            tenant_id=str(tenant_id), account_ids=sorted(str(a) for a in account_ids),
        ), timeout=30)
        return {UUID(account_id) for account_id in response.unknown_account_ids}
