"""The payment service's gRPC API: protobuf in and out, domain types inside."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import grpc
from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2, payment_pb2_grpc

from kernel.grpc import maps_domain_errors
from kernel.wire import history_to_proto, id_from_wire, money_from_proto, money_to_proto
from services.payment.application import (
    InvoiceLookup,
    InvoiceServiceUnavailableError,
    PaymentApplication,
    RecordPayment,
)
from services.payment.domain.payments import Payment, PaymentRequest

log = logging.getLogger(__name__)


def nothing_to_do() -> None:
    """A save hook that does nothing."""


class PaymentServicer(payment_pb2_grpc.PaymentServiceServicer):
    """Records and reads payments; on_saved is told after each successful save."""

    def __init__(
        self,
        app: PaymentApplication,
        invoices: InvoiceLookup,
        on_saved: Callable[[], None] = nothing_to_do,
    ) -> None:
        self.app = app
        self.record_payment = RecordPayment(app, invoices)
        self.on_saved = on_saved

    @maps_domain_errors
    async def RecordPayment(
        self, request: payment_pb2.RecordPaymentRequest, context: grpc.aio.ServicerContext
    ) -> payment_pb2.Payment:
        """Record a payment; the same idempotency key returns the same payment."""
        command = payment_request_from_proto(request)
        try:
            payment = await self.record_payment(command)
        except InvoiceServiceUnavailableError as error:
            log.warning("invoice lookup failed: %s", error)
            await context.abort(grpc.StatusCode.UNAVAILABLE, "invoice service unavailable")
        self.on_saved()
        return payment_to_proto(payment)

    @maps_domain_errors
    async def GetPayment(
        self, request: payment_pb2.GetPaymentRequest, context: grpc.aio.ServicerContext
    ) -> payment_pb2.Payment:
        """The tenant's payment."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        payment_id = id_from_wire(request.payment_id, "payment_id")
        payment = await asyncio.to_thread(self.app.get_payment, tenant_id, payment_id)
        return payment_to_proto(payment)

    @maps_domain_errors
    async def GetHistory(
        self, request: common_pb2.GetHistoryRequest, context: grpc.aio.ServicerContext
    ) -> common_pb2.History:
        """A payment's stored events, for auditors."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        aggregate_id = id_from_wire(request.aggregate_id, "aggregate_id")
        events = await asyncio.to_thread(
            self.app.history, tenant_id, request.aggregate_type, aggregate_id
        )
        return history_to_proto(request.aggregate_type, aggregate_id, events)


def payment_request_from_proto(request: payment_pb2.RecordPaymentRequest) -> PaymentRequest:
    """A RecordPayment request as a domain request (ids and money parsed, fields named)."""
    return PaymentRequest(
        tenant_id=id_from_wire(request.tenant_id, "tenant_id"),
        invoice_id=id_from_wire(request.invoice_id, "invoice_id"),
        amount=money_from_proto(request.amount, "amount"),
        method=request.method,
        reference=request.reference,
        idempotency_key=request.idempotency_key,
    )


def payment_to_proto(payment: Payment) -> payment_pb2.Payment:
    """A payment on the wire."""
    return payment_pb2.Payment(
        payment_id=str(payment.id),
        invoice_id=str(payment.invoice_id),
        account_id=str(payment.account_id),
        amount=money_to_proto(payment.amount),
        status=payment.status,
        method=payment.method,
        reference=payment.reference,
    )
