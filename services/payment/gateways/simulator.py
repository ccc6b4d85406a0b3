"""The PSP simulator adapter (devstack/psp_simulator): real HTTP, so timeouts are real."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

import httpx

from kernel.money import Money, MoneyError
from services.payment.gateways.port import (
    WEBHOOK_TOLERANCE_SECONDS,
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
    WebhookSignatureError,
    charge_idempotency_key,
    check_charge_amount,
    check_token,
    header,
    token_for_log,
)

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Simulator-Signature"
EVENT_KINDS = {
    "charge.succeeded": GatewayEventKind.CHARGE_SUCCEEDED,
    "charge.failed": GatewayEventKind.CHARGE_FAILED,
    "charge.chargeback": GatewayEventKind.CHARGEBACK,
}


class SimulatorGateway:
    """Charges, lookups, refunds and webhooks of the PSP simulator."""

    name = "simulator"

    def __init__(self, base_url: str, webhook_secret: str, timeout_seconds: float,
                 clock: Callable[[], float] = time.time,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.webhook_secret = webhook_secret
        self.clock = clock
        self.client = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds, transport=transport)

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        """Take the money once per payment id (the idempotency key)."""
        check_token(request.token)
        check_charge_amount(request.amount)
        body = {"token": request.token, "amount": str(request.amount.amount),
                "currency": request.amount.currency, "description": request.description,
                "metadata": metadata(request)}
        response = await self._send("POST", "/v1/charges", json=body,
                                    headers={"Idempotency-Key": charge_idempotency_key(request)})
        answer = decoded(response)
        declined = declined_charge(response, answer)
        if declined is None:
            check_answer(response, answer)
        outcome = charge_outcome(declined or answer)
        log.info("charge %s with %s: %s", request.payment_id, token_for_log(request.token), outcome.status)
        return outcome

    async def lookup(self, request: ChargeRequest, provider_ref: str = "") -> ChargeOutcome | None:
        """The simulator's view of the payment's charge: by its ref when known, else by metadata."""
        if provider_ref:
            response = await self._send("GET", f"/v1/charges/{provider_ref}")
            answer = decoded(response)
            check_answer(response, answer)
            check_belongs_to(answer, request)
            return charge_outcome(answer)
        response = await self._send("GET", "/v1/charges", params=metadata(request))
        answer = decoded(response)
        check_answer(response, answer)
        found = answer.get("data") or []
        return charge_outcome(found[0]) if found else None

    async def refund(
        self, request: ChargeRequest, provider_ref: str, amount: Money, refund_id: UUID
    ) -> RefundOutcome:
        """Give back (part of) a charge; the same refund_id is the same refund."""
        check_charge_amount(amount)
        body = {"refund_id": str(refund_id), "amount": str(amount.amount), "currency": amount.currency}
        response = await self._send("POST", f"/v1/charges/{provider_ref}/refunds", json=body)
        answer = decoded(response)
        check_answer(response, answer)
        try:
            return RefundOutcome(ChargeStatus(answer["status"]), str(answer["id"]))
        except (KeyError, ValueError):
            raise OutcomeUnknownError("simulator answered a malformed refund") from None

    async def describe_method(self, token: str) -> MethodDetails:
        """Brand, last four digits and expiry of a simulator token."""
        check_token(token)
        response = await self._send("GET", f"/v1/payment_methods/{token}")
        answer = decoded(response)
        check_answer(response, answer)
        try:
            return MethodDetails(token, str(answer["brand"]), str(answer["last4"])[-4:],
                                 int(answer["exp_month"]), int(answer["exp_year"]))
        except (KeyError, ValueError, TypeError):
            raise PaymentGatewayError("simulator answered a malformed payment method") from None

    async def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> GatewayEvent | None:
        """Verify the Simulator-Signature header, then read the event."""
        verify_signature(self.webhook_secret, body, header(headers, SIGNATURE_HEADER), self.clock())
        return gateway_event(body)

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self.client.aclose()

    async def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        """One request; no answer in time or a broken connection means the outcome is unknown."""
        try:
            return await self.client.request(method, path, **options)
        except httpx.HTTPError as error:
            raise OutcomeUnknownError(f"simulator {method} {path}: {type(error).__name__}") from error


def metadata(request: ChargeRequest) -> dict[str, str]:
    """What the charge carries back to us in lookups and webhooks."""
    return {"tenant_id": str(request.tenant_id), "payment_id": str(request.payment_id),
            "account_id": str(request.account_id)}


def decoded(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of an answer; anything else leaves the outcome unknown."""
    try:
        answer = response.json()
    except ValueError:
        raise OutcomeUnknownError(f"simulator answered HTTP {response.status_code} without JSON") from None
    if not isinstance(answer, dict):
        raise OutcomeUnknownError("simulator answered JSON that is not an object")
    return answer


def check_answer(response: httpx.Response, answer: dict[str, Any]) -> None:
    """A 4xx refusal becomes GatewayRejectedError(code); a 5xx leaves the outcome unknown."""
    if response.is_success:
        return
    found = answer.get("error")
    error = found if isinstance(found, dict) else {}
    if response.status_code >= 500:
        raise OutcomeUnknownError(f"simulator HTTP {response.status_code}: {error.get('code', '')}")
    raise GatewayRejectedError(str(error.get("code") or "rejected"), str(error.get("message", "")))


def check_belongs_to(charge: dict[str, Any], request: ChargeRequest) -> None:
    """A charge found by ref must be this tenant's payment."""
    wanted = metadata(request)
    found = charge.get("metadata") or {}
    if any(found.get(key) != wanted[key] for key in ("tenant_id", "payment_id")):
        raise GatewayRejectedError("charge_mismatch", "the charge belongs to another payment")


def declined_charge(response: httpx.Response, answer: dict[str, Any]) -> dict[str, Any] | None:
    """The failed charge a 402 (card declined) answer carries, if it is one."""
    error = answer.get("error")
    if response.status_code != 402 or not isinstance(error, dict):
        return None
    charge = error.get("charge")
    return charge if isinstance(charge, dict) else None


def charge_outcome(charge: dict[str, Any]) -> ChargeOutcome:
    """A simulator charge as the port's outcome; a malformed one leaves the outcome unknown."""
    try:
        return ChargeOutcome(ChargeStatus(charge["status"]), str(charge["id"]),
                             failure_reason=charge.get("failure_reason") or "",
                             action_url=charge.get("action_url") or "")
    except (KeyError, ValueError, TypeError):
        raise OutcomeUnknownError("simulator answered a malformed charge") from None


def verify_signature(secret: str, body: bytes, signature: str, now: float) -> None:
    """Check `t=<unix>,v1=<hex>`: an HMAC-SHA256 of "<t>.<body>", at most 5 minutes old."""
    parts = [item.split("=", 1) for item in signature.split(",") if "=" in item]
    stamps = [value for key, value in parts if key.strip() == "t"]
    digests = [value.strip() for key, value in parts if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not digests:
        raise WebhookSignatureError("missing or malformed Simulator-Signature header")
    timestamp = int(stamps[0])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, digest) for digest in digests):
        raise WebhookSignatureError("signature does not match the body")
    if abs(now - timestamp) > WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookSignatureError("signature timestamp is outside the 5-minute tolerance")


def gateway_event(body: bytes) -> GatewayEvent | None:
    """The port's event from a verified body; None for kinds or charges that are not ours."""
    try:
        event = json.loads(body)
        kind = EVENT_KINDS.get(event["type"])
        charge = event["data"]["object"]
    except (ValueError, KeyError, TypeError):
        raise WebhookSignatureError("the webhook body is not a simulator event") from None
    if kind is None:
        return None
    try:
        tenant_id = UUID(charge["metadata"]["tenant_id"])
        payment_id = UUID(charge["metadata"]["payment_id"])
        amount = event_amount(kind, event["data"])
    except (KeyError, TypeError, ValueError, MoneyError):
        log.warning("webhook %s is about a charge without our metadata; ignored", event.get("id"))
        return None
    return GatewayEvent(event["id"], kind, tenant_id, payment_id, charge["id"], amount,
                        failure_reason=charge.get("failure_reason") or "")


def event_amount(kind: GatewayEventKind, data: dict[str, Any]) -> Money:
    """The charge's amount; for a chargeback, the amount taken back."""
    source = data["chargeback"] if kind is GatewayEventKind.CHARGEBACK else data["object"]
    return Money.of(source["amount"], source["currency"])
