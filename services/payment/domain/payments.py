"""Payments: money an account sends, by card through a payment gateway or recorded by an operator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import InvalidOperation
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id, new_id
from kernel.money import Money
from services.payment.domain.errors import (
    IdempotencyKeyReusedError,
    InvalidPaymentError,
    NotRefundableError,
    PaymentStateError,
)

CARD = "card"
MANUAL_METHODS = frozenset({"bank_transfer", "cash"})
"""Money an operator records by hand: it arrived outside any payment gateway."""
METHODS = frozenset({CARD, *MANUAL_METHODS})
LEGACY_CARD_METHOD = "card_token"
MAX_TEXT_LENGTH = 200


class PaymentStatus(StrEnum):
    """Where a payment stands."""

    PENDING = "pending"
    UNKNOWN = "unknown"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    CHARGED_BACK = "charged_back"


UNSETTLED = frozenset({PaymentStatus.PENDING, PaymentStatus.UNKNOWN})
"""A charge whose outcome the gateway has not told us yet."""
REFUNDABLE = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED})


def payment_id_for_key(tenant_id: UUID, idempotency_key: str) -> UUID:
    """The one payment an idempotency key can ever record for a tenant."""
    return derived_id(tenant_id, "payment", idempotency_key)


def check_text_fits(field: str, text: str) -> None:
    """Free text is bounded."""
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidPaymentError(field, "too_long")


def check_amount(field: str, amount: Money) -> None:
    """Money moved is positive and counted in the currency's minor unit."""
    if not amount.is_positive:
        raise InvalidPaymentError(field, "must_be_positive")
    try:
        in_minor_units = amount.rounded()
    except InvalidOperation:
        raise InvalidPaymentError(field, "too_large") from None
    if in_minor_units.amount != amount.amount:
        raise InvalidPaymentError(field, "too_many_decimal_places")


@dataclass(frozen=True)
class PaymentRequest:
    """What a client asks for: the parameters an idempotency key stands for."""

    tenant_id: UUID
    account_id: UUID | None
    invoice_id: UUID | None
    amount: Money
    method: str
    reference: str = ""
    idempotency_key: str = ""
    token: str = ""

    @property
    def is_card(self) -> bool:
        """Charged through the payment gateway."""
        return self.method == CARD

    def check(self) -> None:
        """Every rule that needs nothing but the request itself."""
        if self.method not in METHODS:
            raise InvalidPaymentError("method", "unknown_method")
        if self.account_id is None and self.invoice_id is None:
            raise InvalidPaymentError("invoice_id", "account_or_invoice_required")
        check_amount("amount.amount", self.amount)
        check_text_fits("reference", self.reference)
        check_text_fits("idempotency_key", self.idempotency_key)
        if self.is_card and not self.token:
            raise InvalidPaymentError("payment_method", "card_payment_needs_a_payment_method")
        if not self.is_card and self.token:
            raise InvalidPaymentError("payment_method", "only_card_payments_use_a_payment_method")

    def payment_id(self) -> UUID:
        """The key's own id when there is a key (so retries find it), otherwise a fresh one."""
        if self.idempotency_key:
            return payment_id_for_key(self.tenant_id, self.idempotency_key)
        return new_id()


