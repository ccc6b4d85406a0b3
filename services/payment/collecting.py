"""Use cases: take payments (card or manual), learn their outcome, refund them, keep the ledger in step."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from kernel.ids import derived_id, new_id
from kernel.money import Money
from services.payment.application import PaymentApplication
from services.payment.domain.errors import (
    InvalidPaymentError,
    NothingDueError,
    PaymentInProgressError,
    PaymentStateError,
)
from services.payment.domain.ledger import CustomerLedger
from services.payment.domain.payments import CARD, Payment, PaymentRequest, PaymentStatus
from services.payment.gateways.port import (
    ChargeOutcome,
    ChargeRequest,
    ChargeStatus,
    GatewayEventKind,
    GatewayRejectedError,
    OutcomeUnknownError,
    PaymentGateway,
)
from services.payment.invoices import GrpcInvoices, InvoiceFacts

log = logging.getLogger(__name__)
R = TypeVar("R")

MANUAL_PROVIDER = "manual"
NOT_RECEIVED = "not_received_by_gateway"
MoneyReceivedHook = Callable[[UUID, UUID], Awaitable[object]]
"""Told (tenant, account) after money came in: dunning restores an account whose debt cleared."""


async def nothing_received(tenant_id: UUID, account_id: UUID) -> None:
    """A money-received hook that does nothing."""


@dataclass(frozen=True)
class Payer:
    """Whose money it is and in which currency the account's ledger counts."""

    account_id: UUID
    currency: str
    invoice: InvoiceFacts | None


def charge_request_of(payment: Payment) -> ChargeRequest:
    """What the gateway was (or is) asked to charge for a payment."""
    return ChargeRequest(
        tenant_id=payment.tenant_id, payment_id=payment.id, account_id=payment.account_id,
        token=payment.token, amount=payment.amount, description=payment.reference,
    )


