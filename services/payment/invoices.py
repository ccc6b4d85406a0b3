"""The invoice service over gRPC: the adapter behind the InvoiceLookup port."""

from __future__ import annotations

from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.money import Money
from services.payment.application import InvoiceServiceUnavailableError
from services.payment.domain.payments import InvoiceDue, InvoiceNotFoundError


class GrpcInvoiceLookup:
    """Asks the invoice service's GetInvoice, with a deadline."""

    def __init__(self, channel: grpc.aio.Channel, timeout_seconds: float = 5.0) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.timeout_seconds = timeout_seconds

    async def invoice_due(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceDue:
        """The tenant's invoice as the invoice service reports it."""
        request = invoice_pb2.GetInvoiceRequest(
            tenant_id=str(tenant_id), invoice_id=str(invoice_id)
        )
        try:
            reply = await self.stub.GetInvoice(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                raise InvoiceNotFoundError(invoice_id) from None
            raise InvoiceServiceUnavailableError(
                f"GetInvoice failed: {error.code().name} {error.details()}"
            ) from error
        return invoice_due_from_proto(invoice_id, reply)


def invoice_due_from_proto(invoice_id: UUID, reply: invoice_pb2.Invoice) -> InvoiceDue:
    """The invoice service's answer as a domain value; nonsense means the service is broken."""
    try:
        return InvoiceDue(
            invoice_id=invoice_id,
            account_id=UUID(reply.account_id),
            status=reply.status,
            amount_due=Money.of(reply.amount_due.amount, reply.amount_due.currency),
        )
    except ValueError as error:
        raise InvoiceServiceUnavailableError(f"malformed invoice {invoice_id}: {error}") from error