class Payment(TenantAggregate):
    """Money an account sends: pending until the gateway says, then succeeded or failed; refundable."""

    class Recorded(TenantAggregate.Created):
        """The payment was asked for (version 1 recorded manual money that had already arrived)."""

        class_version = 2
        account_id: UUID
        invoice_id: UUID | None
        amount: Money
        method: str
        reference: str
        idempotency_key: str
        token: str
        provider: str
        settled: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 payments were recorded as received, with card gateways not yet wired."""
            if state.get("method") == LEGACY_CARD_METHOD:
                state["method"] = CARD
            state.update(token="", provider="", settled=True)

    @classmethod
    def start(cls, request: PaymentRequest, account_id: UUID, provider: str, payment_id: UUID) -> Payment:
        """A payment as asked for, pending until money is known to have arrived."""
        request.check()
        return cls._create(
            cls.Recorded, id=payment_id, tenant_id=request.tenant_id, account_id=account_id,
            invoice_id=request.invoice_id, amount=request.amount, method=request.method,
            reference=request.reference, idempotency_key=request.idempotency_key,
            token=request.token, provider=provider, settled=False,
        )

    @event(Recorded)
    def __init__(
        self, tenant_id: UUID, account_id: UUID, invoice_id: UUID | None, amount: Money, method: str,
        reference: str, idempotency_key: str, token: str, provider: str, settled: bool,
    ) -> None:
        self.tenant_id = tenant_id
        self.account_id = account_id
        self.invoice_id = invoice_id
        self.amount = amount
        self.method = method
        self.reference = reference
        self.idempotency_key = idempotency_key
        self.token = token
        self.provider = provider
        self.status = PaymentStatus.SUCCEEDED if settled else PaymentStatus.PENDING
        self.provider_ref = ""
        self.failure_reason = ""
        self.action_url = ""
        self.refunded = Money.zero(amount.currency)
        self.refund_ids: list[UUID] = []
        self.gateway_events: list[str] = []

    # --- reading --------------------------------------------------------------------------------

    @property
    def is_unsettled(self) -> bool:
        """The gateway has not told us the outcome yet."""
        return self.status in UNSETTLED

    @property
    def refundable(self) -> Money:
        """What can still be refunded."""
        if self.status not in REFUNDABLE:
            return Money.zero(self.amount.currency)
        return self.amount - self.refunded

    def was_recorded_for(self, request: PaymentRequest, account_id: UUID) -> bool:
        """True when this payment is what the request asks for."""
        return (
            self.belongs_to(request.tenant_id)
            and self.account_id == account_id
            and self.idempotency_key == request.idempotency_key
            and self.invoice_id == request.invoice_id
            and self.amount == request.amount
            and self.method == request.method
            and self.reference == request.reference
            and self.token == request.token
        )

    def check_same_request(self, request: PaymentRequest, account_id: UUID) -> None:
        """A retried idempotency key must ask for the very same payment."""
        if not self.was_recorded_for(request, account_id):
            raise IdempotencyKeyReusedError(request.idempotency_key)

    # --- outcomes -------------------------------------------------------------------------------

    def succeed(self, provider_ref: str = "") -> bool:
        """The money arrived (once; a late confirmation of a known success changes nothing)."""
        if not self.is_unsettled:
            return False
        self._succeeded(account_id=self.account_id, amount=self.amount, method=self.method,
                        invoice_id=self.invoice_id, provider_ref=provider_ref or self.provider_ref)
        return True

    def fail(self, reason: str, provider_ref: str = "") -> bool:
        """The gateway declined, or never received, the charge (once)."""
        if not self.is_unsettled:
            return False
        self._failed(account_id=self.account_id, amount=self.amount, method=self.method,
                     invoice_id=self.invoice_id, reason=reason,
                     provider_ref=provider_ref or self.provider_ref)
        return True

    def await_gateway(self, provider_ref: str, action_url: str = "") -> None:
        """The gateway took the charge but will confirm later (3-D Secure or asynchronous)."""
        if self.status == PaymentStatus.PENDING and provider_ref != self.provider_ref:
            self._awaiting(provider_ref=provider_ref, action_url=action_url)

    def lose_track(self, reason: str) -> None:
        """The gateway did not answer: the charge may or may not exist until we ask again."""
        if self.status == PaymentStatus.PENDING:
            self._outcome_unknown(reason=reason)

    def refund(self, refund_id: UUID, amount: Money, reason: str, provider_ref: str) -> bool:
        """Give money back (once per refund id), never more than is left."""
        if refund_id in self.refund_ids:
            return False
        self.check_refundable(amount)
        self._refunded(refund_id=refund_id, amount=amount, reason=reason, provider_ref=provider_ref)
        return True

    def charge_back(self, amount: Money, gateway_event_id: str) -> bool:
        """The card holder's bank took the money back (once per gateway event)."""
        if gateway_event_id in self.gateway_events:
            return False
        self.check_refundable(amount)
        self._charged_back(amount=amount, gateway_event_id=gateway_event_id)
        return True

    def check_refundable(self, amount: Money) -> None:
        """Refunds go to received money, at most what is left of it."""
        if self.status not in REFUNDABLE:
            raise PaymentStateError(self.id, self.status, "refund it")
        check_amount("amount.amount", amount)
        if amount.currency != self.amount.currency:
            raise InvalidPaymentError("amount.currency", "currency_mismatch")
        if self.refundable < amount:
            raise NotRefundableError(self.id, self.refundable)

    # --- events ---------------------------------------------------------------------------------

    @event("Succeeded")
    def _succeeded(
        self, account_id: UUID, amount: Money, method: str, invoice_id: UUID | None, provider_ref: str
    ) -> None:
        self.status = PaymentStatus.SUCCEEDED
        self.provider_ref = provider_ref
        self.action_url = ""

    @event("Failed")
    def _failed(
        self, account_id: UUID, amount: Money, method: str, invoice_id: UUID | None, reason: str,
        provider_ref: str,
    ) -> None:
        self.status = PaymentStatus.FAILED
        self.failure_reason = reason
        self.provider_ref = provider_ref
        self.action_url = ""

    @event("AwaitingGateway")
    def _awaiting(self, provider_ref: str, action_url: str) -> None:
        self.provider_ref = provider_ref
        self.action_url = action_url

    @event("OutcomeUnknown")
    def _outcome_unknown(self, reason: str) -> None:
        self.status = PaymentStatus.UNKNOWN
        self.failure_reason = reason

    @event("Refunded")
    def _refunded(self, refund_id: UUID, amount: Money, reason: str, provider_ref: str) -> None:
        self.refund_ids.append(refund_id)
        self.refunded = self.refunded + amount
        fully = self.refunded == self.amount
        self.status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED

    @event("ChargedBack")
    def _charged_back(self, amount: Money, gateway_event_id: str) -> None:
        self.gateway_events.append(gateway_event_id)
        self.refunded = self.refunded + amount
        self.status = PaymentStatus.CHARGED_BACK
