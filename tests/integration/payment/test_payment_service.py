"""The payment gRPC service against real PostgreSQL and NATS JetStream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import grpc
import nats.errors
import pytest
from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2
from grpc_health.v1 import health_pb2

from kernel.grpc import field_violation
from kernel.ids import derived_id
from tests.integration.payment.payment_stack import (
    PAYMENT_SERVICE,
    PaymentStack,
    record_request,
    start_payment_stack,
)

SUBJECT = "events.payment.Payment.Recorded"


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


async def test_recorded_payment_is_answered_and_published_once_on_nats(
    stack: PaymentStack,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="80.00")
    subscription = await stack.js.subscribe(SUBJECT)

    payment = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))

    assert payment.payment_id == str(derived_id(tenant, "payment", "key-1"))
    assert (payment.invoice_id, payment.account_id) == (invoice.invoice_id, invoice.account_id)
    assert (payment.amount.amount, payment.amount.currency) == ("25.00", "EUR")
    assert (payment.status, payment.method, payment.reference) == (
        "succeeded", "bank_transfer", "SEPA-1"
    )
    assert stack.relay.wakeup.is_set()
    assert await stack.relay.relay_once() == 1
    message = await subscription.next_msg(timeout=5)
    envelope = json.loads(message.data)
    assert message.headers is not None
    assert message.headers["Nats-Msg-Id"] == envelope["id"] == "payment:1"
    assert envelope["type"] == "Payment.Recorded"
    assert envelope["tenant_id"] == str(tenant)
    assert envelope["aggregate_id"] == payment.payment_id
    assert envelope["aggregate_version"] == 1
    assert envelope["data"] == {
        "invoice_id": invoice.invoice_id,
        "account_id": invoice.account_id,
        "amount": {"amount": "25.00", "currency": "EUR"},
        "method": "bank_transfer",
        "reference": "SEPA-1",
        "idempotency_key": "key-1",
    }
    assert await stack.relay.relay_once() == 0
    with pytest.raises(nats.errors.TimeoutError):
        await subscription.next_msg(timeout=0.3)


async def test_retry_with_the_same_key_returns_the_same_payment_and_publishes_once(
    stack: PaymentStack,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant)
    first = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    stack.invoices.invoices[(str(tenant), invoice.invoice_id)].status = "paid"
    retried = await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    assert retried == first
    assert await stack.relay.relay_once() == 1


async def test_concurrent_requests_with_the_same_key_record_one_payment(
    stack: PaymentStack,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant)
    request = record_request(tenant, invoice.invoice_id)
    answers = await asyncio.gather(*(stack.payments.RecordPayment(request) for _ in range(8)))
    assert {answer.payment_id for answer in answers} == {answers[0].payment_id}
    assert await stack.relay.relay_once() == 1


async def test_same_key_with_another_amount_answers_already_exists(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant)
    await stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    error = await rpc_error(
        stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id, amount="26.00"))
    )
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert await stack.relay.relay_once() == 1


BAD_INPUT = [
    ("not-a-uuid", {}, "invoice_id", "not a valid id"),
    (None, {"amount": "12,50"}, "amount", None),
    (None, {"currency": "EURO"}, "amount", None),
    (None, {"amount": "0"}, "amount.amount", "must_be_positive"),
    (None, {"amount": "-3.00"}, "amount.amount", "must_be_positive"),
    (None, {"method": "cheque"}, "method", "unknown_method"),
    (None, {"currency": "USD"}, "amount.currency", "currency_mismatch"),
    (None, {"amount": "100.01"}, "amount.amount", "exceeds_amount_due"),
]


@pytest.mark.parametrize(("invoice_id", "changes", "field", "reason"), BAD_INPUT)
async def test_bad_input_answers_invalid_argument_naming_the_field_and_writes_nothing(
    stack: PaymentStack, invoice_id: str | None, changes: dict[str, str], field: str,
    reason: str | None,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="100.00")
    request = record_request(tenant, invoice_id or invoice.invoice_id, **changes)
    error = await rpc_error(stack.payments.RecordPayment(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    violation = field_violation(error)
    assert violation is not None
    assert violation["field"] == field
    if reason is not None:
        assert violation["reason"] == reason
    assert await stack.relay.relay_once() == 0


async def test_unknown_invoice_answers_not_found(stack: PaymentStack) -> None:
    tenant = uuid4()
    someone_elses = stack.invoices.add(uuid4())
    for invoice_id in (str(uuid4()), someone_elses.invoice_id):
        error = await rpc_error(stack.payments.RecordPayment(record_request(tenant, invoice_id)))
        assert error.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("status", ["draft", "paid", "void"])
async def test_invoice_that_is_not_finalized_answers_failed_precondition(
    stack: PaymentStack, status: str
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, status=status)
    error = await rpc_error(
        stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await stack.relay.relay_once() == 0


async def test_invoice_service_down_answers_unavailable(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant)
    await stack.invoice_server.stop(0)
    error = await rpc_error(
        stack.payments.RecordPayment(record_request(tenant, invoice.invoice_id))
    )
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert await stack.relay.relay_once() == 0


async def recorded_payment(stack: PaymentStack, tenant: UUID) -> payment_pb2.Payment:
    """A payment recorded for the tenant."""
    invoice = stack.invoices.add(tenant)
    return await stack.payments.RecordPayment(
        record_request(tenant, invoice.invoice_id, idempotency_key="")
    )


async def test_payment_is_readable_by_its_tenant_only(stack: PaymentStack) -> None:
    tenant = uuid4()
    payment = await recorded_payment(stack, tenant)
    found = await stack.payments.GetPayment(
        payment_pb2.GetPaymentRequest(tenant_id=str(tenant), payment_id=payment.payment_id)
    )
    assert found == payment
    for other_tenant, payment_id in ((uuid4(), payment.payment_id), (tenant, str(uuid4()))):
        error = await rpc_error(stack.payments.GetPayment(
            payment_pb2.GetPaymentRequest(tenant_id=str(other_tenant), payment_id=payment_id)
        ))
        assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_history_lists_the_recorded_event_for_its_tenant_only(stack: PaymentStack) -> None:
    tenant = uuid4()
    payment = await recorded_payment(stack, tenant)
    history = await stack.payments.GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(tenant), aggregate_type="payment", aggregate_id=payment.payment_id
    ))
    assert [(event.version, event.type) for event in history.events] == [(1, "Payment.Recorded")]
    assert json.loads(history.events[0].data_json)["amount"] == {
        "amount": "25.00", "currency": "EUR"
    }
    error = await rpc_error(stack.payments.GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(uuid4()), aggregate_type="payment", aggregate_id=payment.payment_id
    )))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_history_of_an_unknown_aggregate_type_answers_invalid_argument(
    stack: PaymentStack,
) -> None:
    tenant = uuid4()
    payment = await recorded_payment(stack, tenant)
    error = await rpc_error(stack.payments.GetHistory(common_pb2.GetHistoryRequest(
        tenant_id=str(tenant), aggregate_type="invoice", aggregate_id=payment.payment_id
    )))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violation(error) == {"field": "aggregate_type", "reason": "unknown_aggregate_type"}


@pytest.mark.parametrize("service", ["", PAYMENT_SERVICE])
async def test_health_reports_serving(stack: PaymentStack, service: str) -> None:
    reply = await stack.health.Check(health_pb2.HealthCheckRequest(service=service))
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
