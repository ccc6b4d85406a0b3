"""The payment application: record payments against invoices and read them back."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from kernel.eventstore import BillingApplication
from services.payment.domain.payments import (
    InvalidPaymentError,
    InvoiceDue,
    Payment,
    PaymentNotFoundError,
    PaymentRequest,
    payment_id_for_key,
)

AGGREGATE_TYPE = "payment"


class InvoiceServiceUnavailableError(Exception):
    """The invoice service could not be asked: down, too slow, or answering nonsense."""


class InvoiceLookup(Protocol):
    """Port: what the invoice service says an invoice is and still owes."""

    async def invoice_due(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceDue:
        """The tenant's invoice; InvoiceNotFoundError or InvoiceServiceUnavailableError if not."""
        ...


class PaymentApplication(BillingApplication):
    """Payments, stored as events (synchronous: call it from asyncio through a thread)."""

    def find_payment(self, tenant_id: UUID, payment_id: UUID) -> Payment | None:
        """The tenant's payment, or None (another tenant's payment is None too)."""
        try:
            payment: Any = self.repository.get(payment_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(payment, Payment) or not payment.belongs_to(tenant_id):
            return None
        return payment

    def get_payment(self, tenant_id: UUID, payment_id: UUID) -> Payment:
        """The tenant's payment."""
        payment = self.find_payment(tenant_id, payment_id)
        if payment is None:
            raise PaymentNotFoundError(payment_id)
        return payment

    def payment_already_recorded(self, request: PaymentRequest) -> Payment | None:
        """The payment the request's idempotency key recorded before, if it did."""
        if not request.idempotency_key:
            return None
        payment = self.find_payment(
            request.tenant_id, payment_id_for_key(request.tenant_id, request.idempotency_key)
        )
        if payment is not None:
            payment.check_same_request(request)
        return payment

    def record_payment(self, request: PaymentRequest, invoice: InvoiceDue) -> Payment:
        """Record a payment; when a concurrent save won the same key, return its payment."""
        payment = Payment.record(request, invoice)
        try:
            self.save(payment)
        except IntegrityError:
            recorded = self.payment_already_recorded(request)
            if recorded is None:
                raise
            return recorded
        return payment

    def history(self, tenant_id: UUID, aggregate_type: str, aggregate_id: UUID) -> list[Any]:
        """A payment's events, oldest first, for auditors."""
        if aggregate_type != AGGREGATE_TYPE:
            raise InvalidPaymentError("aggregate_type", "unknown_aggregate_type")
        self.get_payment(tenant_id, aggregate_id)
        return list(self.events.get(aggregate_id))


class RecordPayment:
    """Use case: record a payment once per idempotency key, against an invoice that can take it."""

    def __init__(self, app: PaymentApplication, invoices: InvoiceLookup) -> None:
        self.app = app
        self.invoices = invoices

    async def __call__(self, request: PaymentRequest) -> Payment:
        """The payment recorded for the request (the earlier one when the key was used before)."""
        request.check()
        recorded = await asyncio.to_thread(self.app.payment_already_recorded, request)
        if recorded is not None:
            return recorded
        invoice = await self.invoices.invoice_due(request.tenant_id, request.invoice_id)
        return await asyncio.to_thread(self.app.record_payment, request, invoice)
