"""Stripe webhooks: recorded event bodies signed as Stripe signs them, valid and tampered."""

from __future__ import annotations

import hashlib
import hmac
import time
from uuid import UUID

import pytest

from kernel.money import Money
from services.payment.gateways.port import GatewayEvent, GatewayEventKind, WebhookSignatureError
from services.payment.gateways.stripe_gateway import StripeGateway
from tests.unit.payment.gateways.recorded_stripe import (
    INTENT_ID,
    PAYLOADS,
    PAYMENT_ID,
    TENANT_ID,
    Exchange,
    RecordedStripe,
)

SECRET = "whsec_test_5f1c0b8e2d7a4c3b9e6f1a2d8c4b7e0f"


def recorded_event(name: str) -> bytes:
    """A recorded webhook body, byte for byte."""
    return (PAYLOADS / f"{name}.json").read_bytes()


def stripe_signature(body: bytes, secret: str = SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>."""
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def gateway(*exchanges: Exchange) -> tuple[StripeGateway, RecordedStripe]:
    """A Stripe adapter with the test signing secret."""
    recorded = RecordedStripe(exchanges)
    return StripeGateway("sk_test_recorded", SECRET, 3.0, http_client=recorded), recorded


async def test_a_succeeded_intent_is_a_charge_succeeded_event_of_our_payment() -> None:
    body = recorded_event("event_payment_intent_succeeded")
    adapter, _ = gateway()
    event = await adapter.parse_webhook(body, {"Stripe-Signature": stripe_signature(body)})
    assert event == GatewayEvent("evt_3QxR2aLkdIwHu7ix0pW2nXq4", GatewayEventKind.CHARGE_SUCCEEDED,
                                 UUID(TENANT_ID), UUID(PAYMENT_ID), INTENT_ID, Money.of("42.50", "EUR"))


async def test_a_failed_intent_carries_the_decline_code() -> None:
    body = recorded_event("event_payment_intent_payment_failed")
    adapter, _ = gateway()
    event = await adapter.parse_webhook(body, {"stripe-signature": stripe_signature(body)})
    assert event is not None
    assert (event.kind, event.failure_reason) == (GatewayEventKind.CHARGE_FAILED, "insufficient_funds")


async def test_a_dispute_is_a_chargeback_of_the_payment_named_by_its_payment_intent() -> None:
    body = recorded_event("event_charge_dispute_created")
    adapter, stripe_api = gateway(
        Exchange("get", f"/v1/payment_intents/{INTENT_ID}", "payment_intent_succeeded"))
    event = await adapter.parse_webhook(body, {"Stripe-Signature": stripe_signature(body)})
    assert event == GatewayEvent("evt_1QyC7eLkdIwHu7ixdF3qPz6N", GatewayEventKind.CHARGEBACK,
                                 UUID(TENANT_ID), UUID(PAYMENT_ID), INTENT_ID, Money.of("42.50", "EUR"),
                                 failure_reason="fraudulent")
    stripe_api.check_all_sent()


@pytest.mark.parametrize("name", ["event_customer_created", "event_payment_intent_succeeded_foreign"])
async def test_events_we_do_not_act_on_are_none(name: str) -> None:
    body = recorded_event(name)
    adapter, stripe_api = gateway()
    assert await adapter.parse_webhook(body, {"Stripe-Signature": stripe_signature(body)}) is None
    assert stripe_api.sent == []


async def test_a_tampered_body_is_refused() -> None:
    body = recorded_event("event_payment_intent_succeeded")
    tampered = body.replace(b'"amount": 4250', b'"amount": 1')
    assert tampered != body
    adapter, _ = gateway()
    with pytest.raises(WebhookSignatureError):
        await adapter.parse_webhook(tampered, {"Stripe-Signature": stripe_signature(body)})


async def test_a_signature_older_than_five_minutes_is_refused() -> None:
    body = recorded_event("event_payment_intent_succeeded")
    adapter, _ = gateway()
    with pytest.raises(WebhookSignatureError):
        await adapter.parse_webhook(
            body, {"Stripe-Signature": stripe_signature(body, at=int(time.time()) - 301)})


@pytest.mark.parametrize("headers", [
    {}, {"Stripe-Signature": "garbage"}, {"Stripe-Signature": "t=1739532412"},
    {"Stripe-Signature": "t=later,v1=00"},
])
async def test_missing_or_malformed_signatures_are_refused(headers: dict[str, str]) -> None:
    adapter, _ = gateway()
    with pytest.raises(WebhookSignatureError):
        await adapter.parse_webhook(recorded_event("event_payment_intent_succeeded"), headers)


async def test_a_body_signed_with_another_secret_is_refused() -> None:
    body = recorded_event("event_payment_intent_succeeded")
    adapter, _ = gateway()
    with pytest.raises(WebhookSignatureError):
        await adapter.parse_webhook(
            body, {"Stripe-Signature": stripe_signature(body, secret="whsec_someone_else")})
