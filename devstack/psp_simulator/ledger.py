"""The simulated PSP's books: charges, refunds and chargebacks, and the rules a real PSP applies."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

CURRENCY_PLACES = {"JPY": 0, "KRW": 0, "CLP": 0, "BHD": 3, "KWD": 3, "TND": 3}
"""Decimal places of the currencies that do not have two."""


class Behaviour(StrEnum):
    """What the simulated PSP does with a charge on a test token."""

    SUCCEED = "succeed"
    DECLINE = "decline"
    TIMEOUT = "timeout"
    LOST = "lost"
    LATE = "late"
    THREE_DS = "3ds"


@dataclass(frozen=True)
class SimulatedCard:
    """A test token: how it behaves and what it shows (brand and last four digits only)."""

    behaviour: Behaviour
    brand: str
    last4: str
    decline_code: str = ""


CARDS: dict[str, SimulatedCard] = {
    "tok_visa": SimulatedCard(Behaviour.SUCCEED, "visa", "4242"),
    "tok_mastercard": SimulatedCard(Behaviour.SUCCEED, "mastercard", "4444"),
    "tok_decline": SimulatedCard(Behaviour.DECLINE, "visa", "0002", "card_declined"),
    "tok_insufficient_funds": SimulatedCard(Behaviour.DECLINE, "visa", "9995", "insufficient_funds"),
    "tok_timeout": SimulatedCard(Behaviour.TIMEOUT, "visa", "0077"),
    "tok_lost": SimulatedCard(Behaviour.LOST, "visa", "0119"),
    "tok_late": SimulatedCard(Behaviour.LATE, "visa", "0341"),
    "tok_3ds": SimulatedCard(Behaviour.THREE_DS, "visa", "3220"),
}
CARD_EXPIRY = (12, 2034)


class PspError(Exception):
    """The simulated PSP refuses a request: an HTTP status and a machine-readable code."""

    def __init__(self, status: int, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.status = status
        self.code = code
        self.message = message or code


def new_ref(prefix: str) -> str:
    """A PSP-style id such as ch_sim_3f9a..."""
    return f"{prefix}_sim_{secrets.token_hex(12)}"


def parse_amount(text: object, currency: str) -> Decimal:
    """A positive decimal amount exact to the currency's minor unit."""
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        raise PspError(400, "invalid_amount", f"not a decimal amount: {text!r}") from None
    places = CURRENCY_PLACES.get(currency, 2)
    if not amount.is_finite() or amount <= 0 or amount != round(amount, places):
        raise PspError(400, "invalid_amount", f"{text} {currency} is not a chargeable amount")
    return amount


def check_currency(text: str) -> str:
    """A three-letter currency code, upper case."""
    if len(text) != 3 or not text.isalpha():
        raise PspError(400, "invalid_currency", f"not a currency code: {text!r}")
    return text.upper()


@dataclass
class Refund:
    """Money given back from a charge."""

    id: str
    refund_id: str
    amount: Decimal
    status: str = "succeeded"

    def to_json(self, charge: Charge) -> dict[str, Any]:
        """The refund as the API answers it."""
        return {"id": self.id, "object": "refund", "charge": charge.id, "status": self.status,
                "amount": str(self.amount), "currency": charge.currency, "refund_id": self.refund_id}


@dataclass
class Charge:
    """One charge, created once per idempotency key."""

    id: str
    idempotency_key: str
    token: str
    amount: Decimal
    currency: str
    metadata: dict[str, str]
    description: str
    status: str
    failure_reason: str = ""
    action_url: str = ""
    created: int = field(default_factory=lambda: int(time.time()))
    refunds: dict[str, Refund] = field(default_factory=dict)
    charged_back: Decimal = Decimal(0)

    @property
    def refunded(self) -> Decimal:
        """The total of the refunds."""
        return sum((refund.amount for refund in self.refunds.values()), Decimal(0))

    def same_request(self, token: str, amount: Decimal, currency: str) -> bool:
        """True when a replayed request asks for the very same charge."""
        return (self.token, self.amount, self.currency) == (token, amount, currency)

    def to_json(self) -> dict[str, Any]:
        """The charge as the API answers it (the token id, never card data)."""
        return {
            "id": self.id, "object": "charge", "status": self.status, "amount": str(self.amount),
            "currency": self.currency, "amount_refunded": str(self.refunded),
            "amount_charged_back": str(self.charged_back), "payment_method": self.token,
            "failure_reason": self.failure_reason, "action_url": self.action_url,
            "description": self.description, "metadata": dict(self.metadata), "created": self.created,
        }


