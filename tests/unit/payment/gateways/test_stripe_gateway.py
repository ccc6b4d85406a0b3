"""The Stripe adapter against recorded Stripe answers, parsed by the real stripe library."""

from __future__ import annotations

from uuid import UUID

import httpx
import pytest
import stripe

from kernel.money import Money
from services.payment.gateways.port import (
    ChargeOutcome,
    ChargeRequest,
    ChargeStatus,
    GatewayRejectedError,
    MethodDetails,
    OutcomeUnknownError,
    RefundOutcome,
)
from services.payment.gateways.stripe_gateway import StripeGateway
from tests.unit.payment.gateways.recorded_stripe import (
    ACCOUNT_ID,
    CUSTOMER_ID,
    INTENT_ID,
    METHOD_ID,
    PAYMENT_ID,
    TENANT_ID,
    Exchange,
    RecordedStripe,
)

KEY = f"{TENANT_ID}:{PAYMENT_ID}"
REFUND_ID = UUID("5d2e8f14-7a3b-4c6d-9e1f-2b8a4c6d0e73")
METHOD = Exchange("get", f"/v1/payment_methods/{METHOD_ID}", "payment_method_card")
CREATE = "/v1/payment_intents"


def charge_request(amount: str = "42.50", currency: str = "EUR", token: str = METHOD_ID) -> ChargeRequest:
    """The payment the recorded payloads were made for."""
    return ChargeRequest(UUID(TENANT_ID), UUID(PAYMENT_ID), UUID(ACCOUNT_ID), token,
                         Money.of(amount, currency), "Invoice INV-2025-000142")


def gateway(*exchanges: Exchange, return_url: str = "") -> tuple[StripeGateway, RecordedStripe]:
    """A Stripe adapter whose HTTP client answers the recorded exchanges in order."""
    recorded = RecordedStripe(exchanges)
    return StripeGateway("sk_test_recorded", "whsec_recorded", 3.0, return_url, recorded), recorded


async def test_a_confirmed_intent_is_a_succeeded_charge_sent_with_our_metadata_and_key() -> None:
    adapter, stripe_api = gateway(METHOD, Exchange("post", CREATE, "payment_intent_succeeded", params={
        "amount": "4250", "currency": "eur", "payment_method": METHOD_ID, "customer": CUSTOMER_ID,
        "confirm": "true", "off_session": "true", "metadata[tenant_id]": TENANT_ID,
        "metadata[payment_id]": PAYMENT_ID, "metadata[account_id]": ACCOUNT_ID,
        "automatic_payment_methods[enabled]": "true", "automatic_payment_methods[allow_redirects]": "never",
        "description": "Invoice INV-2025-000142"}, idempotency_key=KEY))
    outcome = await adapter.charge(charge_request())
    assert outcome == ChargeOutcome(ChargeStatus.SUCCEEDED, INTENT_ID)
    stripe_api.check_all_sent()


async def test_zero_decimal_currencies_are_sent_in_whole_units() -> None:
    adapter, stripe_api = gateway(METHOD, Exchange("post", CREATE, "payment_intent_succeeded",
                                                   params={"amount": "5000", "currency": "jpy"}))
    await adapter.charge(charge_request("5000", "JPY"))
    stripe_api.check_all_sent()


async def test_three_decimal_currencies_are_sent_in_thousandths() -> None:
    adapter, stripe_api = gateway(METHOD, Exchange("post", CREATE, "payment_intent_succeeded",
                                                   params={"amount": "12340", "currency": "kwd"}))
    await adapter.charge(charge_request("12.340", "KWD"))
    stripe_api.check_all_sent()


@pytest.mark.parametrize(("amount", "currency"), [("12.345", "KWD"), ("10.001", "EUR"), ("0", "EUR"),
                                                  ("-5.00", "EUR"), ("1.5", "JPY")])
