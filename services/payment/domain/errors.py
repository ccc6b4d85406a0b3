"""Errors of the payment domain: each names what was wrong, so edges map it to one status."""

from __future__ import annotations

from uuid import UUID

from kernel.errors import ConflictError, InvalidInputError, NotFoundError, PreconditionError
from kernel.money import Money


class InvalidPaymentError(InvalidInputError):
    """A field of a payment request is not acceptable."""


class CurrencyMismatchError(InvalidPaymentError):
    """Money in another currency than the account bills in; there is no implicit conversion."""

    def __init__(self, given: str, expected: str) -> None:
        super().__init__("amount.currency",
                         f"currency_mismatch: {given} given, the account bills in {expected}")


class UnknownInvoiceError(NotFoundError):
    """The ledger knows no such invoice of this account."""

    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"invoice {invoice_id} not found")


class InvoiceNotPayableError(PreconditionError):
    """Only an issued invoice takes payments (not a draft or a void one)."""

    def __init__(self, invoice_id: object, status: str) -> None:
        super().__init__(f"invoice {invoice_id} is {status or 'of unknown status'}, not payable")


class NotRefundableError(InvalidPaymentError):
    """A refund or chargeback for more than what is left of a payment."""

    def __init__(self, payment_id: UUID, refundable: Money) -> None:
        super().__init__("amount.amount", f"exceeds_refundable: at most {refundable} of payment "
                                          f"{payment_id} can still be refunded")


class PaymentNotFoundError(NotFoundError):
    """No such payment for this tenant."""

    def __init__(self, payment_id: object) -> None:
        super().__init__(f"payment {payment_id} not found")


class PaymentInProgressError(ConflictError):
    """A card charge for the same invoice is still pending or of unknown outcome."""

    def __init__(self, payment_id: UUID) -> None:
        super().__init__(f"payment {payment_id} for the same invoice is still in progress; "
                         "its outcome must be known before another attempt")
        self.payment_id = payment_id


class IdempotencyKeyReusedError(ConflictError):
    """An idempotency key already recorded a different payment."""

    def __init__(self, idempotency_key: str) -> None:
        super().__init__(f"idempotency key {idempotency_key!r} already recorded another payment")


class PaymentStateError(PreconditionError):
    """The payment is not in a state that allows this (e.g. refunding a failed payment)."""

    def __init__(self, payment_id: UUID, status: str, action: str) -> None:
        super().__init__(f"payment {payment_id} is {status}: cannot {action}")


class NothingDueError(PreconditionError):
    """The invoice has nothing left to pay."""

    def __init__(self, invoice_id: UUID) -> None:
        super().__init__(f"invoice {invoice_id} has nothing left to pay")


class PaymentMethodNotFoundError(NotFoundError):
    """No such stored payment method on this account."""

    def __init__(self, method_id: object) -> None:
        super().__init__(f"payment method {method_id} not found")
