"""Card payments through the real PSP simulator process: outcomes, unknowns, webhooks, refunds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import grpc
import httpx
import pytest
from billing.common.v1 import common_pb2
from billing.payment.v1 import payment_pb2

from devstack.psp_simulator import RunningSimulator, start_simulator
from tests.integration.payment.payment_stack import PaymentStack, record_request, start_payment_stack
from tests.integration.payment.test_payment_service import ledger_of, rpc_error

SECRET = "card-test-webhook-secret"
WAIT_SECONDS = 15.0


class WebhookForwarder:
    """A tiny HTTP endpoint that hands each simulator webhook to the payment service, as the gateway does."""

    def __init__(self) -> None:
        self.stack: PaymentStack | None = None
        self.server: asyncio.Server | None = None
        self.url = ""

    async def start(self) -> None:
        """Listen on a free port."""
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/webhooks"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read one HTTP request, forward it over gRPC, answer 200 (or 400 when it did not verify)."""
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        pairs = (line.partition(":") for line in lines if line)
        headers = {key.strip().lower(): value.strip() for key, _, value in pairs}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = "200 OK"
        try:
            assert self.stack is not None
            await self.stack.payments.HandleGatewayEvent(payment_pb2.GatewayEventRequest(
                provider="simulator", body=body, headers=headers))
        except grpc.aio.AioRpcError:
            status = "400 Bad Request"
        writer.write(f"HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    async def stop(self) -> None:
        """Stop listening."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


@pytest.fixture
async def forwarder() -> AsyncIterator[WebhookForwarder]:
    """The webhook endpoint the simulator posts to."""
    started = WebhookForwarder()
    await started.start()
    yield started
    await started.stop()


@pytest.fixture
def simulator(forwarder: WebhookForwarder, tmp_path: Path) -> Iterator[RunningSimulator]:
    """The PSP simulator in its own process."""
    with start_simulator(forwarder.url, SECRET, tmp_path / "psp", late_seconds=0.5) as running:
        yield running


@pytest.fixture
async def stack(
    database_url: str, nats_url: str, simulator: RunningSimulator, forwarder: WebhookForwarder,
) -> AsyncIterator[PaymentStack]:
    """The payment service charging through the simulator."""
    started = await start_payment_stack(database_url, nats_url, simulator.url, SECRET)
    forwarder.stack = started
    yield started
    await started.close()


def card_request(tenant: UUID, invoice_id: str, token: str, amount: str = "50.00",
                 key: str = "card-1") -> payment_pb2.RecordPaymentRequest:
    """A card payment for an invoice."""
    request = record_request(tenant, invoice_id, amount=amount, method="card", idempotency_key=key)
    request.token = token
    return request


async def status_becomes(stack: PaymentStack, tenant: UUID, payment_id: str, wanted: str) -> None:
    """Wait until the payment reaches the status (webhooks arrive asynchronously)."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while True:
        payment = await stack.payments.GetPayment(payment_pb2.GetPaymentRequest(
            tenant_id=str(tenant), payment_id=payment_id))
        if payment.status == wanted:
            return
        assert asyncio.get_running_loop().time() < deadline, f"{payment.status}, not {wanted}"
        await asyncio.sleep(0.1)


async def test_card_payment_succeeds_and_settles_the_invoice(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    payment = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_visa"))
    assert (payment.status, payment.provider) == ("succeeded", "simulator")
    assert payment.provider_ref
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert (ledger.balance.amount, list(ledger.payments_in_flight)) == ("0.00", [])


async def test_declined_card_fails_with_its_reason_and_owes_the_same(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    payment = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_decline"))
    assert (payment.status, payment.failure_reason) == ("failed", "card_declined")
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert (ledger.balance.amount, list(ledger.payments_in_flight)) == ("50.00", [])


async def test_timeout_then_late_success_is_resolved_before_a_new_attempt_and_never_charged_twice(
    stack: PaymentStack, simulator: RunningSimulator,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    first = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_timeout"))
    assert first.status == "unknown"
    assert list((await ledger_of(stack, tenant, invoice.account_id)).payments_in_flight) == [
        first.payment_id]

    error = await rpc_error(stack.payments.RecordPayment(
        card_request(tenant, invoice.invoice_id, "tok_visa", key="card-2")))

    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "nothing left to pay" in (error.details() or "")
    resolved = await stack.payments.GetPayment(payment_pb2.GetPaymentRequest(
        tenant_id=str(tenant), payment_id=first.payment_id))
    assert resolved.status == "succeeded"
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert (ledger.balance.amount, list(ledger.payments_in_flight)) == ("0.00", [])
    async with httpx.AsyncClient() as client:
        charges = await client.get(f"{simulator.url}/v1/charges", params={"payment_id": first.payment_id})
    assert len(charges.json()["data"]) == 1


async def test_a_charge_the_gateway_never_received_is_failed_on_polling_and_may_be_retried(
    stack: PaymentStack,
) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    lost = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_lost"))
    assert lost.status == "unknown"
    retried = await stack.payments.RecordPayment(
        card_request(tenant, invoice.invoice_id, "tok_visa", key="card-2"))
    assert retried.status == "succeeded"
    polled = await stack.payments.GetPayment(payment_pb2.GetPaymentRequest(
        tenant_id=str(tenant), payment_id=lost.payment_id))
    assert (polled.status, polled.failure_reason) == ("failed", "not_received_by_gateway")
    assert (await ledger_of(stack, tenant, invoice.account_id)).balance.amount == "0.00"


async def test_late_success_arrives_by_signed_webhook(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    payment = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_late"))
    assert payment.status == "pending"
    await status_becomes(stack, tenant, payment.payment_id, "succeeded")
    assert (await ledger_of(stack, tenant, invoice.account_id)).balance.amount == "0.00"


async def test_three_d_secure_waits_for_the_customer_then_succeeds(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    payment = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_3ds"))
    assert payment.status == "pending"
    assert payment.action_url
    another = await rpc_error(stack.payments.RecordPayment(
        card_request(tenant, invoice.invoice_id, "tok_visa", key="card-2")))
    assert another.code() == grpc.StatusCode.ALREADY_EXISTS
    async with httpx.AsyncClient() as client:
        completed = await client.post(f"{payment.action_url}/complete", json={"result": "succeed"})
    assert completed.status_code == 200
    await status_becomes(stack, tenant, payment.payment_id, "succeeded")
    assert (await ledger_of(stack, tenant, invoice.account_id)).balance.amount == "0.00"


async def test_card_refund_goes_through_the_gateway_and_reopens_the_invoice(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    payment = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_visa"))
    refund = payment_pb2.RefundPaymentRequest(
        tenant_id=str(tenant), payment_id=payment.payment_id,
        amount=common_pb2.Money(amount="20.00", currency="EUR"), reason="dispute", idempotency_key="r")
    refunded = await stack.payments.RefundPayment(refund)
    assert (refunded.status, refunded.refunded.amount) == ("partially_refunded", "20.00")
    assert (await ledger_of(stack, tenant, invoice.account_id)).balance.amount == "20.00"


async def test_chargeback_reverses_the_payment(stack: PaymentStack, simulator: RunningSimulator) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    payment = await stack.payments.RecordPayment(card_request(tenant, invoice.invoice_id, "tok_visa"))
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{simulator.url}/charges/{payment.provider_ref}/chargeback",
                                   json={"amount": "50.00"})
    assert answer.status_code == 200
    await status_becomes(stack, tenant, payment.payment_id, "charged_back")
    ledger = await ledger_of(stack, tenant, invoice.account_id)
    assert [Decimal(i.amount_due.amount) for i in ledger.open_invoices] == [Decimal("50.00")]


async def test_stored_card_pays_and_shows_only_brand_and_last_digits(stack: PaymentStack) -> None:
    tenant = uuid4()
    invoice = stack.invoices.add(tenant, amount_due="50.00")
    wallet = await stack.payments.AddPaymentMethod(payment_pb2.AddPaymentMethodRequest(
        tenant_id=str(tenant), account_id=invoice.account_id, token="tok_mastercard"))
    [method] = wallet.methods
    assert (method.brand, method.last4, method.is_default) == ("mastercard", "4444", True)
    assert "tok_" not in str(wallet)
    request = record_request(tenant, invoice.invoice_id, amount="50.00", method="card", idempotency_key="s")
    request.account_id = invoice.account_id
    request.payment_method_id = method.payment_method_id
    payment = await stack.payments.RecordPayment(request)
    assert payment.status == "succeeded"

    bad = await rpc_error(stack.payments.AddPaymentMethod(payment_pb2.AddPaymentMethodRequest(
        tenant_id=str(tenant), account_id=invoice.account_id, token="4242424242424242")))
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT
