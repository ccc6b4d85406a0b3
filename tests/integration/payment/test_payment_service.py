"""The payment gRPC service against real PostgreSQL and NATS JetStream (manual payments, ledger, refunds)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from uuid import UUID, uuid4

import grpc
import pytest
from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2
from grpc_health.v1 import health_pb2

from kernel.grpc import field_violation
from kernel.ids import derived_id
from services.payment.domain.ledger import CUSTOMER_CREDIT, RECEIVABLE
from tests.integration.payment.payment_stack import (
    PAYMENT_SERVICE,
    PaymentStack,
    record_request,
    start_payment_stack,
)


@pytest.fixture
async def stack(database_url: str, nats_url: str) -> AsyncIterator[PaymentStack]:
    """The payment service serving on a free port."""
    started = await start_payment_stack(database_url, nats_url)
    yield started
    await started.close()


async def rpc_error(call: object) -> grpc.aio.AioRpcError:
    """The error an awaited call failed with."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def ledger_of(stack: PaymentStack, tenant: UUID, account_id: str) -> payment_pb2.Ledger:
    """The account's ledger, checked: balance = open amounts due - credit, and double entry balances."""
    ledger = await stack.payments.GetLedger(payment_pb2.AccountRequest(
        tenant_id=str(tenant), account_id=account_id))
    open_due = sum((Decimal(i.amount_due.amount) for i in ledger.open_invoices), Decimal(0))
    assert Decimal(ledger.balance.amount) == open_due - Decimal(ledger.credit.amount)
    accounts = {a.account: Decimal(a.balance.amount) for a in ledger.accounts}
    assert sum(accounts.values(), Decimal(0)) == 0
    assert accounts.get(RECEIVABLE, Decimal(0)) == open_due
    assert -accounts.get(CUSTOMER_CREDIT, Decimal(0)) == Decimal(ledger.credit.amount)
    return ledger


async def test_manual_payment_settles_the_invoice_and_publishes_its_events(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="80.00")
    subscription = await stack.js.subscribe("events.payment.>")

    payment = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))

    assert payment.payment_id == str(derived_id(tenant, "payment", "key-1"))
    assert (payment.status, payment.provider, payment.amount.amount) == ("succeeded", "manual", "25.00")
    while await stack.relay.relay_once():
        pass
    types = []
    for _ in range(5):
        message = await subscription.next_msg(timeout=5)
        types.append(json.loads(message.data)["type"])
    assert types == ["Payment.Recorded", "Payment.Succeeded", "CustomerLedger.Opened",
                     "CustomerLedger.InvoiceAdded", "CustomerLedger.PaymentReceived"]
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert ledger.balance.amount == "55.00"
    assert [i.amount_due.amount for i in ledger.open_invoices] == ["55.00"]


async def test_a_retried_key_returns_the_same_payment_and_a_changed_request_is_refused(
    stack: PaymentStack,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant)
    first = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    again = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    assert again.payment_id == first.payment_id
    assert (await ledger_of(stack, tenant, invoice.account_id)).balance.amount == "75.00"

    error = await rpc_error(stack.payments.RecordPayment(
        record_request(tenant, invoice.invoice_id, amount="26.00")))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_overpayment_becomes_credit_applied_to_the_next_invoice(stack: PaymentStack) -> None:
    tenant = uuid4()
    first = stack.invoices.add(tenant, amount_due="30.00")
    await stack.payments.RecordPayment(record_request(tenant, first.invoice_id, amount="50.00"))
    ledger = await ledger_of(stack, tenant, first.account_id)
    assert (ledger.balance.amount, ledger.credit.amount) == ("-20.00", "20.00")

    second = stack.invoices.add(tenant, amount_due="45.00", account_id=first.account_id,
                                issue_date="2026-11-01")
    await stack.payments.RecordPayment(record_request(
        tenant, second.invoice_id, amount="1.00", idempotency_key="key-2"))
    ledger = await ledger_of(stack, tenant, first.account_id)
    assert ledger.credit.amount == "0.00"
    assert [i.amount_due.amount for i in ledger.open_invoices] == ["24.00"]


async def test_concurrent_payments_for_one_invoice_never_over_allocate(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="100.00")
    requests = [record_request(tenant, invoice.invoice_id, amount="30.00", idempotency_key=f"c-{i}")
                for i in range(6)]
    payments = await asyncio.gather(*(stack.payments.RecordPayment(r) for r in requests))
    assert len({p.payment_id for p in payments}) == 6
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert ledger.open_invoices == []
    assert ledger.credit.amount == "80.00"
    received = [e for e in ledger.journal if e.kind == "PaymentReceived" and e.credit == RECEIVABLE]
    assert sum(Decimal(e.amount.amount) for e in received) == Decimal("100.00")


