"""Payments: money received against a finalized invoice, recorded once per idempotency key."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import InvalidOperation
from uuid import UUID

from eventsourcing.domain import event

from kernel.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PreconditionError,
)
from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id, new_id
from kernel.money import Money

METHODS = frozenset({"bank_transfer", "cash", "card_token"})
"""How money can reach the operator (card payments arrive as gateway tokens, never numbers)."""

PAYABLE_STATUSES = ("finalized", "issued", "partially_paid", "overdue")
SUCCEEDED = "succeeded"
MAX_TEXT_LENGTH = 200


class InvalidPaymentError(InvalidInputError):
    """A field of a payment request is not acceptable."""


class PaymentNotFoundError(NotFoundError):
    """No such payment for this tenant."""

    def __init__(self, payment_id: object) -> None:
        super().__init__(f"payment {payment_id} not found")


class InvoiceNotFoundError(NotFoundError):
    """The invoice service knows no such invoice for this tenant."""

    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"invoice {invoice_id} not found")


class InvoiceNotPayableError(PreconditionError):
    """Only a finalized invoice takes payments (not a draft, a paid or a void one)."""

    def __init__(self, invoice_id: object, status: str) -> None:
        super().__init__(f"invoice {invoice_id} is {status or 'of unknown status'}, not payable")


class IdempotencyKeyReusedError(ConflictError):
    """An idempotency key already recorded a different payment."""

    def __init__(self, idempotency_key: str) -> None:
        super().__init__(f"idempotency key {idempotency_key!r} already recorded another payment")


def payment_id_for_key(tenant_id: UUID, idempotency_key: str) -> UUID:
    """The one payment an idempotency key can ever record for a tenant."""
    return derived_id(tenant_id, "payment", idempotency_key)


@dataclass(frozen=True)
class PaymentRequest:
    """What a client asks to record: the parameters an idempotency key stands for."""

    tenant_id: UUID
    invoice_id: UUID
    amount: Money
    method: str
    reference: str = ""
    idempotency_key: str = ""

    def check(self) -> None:
        """Every rule that needs nothing but the request itself."""
        self.check_method_is_known()
        self.check_amount_is_positive()
        self.check_amount_fits_minor_unit()
        check_text_fits("reference", self.reference)
        check_text_fits("idempotency_key", self.idempotency_key)

    def check_method_is_known(self) -> None:
        """Money comes by bank transfer, in cash or as a card gateway token."""
        if self.method not in METHODS:
            raise InvalidPaymentError("method", "unknown_method")

    def check_amount_is_positive(self) -> None:
        """A payment brings money in; refunds are not payments."""
        if not self.amount.is_positive:
            raise InvalidPaymentError("amount.amount", "must_be_positive")

    def check_amount_fits_minor_unit(self) -> None:
        """Money received is counted in the currency's minor unit (no fractions of a cent)."""
        try:
            in_minor_units = self.amount.rounded()
        except InvalidOperation:
            raise InvalidPaymentError("amount.amount", "too_large") from None
        if in_minor_units.amount != self.amount.amount:
            raise InvalidPaymentError("amount.amount", "too_many_decimal_places")


def check_text_fits(field: str, text: str) -> None:
    """Free text is bounded."""
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidPaymentError(field, "too_long")


@dataclass(frozen=True)
class InvoiceDue:
    """An invoice as the invoice service reports it: whose it is, its status, what is still due."""

    invoice_id: UUID
    account_id: UUID
    status: str
    amount_due: Money

    def check_accepts(self, amount: Money) -> None:
        """The invoice can take this payment in full."""
        self.check_is_payable()
        self.check_currency_of(amount)
        self.check_covers(amount)

    def check_is_payable(self) -> None:
        """Only a finalized invoice with something still due takes payments."""
        if self.status not in PAYABLE_STATUSES:
            raise InvoiceNotPayableError(self.invoice_id, self.status)

    def check_currency_of(self, amount: Money) -> None:
        """No implicit currency conversion."""
        if amount.currency != self.amount_due.currency:
            raise InvalidPaymentError("amount.currency", "currency_mismatch")

    def check_covers(self, amount: Money) -> None:
        """No overpayment: a payment is at most what is still due."""
        if not amount <= self.amount_due:
            raise InvalidPaymentError("amount.amount", "exceeds_amount_due")


class Payment(TenantAggregate):
    """Money received against one invoice of one account."""

    @staticmethod
    def create_id(tenant_id: UUID, idempotency_key: str) -> UUID:
        """The key's own id when there is a key (so retries find it), otherwise a fresh one."""
        if idempotency_key:
            return payment_id_for_key(tenant_id, idempotency_key)
        return new_id()

    @classmethod
    def record(cls, request: PaymentRequest, invoice: InvoiceDue) -> Payment:
        """Record the payment a request asks for, in minor units, if the invoice can take it."""
        request.check()
        invoice.check_accepts(request.amount)
        return cls(
            tenant_id=request.tenant_id,
            invoice_id=request.invoice_id,
            account_id=invoice.account_id,
            amount=request.amount.rounded(),
            method=request.method,
            reference=request.reference,
            idempotency_key=request.idempotency_key,
        )

    @event("Recorded")
    def __init__(
        self,
        tenant_id: UUID,
        invoice_id: UUID,
        account_id: UUID,
        amount: Money,
        method: str,
        reference: str,
        idempotency_key: str,
    ) -> None:
        self.tenant_id = tenant_id
        self.invoice_id = invoice_id
        self.account_id = account_id
        self.amount = amount
        self.method = method
        self.reference = reference
        self.idempotency_key = idempotency_key
        self.status = SUCCEEDED

    def check_same_request(self, request: PaymentRequest) -> None:
        """A retried idempotency key must ask for the very same payment."""
        if not self.was_recorded_for(request):
            raise IdempotencyKeyReusedError(request.idempotency_key)

    def was_recorded_for(self, request: PaymentRequest) -> bool:
        """True when this payment is what the request asks for."""
        return (
            self.belongs_to(request.tenant_id)
            and self.idempotency_key == request.idempotency_key
            and self.invoice_id == request.invoice_id
            and self.amount == request.amount
            and self.method == request.method
            and self.reference == request.reference
        )
