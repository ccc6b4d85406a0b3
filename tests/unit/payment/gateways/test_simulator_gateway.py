"""The simulator adapter's edges: answers it cannot trust, refusals, and webhook signatures."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from kernel.money import Money
from services.payment.gateways.port import (
    ChargeOutcome,
    ChargeRequest,
    ChargeStatus,
    GatewayEventKind,
    GatewayRejectedError,
    OutcomeUnknownError,
    PaymentGatewayError,
    WebhookSignatureError,
)
from services.payment.gateways.simulator import SimulatorGateway

SECRET = "sim-secret-for-tests"
NOW = 1_767_000_000


def charge_request(card: str = "tok_visa", amount: str = "12.34") -> ChargeRequest:
    """A charge of a random payment with a card token."""
    return ChargeRequest(uuid4(), uuid4(), uuid4(), card, Money.of(amount, "EUR"))


def gateway(answer: Callable[[httpx.Request], httpx.Response]) -> SimulatorGateway:
    """A simulator adapter whose requests the function answers."""
    return SimulatorGateway("http://simulator.test", SECRET, 1.0, clock=lambda: NOW,
                            transport=httpx.MockTransport(answer))


def answering(status: int, body: Any) -> Callable[[httpx.Request], httpx.Response]:
    """Always the same answer."""
    return lambda request: httpx.Response(status, json=body)


def signed(body: bytes, at: int = NOW, secret: str = SECRET) -> dict[str, str]:
    """The Simulator-Signature header of a body."""
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Simulator-Signature": f"t={at},v1={digest}"}


def charge_event(kind: str, metadata: dict[str, str], **extra: Any) -> bytes:
    """A simulator webhook body."""
    charge = {"id": "ch_sim_1", "status": "succeeded", "amount": "12.34", "currency": "EUR",
              "failure_reason": "", "metadata": metadata}
    return json.dumps({"id": "evt_sim_1", "type": kind, "data": {"object": charge, **extra}}).encode()


async def test_the_charge_is_sent_with_its_idempotency_key_and_metadata() -> None:
    seen: list[httpx.Request] = []

    def succeed(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "ch_sim_1", "status": "succeeded"})

    request = charge_request()
    outcome = await gateway(succeed).charge(request)
    assert outcome == ChargeOutcome(ChargeStatus.SUCCEEDED, "ch_sim_1")
    assert seen[0].headers["Idempotency-Key"] == f"{request.tenant_id}:{request.payment_id}"
    sent = json.loads(seen[0].content)
    assert sent["amount"] == "12.34"
    assert sent["metadata"]["payment_id"] == str(request.payment_id)


async def test_a_declined_card_is_a_failed_charge() -> None:
    declined = {"error": {"code": "card_declined", "charge": {
        "id": "ch_sim_2", "status": "failed", "failure_reason": "card_declined"}}}
    outcome = await gateway(answering(402, declined)).charge(charge_request("tok_decline"))
    assert outcome == ChargeOutcome(ChargeStatus.FAILED, "ch_sim_2", failure_reason="card_declined")


@pytest.mark.parametrize(("status", "body"), [
    (500, {"error": {"code": "boom"}}), (503, "busy"), (200, ["not", "an", "object"]),
    (200, {"status": "succeeded"}), (200, {"id": "ch_1", "status": "teleported"}),
])
async def test_answers_that_cannot_be_trusted_leave_the_outcome_unknown(status: int, body: Any) -> None:
    with pytest.raises(OutcomeUnknownError):
        await gateway(answering(status, body)).charge(charge_request())


async def test_a_decline_without_the_charge_is_a_rejection() -> None:
    with pytest.raises(GatewayRejectedError) as refused:
        await gateway(answering(402, {"error": "card"})).charge(charge_request())
    assert refused.value.reason == "rejected"


async def test_a_body_that_is_not_json_leaves_the_outcome_unknown() -> None:
    adapter = gateway(lambda request: httpx.Response(200, content=b"<html>proxy error</html>"))
    with pytest.raises(OutcomeUnknownError):
        await adapter.charge(charge_request())


@pytest.mark.parametrize("error", [httpx.ReadTimeout("slow"), httpx.ConnectError("refused"),
                                   httpx.RemoteProtocolError("reset")])
async def test_transport_errors_leave_the_outcome_unknown(error: httpx.HTTPError) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(OutcomeUnknownError):
        await gateway(fail).charge(charge_request())


async def test_a_refused_request_names_the_reason() -> None:
    adapter = gateway(answering(400, {"error": {"code": "unknown_token", "message": "no such"}}))
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.charge(charge_request("tok_nobody"))
    assert refused.value.reason == "unknown_token"


@pytest.mark.parametrize(("token", "amount", "reason"), [
    ("4111111111111111", "12.34", "invalid_token"), ("tok_visa", "0", "invalid_amount"),
    ("tok_visa", "12.345", "invalid_amount"),
])
async def test_bad_requests_are_refused_before_anything_is_sent(token: str, amount: str,
                                                                reason: str) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    with pytest.raises(GatewayRejectedError) as refused:
        await gateway(unreachable).charge(charge_request(token, amount))
    assert refused.value.reason == reason


async def test_a_charge_found_by_ref_must_be_this_payment() -> None:
    other = {"id": "ch_sim_3", "status": "succeeded", "metadata": {"tenant_id": str(uuid4()),
                                                                    "payment_id": str(uuid4())}}
    with pytest.raises(GatewayRejectedError) as refused:
        await gateway(answering(200, other)).lookup(charge_request(), provider_ref="ch_sim_3")
    assert refused.value.reason == "charge_mismatch"


async def test_a_malformed_payment_method_is_a_gateway_error() -> None:
    with pytest.raises(PaymentGatewayError):
        await gateway(answering(200, {"brand": "visa"})).describe_method("tok_visa")


async def test_a_signed_webhook_becomes_an_event_of_the_payment_in_its_metadata() -> None:
    tenant_id, payment_id = uuid4(), uuid4()
    body = charge_event("charge.succeeded", {"tenant_id": str(tenant_id), "payment_id": str(payment_id)})
    event = await gateway(answering(500, {})).parse_webhook(body, signed(body))
    assert event is not None
    assert (event.kind, event.tenant_id, event.payment_id) == (
        GatewayEventKind.CHARGE_SUCCEEDED, tenant_id, payment_id)
    assert event.amount == Money.of("12.34", "EUR")


async def test_a_chargeback_event_carries_the_amount_taken_back() -> None:
    metadata = {"tenant_id": str(uuid4()), "payment_id": str(uuid4())}
    body = charge_event("charge.chargeback", metadata,
                        chargeback={"id": "cb_1", "amount": "5.00", "currency": "EUR"})
    event = await gateway(answering(500, {})).parse_webhook(body, signed(body))
    assert event is not None
    assert (event.kind, event.amount) == (GatewayEventKind.CHARGEBACK, Money.of("5.00", "EUR"))


@pytest.mark.parametrize("body", [
    charge_event("charge.refunded", {"tenant_id": str(uuid4()), "payment_id": str(uuid4())}),
    charge_event("charge.succeeded", {"order": "web-1"}),
    charge_event("charge.succeeded", {"tenant_id": "not-a-uuid", "payment_id": str(uuid4())}),
])
async def test_events_we_do_not_act_on_are_none(body: bytes) -> None:
    assert await gateway(answering(500, {})).parse_webhook(body, signed(body)) is None


@pytest.mark.parametrize("signature", [
    lambda body: {},
    lambda body: {"Simulator-Signature": "v1=abc"},
    lambda body: {"Simulator-Signature": "t=soon,v1=abc"},
    lambda body: signed(b"{}"),
    lambda body: signed(body, secret="other"),
], ids=["missing", "no-timestamp", "timestamp-not-a-number", "another-body", "another-secret"])
async def test_unverifiable_webhooks_are_refused(signature: Callable[[bytes], dict[str, str]]) -> None:
    body = charge_event("charge.succeeded", {"tenant_id": str(uuid4()), "payment_id": str(uuid4())})
    with pytest.raises(WebhookSignatureError):
        await gateway(answering(500, {})).parse_webhook(body, signature(body))


@pytest.mark.parametrize("age", [301, -301])
async def test_webhooks_signed_more_than_five_minutes_away_are_refused(age: int) -> None:
    body = charge_event("charge.succeeded", {"tenant_id": str(uuid4()), "payment_id": str(UUID(int=1))})
    with pytest.raises(WebhookSignatureError):
        await gateway(answering(500, {})).parse_webhook(body, signed(body, at=NOW - age))


async def test_a_signed_body_that_is_not_an_event_is_refused() -> None:
    body = b'{"hello": "world"}'
    with pytest.raises(WebhookSignatureError):
        await gateway(answering(500, {})).parse_webhook(body, signed(body))
