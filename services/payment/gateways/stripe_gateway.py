"""The Stripe adapter on the official library: PaymentIntents, Refunds, PaymentMethods, webhooks."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from uuid import UUID

import stripe
from stripe.params import PaymentIntentCreateParams, RefundCreateParams

from kernel.money import Money
from services.payment.gateways.port import (
    WEBHOOK_TOLERANCE_SECONDS,
    ChargeOutcome,
    ChargeRequest,
    GatewayEvent,
    GatewayEventKind,
    GatewayRejectedError,
    MethodDetails,
    RefundOutcome,
    WebhookSignatureError,
    charge_idempotency_key,
    check_charge_amount,
    check_refund_amount,
    check_token,
    header,
    token_for_log,
)
from services.payment.gateways.stripe_mapping import (
    EVENT_KINDS,
    Json,
    declined_outcome,
    dispute_event,
    intent_event,
    intent_outcome,
    metadata,
    method_details,
    refund_outcome,
    search_query,
    stripe_amount,
    translated,
)

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Stripe-Signature"


class StripeGateway:
    """Charges stored payment methods off-session with PaymentIntents, once per payment id."""

    name = "stripe"

    def __init__(self, api_key: str, webhook_secret: str, timeout_seconds: float,
                 return_url: str = "", http_client: stripe.HTTPClient | None = None) -> None:
        self.webhook_secret = webhook_secret
        self.return_url = return_url
        self.http_client = http_client or stripe.HTTPXClient(timeout=timeout_seconds)
        self.client = stripe.StripeClient(api_key, http_client=self.http_client, max_network_retries=0)

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        """Create and confirm a PaymentIntent; the idempotency key makes a resend the same charge."""
        check_token(request.token)
        check_charge_amount(request.amount)
        params = self._intent_params(request)
        try:
            customer = (await self._payment_method(request.token)).get("customer")
            if customer:
                params["customer"] = str(customer)
            intent = await self.client.v1.payment_intents.create_async(
                params, {"idempotency_key": charge_idempotency_key(request)})
            outcome = intent_outcome(intent.to_dict())
        except stripe.CardError as error:
            outcome = declined_outcome(error)
        except stripe.StripeError as error:
            raise translated(error) from error
        log.info("charge %s with %s: %s %s", request.payment_id, token_for_log(request.token),
                 outcome.status, outcome.provider_ref)
        return outcome

    async def lookup(self, request: ChargeRequest, provider_ref: str = "") -> ChargeOutcome | None:
        """Retrieve the PaymentIntent when its id is known, else search it by our metadata."""
        try:
            if provider_ref:
                intent = (await self.client.v1.payment_intents.retrieve_async(provider_ref)).to_dict()
                check_belongs_to(intent, request)
                return intent_outcome(intent)
            found = await self.client.v1.payment_intents.search_async(
                {"query": search_query(request), "limit": 1})
        except stripe.StripeError as error:
            raise translated(error) from error
        return intent_outcome(found.data[0].to_dict()) if found.data else None

    async def refund(
        self, request: ChargeRequest, provider_ref: str, amount: Money, refund_id: UUID
    ) -> RefundOutcome:
        """Refund part or all of a PaymentIntent, once per refund_id."""
        check_refund_amount(request, amount)
        params = RefundCreateParams(payment_intent=provider_ref, amount=stripe_amount(amount),
                                    metadata={**metadata(request), "refund_id": str(refund_id)})
        try:
            refund = await self.client.v1.refunds.create_async(params, {"idempotency_key": str(refund_id)})
        except stripe.StripeError as error:
            raise translated(error) from error
        return refund_outcome(refund.to_dict())

    async def describe_method(self, token: str) -> MethodDetails:
        """Brand, last four digits and expiry of a PaymentMethod."""
        check_token(token)
        try:
            return method_details(token, await self._payment_method(token))
        except stripe.StripeError as error:
            raise translated(error) from error

    async def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> GatewayEvent | None:
        """Verify the Stripe-Signature header and read the events we act on."""
        try:
            event = self.client.construct_event(body, header(headers, SIGNATURE_HEADER),
                                                self.webhook_secret, WEBHOOK_TOLERANCE_SECONDS)
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise WebhookSignatureError(str(error)) from None
        kind = EVENT_KINDS.get(event.type)
        if kind is None:
            return None
        subject: Json = event.data.object.to_dict()
        if kind is not GatewayEventKind.CHARGEBACK:
            return intent_event(event.id, kind, subject)
        if not subject.get("payment_intent"):
            log.warning("Stripe dispute %s has no PaymentIntent; ignored", subject.get("id"))
            return None
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(str(subject["payment_intent"]))
        except stripe.StripeError as error:
            raise translated(error) from error
        return dispute_event(event.id, subject, intent.to_dict())

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self.http_client.close_async()

    async def _payment_method(self, token: str) -> Json:
        """The PaymentMethod behind a token; GatewayRejectedError('unknown_token') when Stripe has none."""
        try:
            return (await self.client.v1.payment_methods.retrieve_async(token)).to_dict()
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":
                raise GatewayRejectedError("unknown_token", error.user_message or "") from None
            raise

    def _intent_params(self, request: ChargeRequest) -> PaymentIntentCreateParams:
        """A confirmed, off-session PaymentIntent for the stored payment method."""
        params = PaymentIntentCreateParams(
            amount=stripe_amount(request.amount), currency=request.amount.currency.lower(),
            payment_method=request.token, confirm=True, off_session=True, metadata=metadata(request),
        )
        if request.description:
            params["description"] = request.description
        if self.return_url:
            params["return_url"] = self.return_url
        else:
            params["automatic_payment_methods"] = {"enabled": True, "allow_redirects": "never"}
        return params


def check_belongs_to(intent: Json, request: ChargeRequest) -> None:
    """A PaymentIntent found by id must be this tenant's payment."""
    found = intent.get("metadata") or {}
    if (found.get("tenant_id"), found.get("payment_id")) != (str(request.tenant_id), str(request.payment_id)):
        raise GatewayRejectedError("charge_mismatch", "the PaymentIntent belongs to another payment")