async def test_amounts_stripe_cannot_take_are_refused_before_any_request(amount: str, currency: str) -> None:
    adapter, stripe_api = gateway()
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.charge(charge_request(amount, currency))
    assert refused.value.reason == "invalid_amount"
    assert stripe_api.sent == []


async def test_a_card_number_is_never_sent_as_a_token() -> None:
    adapter, stripe_api = gateway()
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.charge(charge_request(token="4242424242424242"))
    assert refused.value.reason == "invalid_token"
    assert stripe_api.sent == []


async def test_requires_action_is_pending_with_the_redirect_to_complete_3ds() -> None:
    adapter, _ = gateway(METHOD, Exchange("post", CREATE, "payment_intent_requires_action", params={
        "return_url": "https://billing.example.net/payments/return"}), return_url=(
        "https://billing.example.net/payments/return"))
    outcome = await adapter.charge(charge_request())
    assert outcome.status is ChargeStatus.PENDING
    assert outcome.action_url.startswith("https://hooks.stripe.com/3d_secure_2/hosted?")


async def test_processing_is_pending_without_an_action() -> None:
    adapter, _ = gateway(METHOD, Exchange("post", CREATE, "payment_intent_processing"))
    assert await adapter.charge(charge_request()) == ChargeOutcome(ChargeStatus.PENDING, INTENT_ID)


async def test_a_card_error_is_a_failed_charge_with_the_decline_code() -> None:
    adapter, _ = gateway(METHOD, Exchange("post", CREATE, "card_error_insufficient_funds", 402))
    outcome = await adapter.charge(charge_request())
    assert outcome == ChargeOutcome(ChargeStatus.FAILED, "pi_3QxR4cLkdIwHu7ix1gk0Rw7S",
                                    failure_reason="insufficient_funds")


async def test_an_unknown_payment_method_is_rejected_without_creating_an_intent() -> None:
    adapter, stripe_api = gateway(Exchange("get", f"/v1/payment_methods/{METHOD_ID}",
                                           "payment_method_missing", 404))
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.charge(charge_request())
    assert refused.value.reason == "unknown_token"
    stripe_api.check_all_sent()


@pytest.mark.parametrize(("answer", "status", "reason"), [
    ("invalid_request_amount_too_small", 400, "amount_too_small"),
    ("idempotency_error", 400, "idempotency_key_reused"),
    ("authentication_error", 401, "psp_authentication_failed"),
])
async def test_requests_stripe_refuses_are_rejected_with_the_reason(answer: str, status: int,
                                                                   reason: str) -> None:
    adapter, _ = gateway(METHOD, Exchange("post", CREATE, answer, status))
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.charge(charge_request())
    assert refused.value.reason == reason


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_a_stripe_server_error_or_rate_limit_leaves_the_outcome_unknown(status: int) -> None:
    adapter, _ = gateway(METHOD, Exchange("post", CREATE, "api_error", status))
    with pytest.raises(OutcomeUnknownError):
        await adapter.charge(charge_request())


async def test_a_broken_connection_leaves_the_outcome_unknown() -> None:
    broken = stripe.APIConnectionError("Network error: A ReadTimeout was raised", should_retry=True)
    adapter, _ = gateway(METHOD, Exchange("post", CREATE, raises=broken))
    with pytest.raises(OutcomeUnknownError):
        await adapter.charge(charge_request())


async def test_an_httpx_timeout_in_the_default_client_leaves_the_outcome_unknown() -> None:
    def time_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    adapter = StripeGateway("sk_test_recorded", "whsec_recorded", 0.5)
    assert isinstance(adapter.http_client, stripe.HTTPXClient)
    adapter.http_client._client_async = httpx.AsyncClient(transport=httpx.MockTransport(time_out))
    with pytest.raises(OutcomeUnknownError):
        await adapter.charge(charge_request())
    await adapter.close()


