"""The payment service's gRPC API: protobuf in and out, domain types inside."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

import grpc
from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2, payment_pb2_grpc

from kernel.grpc import maps_domain_errors
from kernel.paging import decode_page_token, encode_page_token, page_limit
from kernel.wire import history_to_proto, id_from_wire, money_from_proto, money_to_proto
from services.payment.application import PaymentApplication
from services.payment.collecting import Collecting
from services.payment.domain.errors import InvalidPaymentError
from services.payment.domain.ledger import CustomerLedger, Receivable
from services.payment.domain.methods import Wallet
from services.payment.domain.payments import CARD, Payment, PaymentRequest
from services.payment.gateways.port import WebhookSignatureError
from services.payment.positions import Positions
from services.payment.wallets import Wallets

Context = grpc.aio.ServicerContext


class PaymentServicer(payment_pb2_grpc.PaymentServiceServicer):
    """Payments, refunds, wallets and ledgers over gRPC."""

    def __init__(
        self, app: PaymentApplication, collecting: Collecting, wallets: Wallets, positions: Positions
    ) -> None:
        self.app = app
        self.collecting = collecting
        self.wallets = wallets
        self.positions = positions

    @maps_domain_errors
    async def RecordPayment(
        self, request: payment_pb2.RecordPaymentRequest, context: Context
    ) -> payment_pb2.Payment:
        command = payment_request_from_proto(request)
        if command.method == CARD and request.payment_method_id:
            if command.account_id is None:
                raise InvalidPaymentError("account_id", "required_with_a_stored_payment_method")
            token = await self.wallets.token_of(command.tenant_id, command.account_id,
                                                id_from_wire(request.payment_method_id, "payment_method_id"))
            command = PaymentRequest(**{**vars(command), "token": token})
        if command.method == CARD:
            return payment_to_proto(await self.collecting.pay_by_card(command))
        return payment_to_proto(await self.collecting.record_manual(command))

    @maps_domain_errors
    async def GetPayment(
        self, request: payment_pb2.GetPaymentRequest, context: Context
    ) -> payment_pb2.Payment:
        payment = await asyncio.to_thread(
            self.app.get_payment, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.payment_id, "payment_id"))
        return payment_to_proto(payment)

    @maps_domain_errors
    async def ListPayments(
        self, request: payment_pb2.ListPaymentsRequest, context: Context
    ) -> payment_pb2.ListPaymentsResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        account_id = id_from_wire(request.account_id, "account_id")
        limit = page_limit(request.page_size)
        after = decode_page_token(request.page_token, (datetime.fromisoformat, UUID))
        keys = await self.positions.payments_of(tenant_id, account_id, limit,
                                                (after[0], after[1]) if after else None)
        payments = await asyncio.to_thread(
            lambda: [self.app.get_payment(tenant_id, payment_id) for _, payment_id in keys])
        token = encode_page_token([keys[-1][0].isoformat(), keys[-1][1]]) if len(keys) == limit else ""
        return payment_pb2.ListPaymentsResponse(
            payments=[payment_to_proto(p) for p in payments], next_page_token=token)

    @maps_domain_errors
    async def ResolvePayment(
        self, request: payment_pb2.GetPaymentRequest, context: Context
    ) -> payment_pb2.Payment:
        payment = await asyncio.to_thread(
            self.app.get_payment, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.payment_id, "payment_id"))
        return payment_to_proto(await self.collecting.resolve(payment))

    @maps_domain_errors
    async def RefundPayment(
        self, request: payment_pb2.RefundPaymentRequest, context: Context
    ) -> payment_pb2.Payment:
        if len(request.reason) > 200:
            raise InvalidPaymentError("reason", "too_long")
        payment = await self.collecting.refund(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.payment_id, "payment_id"),
            money_from_proto(request.amount, "amount"), request.reason, request.idempotency_key)
        return payment_to_proto(payment)

    @maps_domain_errors
    async def HandleGatewayEvent(
        self, request: payment_pb2.GatewayEventRequest, context: Context
    ) -> payment_pb2.GatewayEventReply:
        headers = {key.lower(): value for key, value in request.headers.items()}
        try:
            await self.collecting.handle_gateway_event(request.provider, request.body, headers)
        except WebhookSignatureError as error:
            raise InvalidPaymentError("signature", str(error) or "does_not_verify") from None
        return payment_pb2.GatewayEventReply()

    @maps_domain_errors
    async def AddPaymentMethod(
        self, request: payment_pb2.AddPaymentMethodRequest, context: Context
    ) -> payment_pb2.Wallet:
        wallet = await self.wallets.add(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.account_id, "account_id"),
            request.token, request.make_default)
        return wallet_to_proto(wallet)

    @maps_domain_errors
    async def ListPaymentMethods(
        self, request: payment_pb2.AccountRequest, context: Context
    ) -> payment_pb2.Wallet:
        tenant_id, account_id = account_of(request)
        await self.collecting.invoices.account(tenant_id, account_id)
        return wallet_to_proto(await self.wallets.wallet_of(tenant_id, account_id))

    @maps_domain_errors
    async def RemovePaymentMethod(
        self, request: payment_pb2.PaymentMethodRequest, context: Context
    ) -> payment_pb2.Wallet:
        wallet = await self.wallets.remove(*method_of(request))
        return wallet_to_proto(wallet)

    @maps_domain_errors
    async def SetDefaultPaymentMethod(
        self, request: payment_pb2.PaymentMethodRequest, context: Context
    ) -> payment_pb2.Wallet:
        wallet = await self.wallets.choose_default(*method_of(request))
        return wallet_to_proto(wallet)

    @maps_domain_errors
    async def GetLedger(self, request: payment_pb2.AccountRequest, context: Context) -> payment_pb2.Ledger:
        tenant_id, account_id = account_of(request)
        account = await self.collecting.invoices.account(tenant_id, account_id)
        ledger = await asyncio.to_thread(self.app.ledger, tenant_id, account_id, account.currency)
        events = await asyncio.to_thread(
            lambda: [] if ledger.pending_events else list(self.app.events.get(ledger.id)))
        return ledger_to_proto(ledger, events)

    @maps_domain_errors
    async def GetHistory(
        self, request: common_pb2.GetHistoryRequest, context: Context
    ) -> common_pb2.History:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        aggregate_id = id_from_wire(request.aggregate_id, "aggregate_id")
        events = await asyncio.to_thread(self.app.history, tenant_id, request.aggregate_type, aggregate_id)
        return history_to_proto(request.aggregate_type, aggregate_id, events)


def account_of(request: payment_pb2.AccountRequest) -> tuple[UUID, UUID]:
    """The tenant and account a request names."""
    return id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.account_id, "account_id")


def method_of(request: payment_pb2.PaymentMethodRequest) -> tuple[UUID, UUID, UUID]:
    """The tenant, account and stored method a request names."""
    return (id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.account_id, "account_id"),
            id_from_wire(request.payment_method_id, "payment_method_id"))


def optional_id(text: str, field: str) -> UUID | None:
    """An id, or None for the empty string."""
    return id_from_wire(text, field) if text else None


def payment_request_from_proto(request: payment_pb2.RecordPaymentRequest) -> PaymentRequest:
    """A RecordPayment request as a domain request (ids and money parsed, fields named)."""
    return PaymentRequest(
        tenant_id=id_from_wire(request.tenant_id, "tenant_id"),
        account_id=optional_id(request.account_id, "account_id"),
        invoice_id=optional_id(request.invoice_id, "invoice_id"),
        amount=money_from_proto(request.amount, "amount"),
        method=request.method,
        reference=request.reference,
        idempotency_key=request.idempotency_key,
        token=request.token,
    )


def payment_to_proto(payment: Payment) -> payment_pb2.Payment:
    """A payment on the wire (its gateway token stays inside)."""
    return payment_pb2.Payment(
        payment_id=str(payment.id), invoice_id=str(payment.invoice_id or ""),
        account_id=str(payment.account_id), amount=money_to_proto(payment.amount),
        status=str(payment.status), method=payment.method, reference=payment.reference,
        provider=payment.provider, provider_ref=payment.provider_ref,
        failure_reason=payment.failure_reason, action_url=payment.action_url,
        refunded=money_to_proto(payment.refunded), created_at=payment.created_on.isoformat(),
    )


def wallet_to_proto(wallet: Wallet) -> payment_pb2.Wallet:
    """A wallet on the wire: brand, last four digits and expiry, never the token."""
    return payment_pb2.Wallet(account_id=str(wallet.account_id), methods=[
        payment_pb2.PaymentMethod(
            payment_method_id=str(m.method_id), provider=m.provider, brand=m.brand, last4=m.last4,
            exp_month=m.exp_month, exp_year=m.exp_year, is_default=m.method_id == wallet.default_id)
        for m in wallet.methods.values()
    ])


def ledger_to_proto(ledger: CustomerLedger, events: list[Any]) -> payment_pb2.Ledger:
    """A ledger on the wire, with its journal read from its events."""
    return payment_pb2.Ledger(
        account_id=str(ledger.account_id), balance=money_to_proto(ledger.balance),
        credit=money_to_proto(ledger.credit_held),
        open_invoices=[open_invoice_to_proto(ledger, r) for r in ledger.open_receivables()],
        journal=[entry for e in events for entry in journal_entries(e)],
        accounts=[payment_pb2.AccountBalance(account=name, balance=money_to_proto(ledger.money(amount)))
                  for name, amount in sorted(ledger.balances.items())],
        payments_in_flight=[str(p) for p in ledger.charges_in_flight],
    )


def open_invoice_to_proto(ledger: CustomerLedger, receivable: Receivable) -> payment_pb2.OpenInvoice:
    """An open invoice as the ledger sees it."""
    return payment_pb2.OpenInvoice(
        invoice_id=str(receivable.invoice_id), number=receivable.number,
        issue_date=receivable.issue_date.isoformat(),
        due_date=receivable.due_date.isoformat() if receivable.due_date else "",
        total=money_to_proto(ledger.money(receivable.total)),
        paid=money_to_proto(ledger.money(receivable.allocated)),
        credited=money_to_proto(ledger.money(receivable.credited)),
        amount_due=money_to_proto(ledger.money(receivable.due)),
    )


def journal_entries(event: Any) -> list[payment_pb2.JournalEntry]:
    """The postings of one ledger event as journal entries."""
    kind = type(event).__qualname__.rsplit(".", 1)[-1]
    reference = str(getattr(event, "payment_id", None) or getattr(event, "invoice_id", ""))
    return [
        payment_pb2.JournalEntry(
            version=event.originator_version, occurred_at=event.timestamp.isoformat(), kind=kind,
            reference=reference, debit=posting["debit"], credit=posting["credit"],
            amount=money_to_proto(posting["amount"]))
        for posting in getattr(event, "postings", [])
    ]
