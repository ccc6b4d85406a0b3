"""The edges of the payment service: invoice answers, wire requests and settings."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import payment_pb2
from pydantic import ValidationError

from kernel.errors import InvalidInputError
from kernel.money import Money
from kernel.outbox import RELAY_BATCH
from services.payment.application import InvoiceServiceUnavailableError, PaymentApplication
from services.payment.grpc_api import payment_request_from_proto
from services.payment.invoices import invoice_due_from_proto
from services.payment.settings import Settings


def invoice_reply(
    account_id: str, amount: str = "40.00", currency: str = "EUR"
) -> invoice_pb2.Invoice:
    """A GetInvoice answer."""
    return invoice_pb2.Invoice(
        account_id=account_id, status="finalized",
        amount_due=common_pb2.Money(amount=amount, currency=currency),
    )


def test_invoice_answer_becomes_the_amount_due_in_domain_money() -> None:
    invoice_id, account_id = uuid4(), uuid4()
    invoice = invoice_due_from_proto(invoice_id, invoice_reply(str(account_id)))
    assert invoice.invoice_id == invoice_id
    assert invoice.account_id == account_id
    assert invoice.status == "finalized"
    assert invoice.amount_due == Money.of("40.00", "EUR")


@pytest.mark.parametrize(
    ("account_id", "amount", "currency"),
    [("not-an-id", "40.00", "EUR"), (str(uuid4()), "forty", "EUR"), (str(uuid4()), "1", "XXX")],
)
def test_malformed_invoice_answer_means_the_invoice_service_is_unavailable(
    account_id: str, amount: str, currency: str
) -> None:
    with pytest.raises(InvoiceServiceUnavailableError):
        invoice_due_from_proto(uuid4(), invoice_reply(account_id, amount, currency))


def wire_request() -> payment_pb2.RecordPaymentRequest:
    """A readable RecordPayment request."""
    return payment_pb2.RecordPaymentRequest(
        tenant_id=str(uuid4()), invoice_id=str(uuid4()),
        amount=common_pb2.Money(amount="1.50", currency="EUR"), method="cash",
    )


Spoil = Callable[[payment_pb2.RecordPaymentRequest], None]


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda request: setattr(request, "tenant_id", "x"), "tenant_id"),
        (lambda request: setattr(request, "invoice_id", "not-a-uuid"), "invoice_id"),
        (lambda request: setattr(request.amount, "amount", "1,5"), "amount"),
        (lambda request: setattr(request.amount, "currency", "EURO"), "amount"),
        (lambda request: request.ClearField("amount"), "amount"),
    ],
)
def test_unreadable_wire_request_names_the_field(spoil: Spoil, field: str) -> None:
    request = wire_request()
    spoil(request)
    with pytest.raises(InvalidInputError) as caught:
        payment_request_from_proto(request)
    assert caught.value.field == field


def test_notification_log_serves_a_whole_relay_batch() -> None:
    app = PaymentApplication()
    assert list(app.notification_log.select(1, RELAY_BATCH)) == []


def test_settings_need_the_invoice_service_address() -> None:
    assert settings_with("127.0.0.1:50053").invoice_grpc == "127.0.0.1:50053"
    with pytest.raises(ValidationError):
        settings_with("invoice")


def settings_with(invoice_grpc: str) -> Settings:
    """Settings with placeholder infrastructure URLs and this invoice service address."""
    return Settings(
        database_url="postgresql://localhost/x", nats_url="nats://localhost:4222",
        invoice_grpc=invoice_grpc,
    )