async def test_lookup_searches_by_our_metadata() -> None:
    query = f"metadata['payment_id']:'{PAYMENT_ID}' AND metadata['tenant_id']:'{TENANT_ID}'"
    adapter, stripe_api = gateway(Exchange("get", "/v1/payment_intents/search", "payment_intent_search",
                                           params={"query": query}))
    assert await adapter.lookup(charge_request()) == ChargeOutcome(ChargeStatus.SUCCEEDED, INTENT_ID)
    stripe_api.check_all_sent()


async def test_lookup_of_a_payment_stripe_never_received_is_none() -> None:
    adapter, _ = gateway(Exchange("get", "/v1/payment_intents/search", "payment_intent_search_empty"))
    assert await adapter.lookup(charge_request()) is None


async def test_lookup_by_ref_retrieves_the_intent_and_checks_it_is_this_payment() -> None:
    adapter, _ = gateway(Exchange("get", f"/v1/payment_intents/{INTENT_ID}", "payment_intent_succeeded"))
    outcome = await adapter.lookup(charge_request(), provider_ref=INTENT_ID)
    assert outcome == ChargeOutcome(ChargeStatus.SUCCEEDED, INTENT_ID)
    other_payment = ChargeRequest(UUID(TENANT_ID), UUID(ACCOUNT_ID), UUID(ACCOUNT_ID), METHOD_ID,
                                  Money.of("42.50", "EUR"))
    adapter, _ = gateway(Exchange("get", f"/v1/payment_intents/{INTENT_ID}", "payment_intent_succeeded"))
    with pytest.raises(GatewayRejectedError):
        await adapter.lookup(other_payment, provider_ref=INTENT_ID)


async def test_refund_is_sent_in_minor_units_with_the_refund_id_as_idempotency_key() -> None:
    adapter, stripe_api = gateway(Exchange("post", "/v1/refunds", "refund_succeeded", params={
        "payment_intent": INTENT_ID, "amount": "1000", "metadata[refund_id]": str(REFUND_ID)},
        idempotency_key=str(REFUND_ID)))
    outcome = await adapter.refund(charge_request(), INTENT_ID, Money.of("10.00", "EUR"), REFUND_ID)
    assert outcome == RefundOutcome(ChargeStatus.SUCCEEDED, "re_3QxR2aLkdIwHu7ix0mT5bKcZ")
    stripe_api.check_all_sent()


async def test_refunding_more_than_is_left_is_rejected() -> None:
    adapter, _ = gateway(Exchange("post", "/v1/refunds", "refund_amount_too_large", 400))
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.refund(charge_request(), INTENT_ID, Money.of("50.00", "EUR"), REFUND_ID)
    assert refused.value.reason == "amount_too_large"


async def test_a_refund_in_another_currency_is_refused_before_any_request() -> None:
    adapter, stripe_api = gateway()
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.refund(charge_request(), INTENT_ID, Money.of("10.00", "USD"), REFUND_ID)
    assert refused.value.reason == "currency_mismatch"
    assert stripe_api.sent == []


async def test_a_card_is_described_by_brand_last_four_and_expiry() -> None:
    adapter, _ = gateway(METHOD)
    assert await adapter.describe_method(METHOD_ID) == MethodDetails(METHOD_ID, "visa", "4242", 8, 2031)


async def test_a_sepa_mandate_is_described_by_its_type_and_last_four() -> None:
    sepa = "pm_1QxS0bLkdIwHu7ixQ4mN8rTa"
    adapter, _ = gateway(Exchange("get", f"/v1/payment_methods/{sepa}", "payment_method_sepa_debit"))
    assert await adapter.describe_method(sepa) == MethodDetails(sepa, "sepa_debit", "3000", 0, 0)


async def test_describing_an_unknown_token_is_rejected() -> None:
    adapter, _ = gateway(Exchange("get", f"/v1/payment_methods/{METHOD_ID}", "payment_method_missing", 404))
    with pytest.raises(GatewayRejectedError) as refused:
        await adapter.describe_method(METHOD_ID)
    assert refused.value.reason == "unknown_token"


async def test_close_closes_the_http_client() -> None:
    adapter, stripe_api = gateway()
    await adapter.close()
    assert stripe_api.closed
