"""What the port itself guarantees: tokens only, exact positive amounts, one key per payment."""

from __future__ import annotations

from uuid import uuid4

import pytest

from kernel.money import Money
from services.payment.gateways.port import (
    ChargeRequest,
    GatewayRejectedError,
    charge_idempotency_key,
    check_charge_amount,
    check_refund_amount,
    check_token,
    header,
    looks_like_token,
    token_for_log,
)


@pytest.mark.parametrize("token", ["tok_visa", "pm_1QxR1zLkdIwHu7ixcT9fK2mV", "tok_3ds", "card_1Abc"])
def test_psp_tokens_are_tokens(token: str) -> None:
    assert looks_like_token(token)
    assert token_for_log(token) == token
    check_token(token)


@pytest.mark.parametrize("text", ["4242424242424242", "4242 4242 4242 4242", "", "tok_", "TOK_visa",
                                  "tok_visa;drop", "pm_" + "x" * 200, "tok_4111111111111111",
                                  "pm_card_5555555555554444"])
def test_anything_else_is_refused_and_never_logged(text: str) -> None:
    assert not looks_like_token(text)
    assert token_for_log(text) == "<not-a-token>"
    with pytest.raises(GatewayRejectedError) as refused:
        check_token(text)
    assert refused.value.reason == "invalid_token"


@pytest.mark.parametrize("amount", ["0", "-1.00", "0.001"])
def test_a_charge_is_positive_and_exact_to_the_cent(amount: str) -> None:
    with pytest.raises(GatewayRejectedError):
        check_charge_amount(Money.of(amount, "EUR"))


def test_a_refund_is_in_the_charge_currency() -> None:
    request = ChargeRequest(uuid4(), uuid4(), uuid4(), "tok_visa", Money.of("10.00", "EUR"))
    check_refund_amount(request, Money.of("4.00", "EUR"))
    with pytest.raises(GatewayRejectedError):
        check_refund_amount(request, Money.of("4.00", "USD"))


def test_the_idempotency_key_is_the_tenant_and_the_payment() -> None:
    request = ChargeRequest(uuid4(), uuid4(), uuid4(), "tok_visa", Money.of("10.00", "EUR"))
    assert charge_idempotency_key(request) == f"{request.tenant_id}:{request.payment_id}"


def test_headers_are_found_whatever_their_case() -> None:
    assert header({"stripe-signature": "t=1"}, "Stripe-Signature") == "t=1"
    assert header({}, "Stripe-Signature") == ""
