"""Stripe objects (as plain dicts, from ``to_dict()`` or JSON) and errors in the port's terms; no requests."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import stripe

from kernel.money import Money, MoneyError
from services.payment.gateways.minor_units import from_minor_units, to_minor_units
from services.payment.gateways.port import (
    ChargeOutcome,
    ChargeRequest,
    ChargeStatus,
    GatewayEvent,
    GatewayEventKind,
    GatewayRejectedError,
    MethodDetails,
    OutcomeUnknownError,
    PaymentGatewayError,
    RefundOutcome,
)

log = logging.getLogger(__name__)

Json = dict[str, Any]
"""A Stripe object as a plain dict."""

EVENT_KINDS = {
    "payment_intent.succeeded": GatewayEventKind.CHARGE_SUCCEEDED,
    "payment_intent.payment_failed": GatewayEventKind.CHARGE_FAILED,
    "charge.dispute.created": GatewayEventKind.CHARGEBACK,
}
FAILED_INTENT_STATUSES = ("requires_payment_method", "canceled")
THREE_DECIMAL_CURRENCIES = ("BHD", "KWD", "TND", "JOD", "OMR")
"""Stripe takes these in thousandths but only in multiples of ten."""


def metadata(request: ChargeRequest) -> dict[str, str]:
    """What a PaymentIntent carries back to us in lookups and webhooks."""
    return {"tenant_id": str(request.tenant_id), "payment_id": str(request.payment_id),
            "account_id": str(request.account_id)}


def stripe_amount(amount: Money) -> int:
    """The amount in the currency's smallest unit, as Stripe accepts it."""
    units = to_minor_units(amount)
    if amount.currency in THREE_DECIMAL_CURRENCIES and units % 10:
        raise GatewayRejectedError("invalid_amount", f"Stripe takes {amount.currency} in steps of 0.010")
    return units


def search_query(request: ChargeRequest) -> str:
    """Stripe Search Query Language: this tenant's PaymentIntent for this payment."""
    return (f"metadata['payment_id']:'{request.payment_id}' AND "
            f"metadata['tenant_id']:'{request.tenant_id}'")


def intent_outcome(intent: Json) -> ChargeOutcome:
    """A PaymentIntent as a charge outcome."""
    status = intent.get("status")
    if status == "succeeded":
        return ChargeOutcome(ChargeStatus.SUCCEEDED, intent["id"])
    if status in FAILED_INTENT_STATUSES:
        return ChargeOutcome(ChargeStatus.FAILED, intent["id"], failure_reason=intent_failure(intent))
    return ChargeOutcome(ChargeStatus.PENDING, intent["id"], action_url=redirect_url(intent))


def intent_failure(intent: Json) -> str:
    """Why a PaymentIntent failed: the decline code, else the error code, else how it ended."""
    error = intent.get("last_payment_error") or {}
    if error.get("decline_code") or error.get("code"):
        return str(error.get("decline_code") or error.get("code"))
    if intent.get("status") == "canceled":
        return str(intent.get("cancellation_reason") or "canceled")
    return "payment_failed"


def redirect_url(intent: Json) -> str:
    """Where the customer completes authentication, when Stripe asks for a redirect."""
    action = intent.get("next_action") or {}
    redirect = action.get("redirect_to_url") or {}
    return str(redirect.get("url") or "")


def declined_outcome(error: stripe.CardError) -> ChargeOutcome:
    """A card error on confirmation: the PaymentIntent failed (and exists, to be looked up)."""
    body = error.json_body if isinstance(error.json_body, dict) else {}
    details = body.get("error") or {}
    intent = details.get("payment_intent") or {}
    reason = details.get("decline_code") or error.code or "card_error"
    return ChargeOutcome(ChargeStatus.FAILED, str(intent.get("id") or ""), failure_reason=str(reason))


def refund_outcome(refund: Json) -> RefundOutcome:
    """A Stripe Refund as a refund outcome."""
    status = refund.get("status")
    if status == "succeeded":
        return RefundOutcome(ChargeStatus.SUCCEEDED, refund["id"])
    if status in ("failed", "canceled"):
        return RefundOutcome(ChargeStatus.FAILED, refund["id"],
                             failure_reason=str(refund.get("failure_reason") or status))
    return RefundOutcome(ChargeStatus.PENDING, refund["id"])


def method_details(token: str, method: Json) -> MethodDetails:
    """Brand, last four digits and expiry of a PaymentMethod (non-card methods: their type, no expiry)."""
    kind = str(method.get("type") or "")
    card = method.get("card")
    if card:
        return MethodDetails(token, str(card["brand"]), str(card["last4"]),
                             int(card["exp_month"]), int(card["exp_year"]))
    details = method.get(kind) or {}
    return MethodDetails(token, kind, str(details.get("last4") or ""), 0, 0)


def translated(error: stripe.StripeError) -> PaymentGatewayError:
    """A Stripe error in the port's terms: refused (nothing happened) or outcome unknown."""
    if isinstance(error, stripe.IdempotencyError):
        return GatewayRejectedError("idempotency_key_reused", error.user_message or "")
    if isinstance(error, stripe.InvalidRequestError):
        return GatewayRejectedError(rejection_reason(error), error.user_message or "")
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        log.error("Stripe refused our credentials: %s", error.user_message)
        return GatewayRejectedError("psp_authentication_failed", error.user_message or "")
    return OutcomeUnknownError(f"Stripe: {type(error).__name__}: {error.user_message}")


def rejection_reason(error: stripe.InvalidRequestError) -> str:
    """The machine-readable reason of a refused request."""
    if error.code == "resource_missing" and error.param == "payment_method":
        return "unknown_token"
    return error.code or "invalid_request"


def event_owner(intent: Json) -> tuple[UUID, UUID] | None:
    """The tenant and payment a PaymentIntent's metadata names; None when it is not ours."""
    found = intent.get("metadata") or {}
    try:
        return UUID(found["tenant_id"]), UUID(found["payment_id"])
    except (KeyError, TypeError, ValueError):
        return None


def intent_event(event_id: str, kind: GatewayEventKind, intent: Json) -> GatewayEvent | None:
    """A payment_intent.* event as a gateway event; None when the PaymentIntent is not ours."""
    owner = event_owner(intent)
    if owner is None:
        log.warning("Stripe event %s is about a PaymentIntent without our metadata; ignored", event_id)
        return None
    reason = intent_failure(intent) if kind is GatewayEventKind.CHARGE_FAILED else ""
    amount = event_money(intent["amount"], intent["currency"])
    return GatewayEvent(event_id, kind, owner[0], owner[1], intent["id"], amount, failure_reason=reason)


def dispute_event(event_id: str, dispute: Json, intent: Json) -> GatewayEvent | None:
    """A charge.dispute.created event, with the owner read from the disputed PaymentIntent."""
    owner = event_owner(intent)
    if owner is None:
        log.warning("Stripe dispute %s is about a PaymentIntent without our metadata; ignored", dispute["id"])
        return None
    amount = event_money(dispute["amount"], dispute["currency"])
    return GatewayEvent(event_id, GatewayEventKind.CHARGEBACK, owner[0], owner[1], intent["id"], amount,
                        failure_reason=str(dispute.get("reason") or ""))


def event_money(units: object, currency: object) -> Money:
    """An event's amount; one in a currency we do not bill in is not a valid event."""
    try:
        return from_minor_units(int(str(units)), str(currency))
    except (ValueError, MoneyError):
        raise PaymentGatewayError(f"Stripe event amount {units} {currency} is not money we bill in") from None