def event(kind: str, charge: Charge, **extra: Any) -> dict[str, Any]:
    """A webhook event about a charge."""
    return {"id": new_ref("evt"), "object": "event", "type": kind, "created": int(time.time()),
            "data": {"object": charge.to_json(), **extra}}


class Ledger:
    """Every charge the simulated PSP knows, by id and by idempotency key."""

    def __init__(self) -> None:
        self.charges: dict[str, Charge] = {}
        self.by_key: dict[str, Charge] = {}

    def replay(self, key: str, token: str, amount: Decimal, currency: str) -> Charge | None:
        """The charge a key already created, if any; the same key for another charge is refused."""
        charge = self.by_key.get(key)
        if charge is not None and not charge.same_request(token, amount, currency):
            raise PspError(400, "idempotency_key_reused",
                           "this idempotency key was used with other parameters")
        return charge

    def create(self, key: str, card: SimulatedCard, token: str, amount: Decimal, currency: str,
               metadata: dict[str, str], description: str, base_url: str) -> Charge:
        """Record a new charge in the state its token leads to at once (base_url: the simulator's)."""
        charge = Charge(new_ref("ch"), key, token, amount, currency, metadata, description, "succeeded")
        if card.behaviour is Behaviour.DECLINE:
            charge.status, charge.failure_reason = "failed", card.decline_code
        elif card.behaviour in (Behaviour.LATE, Behaviour.THREE_DS):
            charge.status = "pending"
        if card.behaviour is Behaviour.THREE_DS:
            charge.action_url = f"{base_url}/3ds/{charge.id}"
        self.charges[charge.id] = charge
        self.by_key[key] = charge
        return charge

    def get(self, charge_id: str) -> Charge:
        """A charge by id."""
        try:
            return self.charges[charge_id]
        except KeyError:
            raise PspError(404, "unknown_charge", f"no charge {charge_id}") from None

    def search(self, metadata: dict[str, str]) -> list[Charge]:
        """The charges whose metadata contains every given pair."""
        return [charge for charge in self.charges.values()
                if all(charge.metadata.get(key) == value for key, value in metadata.items())]

    def settle(self, charge_id: str, succeeded: bool, failure_reason: str = "") -> dict[str, Any]:
        """A pending charge succeeds or fails; returns the webhook event telling so."""
        charge = self.get(charge_id)
        if charge.status != "pending":
            raise PspError(409, "charge_not_pending", f"charge {charge_id} is {charge.status}")
        charge.status = "succeeded" if succeeded else "failed"
        charge.failure_reason = "" if succeeded else failure_reason
        return event("charge.succeeded" if succeeded else "charge.failed", charge)

    def complete_3ds(self, charge_id: str, result: str) -> dict[str, Any]:
        """The customer finished (or failed) authentication of a 3-D Secure charge."""
        charge = self.get(charge_id)
        if not charge.action_url:
            raise PspError(409, "not_a_3ds_charge", f"charge {charge_id} needs no authentication")
        if result not in ("succeed", "fail"):
            raise PspError(400, "invalid_result", "result is 'succeed' or 'fail'")
        return self.settle(charge_id, result == "succeed", "authentication_failed")

    def refund(self, charge_id: str, refund_id: str, amount: Decimal, currency: str) -> Refund:
        """Give back part or all of a succeeded charge, once per refund id."""
        charge = self.get(charge_id)
        if currency != charge.currency:
            raise PspError(400, "currency_mismatch", f"the charge is in {charge.currency}")
        existing = charge.refunds.get(refund_id)
        if existing is not None:
            if existing.amount != amount:
                raise PspError(400, "idempotency_key_reused", "this refund id was used for another amount")
            return existing
        if charge.status != "succeeded":
            raise PspError(400, "charge_not_refundable", f"charge {charge_id} is {charge.status}")
        if amount > charge.amount - charge.refunded - charge.charged_back:
            raise PspError(400, "amount_too_large", "more than the charge's unrefunded amount")
        refund = Refund(new_ref("re"), refund_id, amount)
        charge.refunds[refund_id] = refund
        return refund

    def chargeback(self, charge_id: str, amount_text: object | None) -> dict[str, Any]:
        """The card holder's bank takes money back; returns the webhook event telling so."""
        charge = self.get(charge_id)
        if charge.status != "succeeded":
            raise PspError(409, "charge_not_succeeded", f"charge {charge_id} is {charge.status}")
        remaining = charge.amount - charge.refunded - charge.charged_back
        amount = remaining if amount_text is None else parse_amount(amount_text, charge.currency)
        if amount <= 0 or amount > remaining:
            raise PspError(400, "amount_too_large", "more than what is left of the charge")
        charge.charged_back += amount
        return event("charge.chargeback", charge, chargeback={
            "id": new_ref("cb"), "amount": str(amount), "currency": charge.currency})
