"""Port adapter for reading invoices from the invoice service over gRPC."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.money import Money
from services.notify.domain import InvoiceDocument, InvoiceLine, InvoiceNotFoundError

CALL_TIMEOUT_SECONDS = 10.0


def invoice_from_proto(message: invoice_pb2.Invoice) -> InvoiceDocument:
    """The parts of a wire invoice that notify needs."""
    return InvoiceDocument(
        invoice_id=UUID(message.invoice_id),
        number=message.number,
        account_name=message.account_name,
        billing_email=message.billing_email,
        period_start=date.fromisoformat(message.period_start),
        period_end=date.fromisoformat(message.period_end),
        lines=tuple(
            InvoiceLine(
                description=line.description,
                quantity=Decimal(line.quantity or "0"),
                unit=line.unit,
                amount=Money.of(line.amount.amount, line.amount.currency),
            )
            for line in message.lines
        ),
        total=Money.of(message.total.amount, message.total.currency),
        amount_due=Money.of(message.amount_due.amount, message.amount_due.currency),
    )


class GrpcInvoiceSource:
    """Asks the invoice service's GetInvoice."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)

    async def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceDocument:
        """The tenant's invoice; NOT_FOUND becomes InvoiceNotFoundError, other errors propagate."""
        try:
            response = await self.stub.GetInvoice(
                invoice_pb2.GetInvoiceRequest(tenant_id=str(tenant_id), invoice_id=str(invoice_id)),
                timeout=CALL_TIMEOUT_SECONDS,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                raise InvoiceNotFoundError(invoice_id) from None
            raise
        return invoice_from_proto(response)