async def test_refund_reopens_the_invoice_and_more_than_paid_is_refused(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="40.00")
    payment = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id, amount="40.00"))

    refund = payment_pb2.RefundPaymentRequest(
        tenant_id=str(tenant), payment_id=payment.payment_id,
        amount=common_pb2.Money(amount="15.00", currency="EUR"), reason="goodwill", idempotency_key="r-1")
    refunded = await stack.payments.RefundPayment(refund)
    assert (refunded.status, refunded.refunded.amount) == ("partially_refunded", "15.00")
    assert (await stack.payments.RefundPayment(refund)).refunded.amount == "15.00"
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert [i.amount_due.amount for i in ledger.open_invoices] == ["15.00"]

    too_much = payment_pb2.RefundPaymentRequest(
        tenant_id=str(tenant), payment_id=payment.payment_id,
        amount=common_pb2.Money(amount="25.01", currency="EUR"), idempotency_key="r-2")
    error = await rpc_error(stack.payments.RefundPayment(too_much))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    violation = field_violation(error)
    assert violation is not None
    assert violation["field"] == "amount.amount"
    assert violation["reason"].startswith("exceeds_refundable")
    assert (await ledger_of(stack, tenant, invoice.account_id)).balance.amount == "15.00"


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"amount": "0"}, grpc.StatusCode.INVALID_ARGUMENT, "amount.amount"),
    ({"amount": "-5.00"}, grpc.StatusCode.INVALID_ARGUMENT, "amount.amount"),
    ({"amount": "1.001"}, grpc.StatusCode.INVALID_ARGUMENT, "amount.amount"),
    ({"currency": "GBP"}, grpc.StatusCode.INVALID_ARGUMENT, "amount.currency"),
    ({"method": "cheque"}, grpc.StatusCode.INVALID_ARGUMENT, "method"),
    ({"invoice_id": str(uuid4())}, grpc.StatusCode.NOT_FOUND, None),
    ({"invoice_id": "not-an-id"}, grpc.StatusCode.INVALID_ARGUMENT, "invoice_id"),
])
async def test_bad_payments_are_refused_and_nothing_is_written(
    stack: PaymentStack, change: dict[str, str], code: grpc.StatusCode, field: str | None,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant)
    arguments = {"invoice_id": invoice.invoice_id, **change}
    error = await rpc_error(stack.payments.RecordPayment(record_request(tenant, **arguments)))
    assert error.code() == code
    if field is not None:
        violation = field_violation(error)
        assert violation is not None
        assert violation["field"] == field
    assert stack.app.find_payment(tenant, derived_id(tenant, "payment", "key-1")) is None
    assert stack.app.find_ledger(tenant, UUID(invoice.account_id)) is None


@pytest.mark.parametrize("status", ["void", "draft"])
async def test_void_and_draft_invoices_take_no_payment(stack: PaymentStack, status: str) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, status=status)
    error = await rpc_error(stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert stack.app.find_ledger(tenant, UUID(invoice.account_id)) is None


async def test_another_tenants_invoice_is_not_found(stack: PaymentStack) -> None:
    invoice = stack.invoices.add(uuid4())
    error = await rpc_error(stack.payments.RecordPayment(record_request(uuid4(), invoice.invoice_id)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_payments_of_an_account_are_listed_newest_first_in_pages(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="10.00")
    for i in range(3):
        await stack.payments.RecordPayment(record_request(
            tenant, invoice.invoice_id, amount="1.00", idempotency_key=f"p-{i}"))
    first = await stack.payments.ListPayments(payment_pb2.ListPaymentsRequest(
        tenant_id=str(tenant), account_id=invoice.account_id, page_size=2))
    rest = await stack.payments.ListPayments(payment_pb2.ListPaymentsRequest(
        tenant_id=str(tenant), account_id=invoice.account_id, page_size=2,
        page_token=first.next_page_token))
    ids = [p.payment_id for p in [*first.payments, *rest.payments]]
    expected = [str(derived_id(tenant, "payment", f"p-{i}")) for i in (2, 1, 0)]
    assert ids == expected
    assert rest.next_page_token == ""


async def test_health_reports_serving(stack: PaymentStack) -> None:
    reply = await stack.health.Check(health_pb2.HealthCheckRequest(service=PAYMENT_SERVICE))
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