class Collecting:
    """Payments from customers and operators, and what the payment gateway tells us about them."""

    def __init__(
        self, app: PaymentApplication, invoices: GrpcInvoices, gateway: PaymentGateway,
        on_saved: Callable[[], None], money_received: MoneyReceivedHook = nothing_received,
    ) -> None:
        self.app = app
        self.invoices = invoices
        self.gateway = gateway
        self.on_saved = on_saved
        self.money_received = money_received

    # --- taking money ---------------------------------------------------------------------------

    async def record_manual(self, request: PaymentRequest) -> Payment:
        """Money that arrived outside the gateway (bank transfer, cash), recorded by an operator."""
        request.check()
        if request.is_card:
            raise InvalidPaymentError("method", "card_payments_go_through_the_gateway")
        payer = await self.payer_of(request)
        payment_id = request.payment_id()

        def record() -> Payment:
            earlier = self.recorded_before(request, payer.account_id, payment_id)
            if earlier is not None:
                return earlier
            ledger = self.ledger_for(request, payer)
            payment = Payment.start(request, payer.account_id, MANUAL_PROVIDER, payment_id)
            payment.succeed()
            ledger.receive_payment(payment.id, payment.amount, request.invoice_id)
            self.app.save_all(payment, ledger)
            return payment

        payment = await self.change(record)
        await self.money_received(payment.tenant_id, payment.account_id)
        return payment

    async def pay_by_card(self, request: PaymentRequest, payment_id: UUID | None = None) -> Payment:
        """Charge a card token through the gateway, never twice for the same debt."""
        request.check()
        if not request.is_card:
            raise InvalidPaymentError("method", "only_card_payments_go_through_the_gateway")
        payer = await self.payer_of(request)
        chosen_id = payment_id or request.payment_id()
        earlier = await asyncio.to_thread(self.recorded_before, request, payer.account_id, chosen_id)
        if earlier is not None:
            return await self.resolve(earlier) if earlier.is_unsettled else earlier
        await self.settle_charges_in_flight(request.tenant_id, payer.account_id, request.invoice_id)

        def start() -> Payment:
            again = self.recorded_before(request, payer.account_id, chosen_id)
            if again is not None:
                return again
            ledger = self.ledger_for(request, payer)
            blocking = ledger.charges_blocking(request.invoice_id)
            if blocking:
                raise PaymentInProgressError(blocking[0])
            if request.invoice_id is not None and not ledger.receivable(request.invoice_id).is_open:
                raise NothingDueError(request.invoice_id)
            payment = Payment.start(request, payer.account_id, self.gateway.name, chosen_id)
            ledger.start_charge(payment.id, request.invoice_id)
            self.app.save_all(payment, ledger)
            return payment

        payment = await self.change(start)
        if not payment.is_unsettled or payment.provider_ref:
            return payment
        return await self.charge(payment)

    async def charge(self, payment: Payment) -> Payment:
        """Send a started charge to the gateway and record what it answered."""
        try:
            outcome = await self.gateway.charge(charge_request_of(payment))
        except OutcomeUnknownError as error:
            log.warning("payment %s: gateway outcome unknown (%s)", payment.id, error)
            return await self.lose_track(payment, "gateway_timeout")
        except GatewayRejectedError as error:
            outcome = ChargeOutcome(ChargeStatus.FAILED, "", error.reason)
        return await self.apply_outcome(payment.tenant_id, payment.id, outcome)

    # --- learning outcomes ----------------------------------------------------------------------

    async def resolve(self, payment: Payment) -> Payment:
        """Ask the gateway what became of a pending or unknown charge, and record it."""
        if not payment.is_unsettled or payment.method != CARD:
            return payment
        try:
            outcome = await self.gateway.lookup(charge_request_of(payment), payment.provider_ref)
        except OutcomeUnknownError:
            return payment
        if outcome is None:
            outcome = ChargeOutcome(ChargeStatus.FAILED, "", NOT_RECEIVED)
        return await self.apply_outcome(payment.tenant_id, payment.id, outcome)

    async def settle_charges_in_flight(
        self, tenant_id: UUID, account_id: UUID, invoice_id: UUID | None
    ) -> None:
        """Before a new charge: poll every charge in flight that could pay the same debt."""
        ledger = await asyncio.to_thread(self.app.find_ledger, tenant_id, account_id)
        for payment_id in ledger.charges_blocking(invoice_id) if ledger else []:
            await self.resolve(await asyncio.to_thread(self.app.get_payment, tenant_id, payment_id))

    async def apply_outcome(self, tenant_id: UUID, payment_id: UUID, outcome: ChargeOutcome) -> Payment:
        """Record the gateway's answer on the payment, and on the ledger when money came in or did not."""

        def apply() -> Payment:
            payment = self.app.get_payment(tenant_id, payment_id)
            ledger = self.app.ledger(tenant_id, payment.account_id, payment.amount.currency)
            if outcome.status == ChargeStatus.SUCCEEDED and payment.status == PaymentStatus.FAILED:
                log.error("payment %s: the gateway reports success for a payment recorded as failed"
                          " (%s); refund it at the gateway or record it by hand", payment.id,
                          payment.failure_reason)
            if outcome.status == ChargeStatus.SUCCEEDED and payment.succeed(outcome.provider_ref):
                ledger.receive_payment(payment.id, payment.amount, payment.invoice_id)
            elif outcome.status == ChargeStatus.FAILED and payment.fail(
                    outcome.failure_reason or "declined", outcome.provider_ref):
                ledger.end_charge(payment.id)
            elif outcome.status == ChargeStatus.PENDING:
                payment.await_gateway(outcome.provider_ref, outcome.action_url)
            self.app.save_all(payment, ledger)
            return payment

        payment = await self.change(apply)
        if payment.status == ChargeStatus.SUCCEEDED:
            await self.money_received(tenant_id, payment.account_id)
        return payment

    async def lose_track(self, payment: Payment, reason: str) -> Payment:
        """The gateway did not answer: the payment is unknown until polled."""

        def mark() -> Payment:
            current = self.app.get_payment(payment.tenant_id, payment.id)
            current.lose_track(reason)
            self.app.save_all(current)
            return current

        return await self.change(mark)

    async def handle_gateway_event(self, provider: str, body: bytes, headers: dict[str, str]) -> None:
        """A signed notification from the gateway: a late outcome or a chargeback."""
        if provider != self.gateway.name:
            raise InvalidPaymentError("provider", "unknown_provider")
        event = await self.gateway.parse_webhook(body, headers)
        if event is None:
            return
        if event.kind == GatewayEventKind.CHARGEBACK:
            await self.charge_back(event.tenant_id, event.payment_id, event.amount, event.event_id)
            return
        status = (ChargeStatus.SUCCEEDED if event.kind == GatewayEventKind.CHARGE_SUCCEEDED
                  else ChargeStatus.FAILED)
        await self.apply_outcome(event.tenant_id, event.payment_id,
                                 ChargeOutcome(status, event.provider_ref, event.failure_reason))

    # --- giving money back ----------------------------------------------------------------------

    async def refund(
        self, tenant_id: UUID, payment_id: UUID, amount: Money, reason: str, request_key: str = ""
    ) -> Payment:
        """Give back part or all of a payment (once per request key); its allocations are reversed."""
        payment = await asyncio.to_thread(self.app.get_payment, tenant_id, payment_id)
        refund_id = derived_id(payment_id, "refund", request_key or new_id())
        if refund_id in payment.refund_ids:
            return payment
        payment.check_refundable(amount)
        provider_ref = ""
        if payment.method == CARD:
            provider_ref = await self.refund_at_gateway(payment, amount, refund_id)

        def record() -> Payment:
            current = self.app.get_payment(tenant_id, payment_id)
            ledger = self.app.ledger(tenant_id, current.account_id, current.amount.currency)
            if current.refund(refund_id, amount, reason, provider_ref):
                ledger.reverse_payment(payment_id, amount, "refund", str(refund_id))
            self.app.save_all(current, ledger)
            return current

        return await self.change(record)

    async def refund_at_gateway(self, payment: Payment, amount: Money, refund_id: UUID) -> str:
        """The gateway's refund id; a refused refund changes nothing here."""
        try:
            outcome = await self.gateway.refund(charge_request_of(payment), payment.provider_ref,
                                                amount, refund_id)
        except GatewayRejectedError as error:
            raise PaymentStateError(payment.id, payment.status, f"refund it ({error.reason})") from None
        except OutcomeUnknownError:
            raise PaymentStateError(payment.id, payment.status,
                                    "refund it now (gateway timeout; retry with the same key)") from None
        if outcome.status == ChargeStatus.FAILED:
            raise PaymentStateError(payment.id, payment.status, f"refund it ({outcome.failure_reason})")
        return outcome.provider_ref

    async def charge_back(self, tenant_id: UUID, payment_id: UUID, amount: Money, event_id: str) -> None:
        """The card holder's bank took money back: the payment's allocations are reversed."""

        def record() -> None:
            payment = self.app.get_payment(tenant_id, payment_id)
            taken = amount if amount <= payment.refundable else payment.refundable
            if not taken.is_positive:
                return
            ledger = self.app.ledger(tenant_id, payment.account_id, payment.amount.currency)
            if payment.charge_back(taken, event_id):
                ledger.reverse_payment(payment_id, taken, "chargeback", event_id)
            self.app.save_all(payment, ledger)

        await self.change(record)

    # --- helpers --------------------------------------------------------------------------------

    async def payer_of(self, request: PaymentRequest) -> Payer:
        """The account paying (from the invoice when one is targeted) and its currency."""
        if request.invoice_id is None:
            if request.account_id is None:
                raise InvalidPaymentError("account_id", "account_or_invoice_required")
            account = await self.invoices.account(request.tenant_id, request.account_id)
            return Payer(account.account_id, account.currency, None)
        invoice = await self.invoices.invoice(request.tenant_id, request.invoice_id)
        if request.account_id is not None and request.account_id != invoice.account_id:
            raise InvalidPaymentError("invoice_id", "not_an_invoice_of_this_account")
        invoice.check_payable()
        return Payer(invoice.account_id, invoice.total.currency, invoice)

    def ledger_for(self, request: PaymentRequest, payer: Payer) -> CustomerLedger:
        """The payer's ledger, knowing the targeted invoice, checked for the request's currency."""
        ledger = self.app.ledger(request.tenant_id, payer.account_id, payer.currency)
        if payer.invoice is not None:
            facts = payer.invoice
            ledger.add_invoice(facts.invoice_id, facts.number, facts.issue_date, facts.due_date,
                               facts.total)
            ledger.check_payable(facts.invoice_id)
        ledger.check_currency_of(request.amount)
        return ledger

    def recorded_before(
        self, request: PaymentRequest, account_id: UUID, payment_id: UUID
    ) -> Payment | None:
        """The payment recorded before under the same id (from the idempotency key), if any."""
        if not request.idempotency_key:
            return None
        payment = self.app.find_payment(request.tenant_id, payment_id)
        if payment is not None:
            payment.check_same_request(request, account_id)
        return payment

    async def change(self, step: Callable[[], R]) -> R:
        """Run a load-decide-save step in a thread, retried on concurrent saves; wake the relay."""
        result = await asyncio.to_thread(self.app.retrying, step)
        self.on_saved()
        return result
