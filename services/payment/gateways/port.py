"""The payment-gateway port: what the payment service asks of a payment service provider (PSP).

Card data never crosses this port: a charge names a PSP token (``tok_...``, ``pm_...``),
and a payment method is described by brand, last four digits and expiry only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from kernel.money import Money

TOKEN_PATTERN = re.compile(r"[a-z]{2,8}_[A-Za-z0-9_]{1,120}")
"""A PSP token: a short lowercase prefix, an underscore, then an id."""

CARD_NUMBER_LIKE = re.compile(r"\d{12,}")
"""Twelve digits in a row could be a card number (12 to 19 digits): never a token."""

WEBHOOK_TOLERANCE_SECONDS = 300
"""Webhooks signed longer ago than this are refused (replay protection)."""


class ChargeStatus(StrEnum):
    """Where a charge (or a refund) stands at the PSP."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"


@dataclass(frozen=True)
class ChargeRequest:
    """One attempt to take money with a stored payment method."""

    tenant_id: UUID
    payment_id: UUID
    account_id: UUID
    token: str
    amount: Money
    description: str = ""


@dataclass(frozen=True)
class ChargeOutcome:
    """The PSP's answer about a charge."""

    status: ChargeStatus
    provider_ref: str
    failure_reason: str = ""
    action_url: str = ""


@dataclass(frozen=True)
class RefundOutcome:
    """The PSP's answer about a refund."""

    status: ChargeStatus
    provider_ref: str
    failure_reason: str = ""


@dataclass(frozen=True)
class MethodDetails:
    """What may be shown of a stored payment method: never more than the last four digits."""

    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


class GatewayEventKind(StrEnum):
    """The PSP notifications the payment service acts on."""

    CHARGE_SUCCEEDED = "charge_succeeded"
    CHARGE_FAILED = "charge_failed"
    CHARGEBACK = "chargeback"


@dataclass(frozen=True)
class GatewayEvent:
    """A verified PSP notification about one of our charges."""

    event_id: str
    kind: GatewayEventKind
    tenant_id: UUID
    payment_id: UUID
    provider_ref: str
    amount: Money
    failure_reason: str = ""


class PaymentGatewayError(Exception):
    """The PSP could not do what was asked."""


class OutcomeUnknownError(PaymentGatewayError):
    """No answer in time, or the connection broke after the request went out: the charge may exist."""


class GatewayRejectedError(PaymentGatewayError):
    """The PSP refused the request itself (unknown token, invalid amount): nothing was charged."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class WebhookSignatureError(PaymentGatewayError):
    """A webhook whose signature, timestamp (older than 5 minutes) or body does not verify."""


class PaymentGateway(Protocol):
    """A payment service provider, as the payment service uses it."""

    name: str

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        """Take the money; OutcomeUnknownError on timeout, GatewayRejectedError when refused."""
        ...

    async def lookup(self, request: ChargeRequest, provider_ref: str = "") -> ChargeOutcome | None:
        """The PSP's current view of this payment's charge; None when the PSP never received it."""
        ...

    async def refund(
        self, request: ChargeRequest, provider_ref: str, amount: Money, refund_id: UUID
    ) -> RefundOutcome:
        """Give back (part of) a charge, once per refund_id."""
        ...

    async def describe_method(self, token: str) -> MethodDetails:
        """Brand, last four digits and expiry of a token; GatewayRejectedError('unknown_token')."""
        ...

    async def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> GatewayEvent | None:
        """Verify and read a notification; None for kinds we do not act on."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def charge_idempotency_key(request: ChargeRequest) -> str:
    """The key that makes a charge happen once, however often it is sent."""
    return f"{request.tenant_id}:{request.payment_id}"


def looks_like_token(text: str) -> bool:
    """True for a PSP token id; false for anything else, card numbers included."""
    return TOKEN_PATTERN.fullmatch(text) is not None and CARD_NUMBER_LIKE.search(text) is None


def token_for_log(token: str) -> str:
    """The token when it is a token id; a placeholder otherwise, so nothing else reaches a log."""
    return token if looks_like_token(token) else "<not-a-token>"


def check_token(token: str) -> None:
    """Refuse, before any request goes out, what is not a token id."""
    if not looks_like_token(token):
        raise GatewayRejectedError("invalid_token", "not a payment-method token")


def check_charge_amount(amount: Money) -> None:
    """A charge is positive and exact to the currency's minor unit."""
    if not amount.is_positive:
        raise GatewayRejectedError("invalid_amount", "must be positive")
    if amount.rounded() != amount:
        raise GatewayRejectedError("invalid_amount", f"{amount} is finer than the currency's minor unit")


def header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, whatever the case of its name; empty when absent."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), "")


def check_refund_amount(request: ChargeRequest, amount: Money) -> None:
    """A refund is a positive exact amount in the charge's currency."""
    if amount.currency != request.amount.currency:
        raise GatewayRejectedError("currency_mismatch", f"the charge is in {request.amount.currency}")
    check_charge_amount(amount)
