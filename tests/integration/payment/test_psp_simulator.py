"""The PSP simulator in its own process, driven through SimulatorGateway token by token."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from devstack.psp_simulator import RunningSimulator, start_simulator
from kernel.money import Money
from services.payment.gateways.port import (
    ChargeRequest,
    ChargeStatus,
    GatewayEvent,
    GatewayEventKind,
    GatewayRejectedError,
    MethodDetails,
    OutcomeUnknownError,
)
from services.payment.gateways.simulator import SimulatorGateway

SECRET = "psp-simulator-integration-secret"
CLIENT_TIMEOUT_SECONDS = 1.0
WEBHOOK_WAIT_SECONDS = 20.0
WEBHOOK_PATH = "/v1/payment-providers/simulator/webhooks"


class WebhookReceiver:
    """A local HTTP endpoint keeping every delivery; it can refuse the first few (to see retries)."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[bytes, dict[str, str]]] = []
        self.refusals_left = 0
        self.refused = 0
        self.arrived = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the simulator posts."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{WEBHOOK_PATH}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """A request handler bound to this receiver."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver.take(self.path, body, dict(self.headers.items()))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return None

        return Handler

    def take(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        """Keep a delivery (or refuse it while refusals are left); the HTTP status to answer."""
        with self.arrived:
            if path != WEBHOOK_PATH:
                return 404
            if self.refusals_left > 0:
                self.refusals_left -= 1
                self.refused += 1
                return 503
            self.deliveries.append((body, headers))
            self.arrived.notify_all()
            return 200

    def snapshot(self, seen: int) -> list[tuple[bytes, dict[str, str]]]:
        """The deliveries after the first `seen`, waiting up to a second for one more."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.deliveries) > seen, timeout=1.0)
            return self.deliveries[seen:]


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    """The webhook receiver, serving in a thread."""
    receiver = WebhookReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture(scope="module")
def simulator(
    receiver: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSimulator]:
    """One simulator process for the module, posting webhooks to the receiver."""
    run_dir = tmp_path_factory.mktemp("psp")
    with start_simulator(receiver.url, SECRET, run_dir, late_seconds=0.3) as running:
        yield running


@pytest.fixture
async def gateway(simulator: RunningSimulator) -> AsyncIterator[SimulatorGateway]:
    """The adapter under test, waiting at most a second for answers."""
    adapter = SimulatorGateway(simulator.url, SECRET, CLIENT_TIMEOUT_SECONDS)
    yield adapter
    await adapter.close()


def charge_request(token: str, amount: str = "20.00") -> ChargeRequest:
    """A charge of a new payment."""
    return ChargeRequest(uuid4(), uuid4(), uuid4(), token, Money.of(amount, "EUR"), "Invoice 2025-0042")


async def webhook_for(gateway: SimulatorGateway, receiver: WebhookReceiver,
                      request: ChargeRequest) -> GatewayEvent:
    """The verified webhook about this payment, once it arrives."""
    deadline = asyncio.get_running_loop().time() + WEBHOOK_WAIT_SECONDS
    seen = 0
    while asyncio.get_running_loop().time() < deadline:
        fresh = await asyncio.to_thread(receiver.snapshot, seen)
        seen += len(fresh)
        for body, headers in fresh:
            event = await gateway.parse_webhook(body, headers)
            if event is not None and event.payment_id == request.payment_id:
                return event
    raise AssertionError(f"no webhook for payment {request.payment_id}")


@pytest.mark.parametrize(("token", "brand", "last4"), [("tok_visa", "visa", "4242"),
                                                       ("tok_mastercard", "mastercard", "4444")])
async def test_a_good_card_is_charged_at_once_and_found_by_lookup(
    gateway: SimulatorGateway, token: str, brand: str, last4: str
) -> None:
    request = charge_request(token)
    outcome = await gateway.charge(request)
    assert outcome.status is ChargeStatus.SUCCEEDED
    assert await gateway.lookup(request) == outcome
    assert await gateway.lookup(request, provider_ref=outcome.provider_ref) == outcome
    assert await gateway.describe_method(token) == MethodDetails(token, brand, last4, 12, 2034)


@pytest.mark.parametrize(("token", "reason"), [("tok_decline", "card_declined"),
                                               ("tok_insufficient_funds", "insufficient_funds")])
async def test_declines_fail_with_their_reason(gateway: SimulatorGateway, token: str, reason: str) -> None:
    request = charge_request(token)
    outcome = await gateway.charge(request)
    assert (outcome.status, outcome.failure_reason) == (ChargeStatus.FAILED, reason)
    assert await gateway.lookup(request) == outcome


async def test_a_timeout_is_unknown_until_lookup_finds_it_succeeded(gateway: SimulatorGateway) -> None:
    request = charge_request("tok_timeout")
    with pytest.raises(OutcomeUnknownError):
        await gateway.charge(request)
    found = await gateway.lookup(request)
    assert found is not None and found.status is ChargeStatus.SUCCEEDED
    assert await gateway.charge(request) == found


async def test_a_lost_request_is_unknown_and_lookup_finds_nothing(gateway: SimulatorGateway) -> None:
    request = charge_request("tok_lost")
    with pytest.raises(OutcomeUnknownError):
        await gateway.charge(request)
    assert await gateway.lookup(request) is None


async def test_a_late_charge_is_pending_then_succeeds_by_signed_webhook_after_a_retry(
    gateway: SimulatorGateway, receiver: WebhookReceiver
) -> None:
    receiver.refusals_left = 1
    refused_before = receiver.refused
    request = charge_request("tok_late")
    outcome = await gateway.charge(request)
    assert outcome.status is ChargeStatus.PENDING
    event = await webhook_for(gateway, receiver, request)
    assert event.kind is GatewayEventKind.CHARGE_SUCCEEDED
    assert (event.tenant_id, event.provider_ref, event.amount) == (
        request.tenant_id, outcome.provider_ref, request.amount)
    assert receiver.refused == refused_before + 1
    found = await gateway.lookup(request)
    assert found is not None and found.status is ChargeStatus.SUCCEEDED


@pytest.mark.parametrize(("result", "kind", "reason"), [
    ("succeed", GatewayEventKind.CHARGE_SUCCEEDED, ""),
    ("fail", GatewayEventKind.CHARGE_FAILED, "authentication_failed"),
])
async def test_3ds_waits_for_the_customer_then_tells_by_webhook(
    gateway: SimulatorGateway, receiver: WebhookReceiver, simulator: RunningSimulator,
    result: str, kind: GatewayEventKind, reason: str,
) -> None:
    request = charge_request("tok_3ds")
    outcome = await gateway.charge(request)
    assert outcome.status is ChargeStatus.PENDING
    assert outcome.action_url == f"{simulator.url}/3ds/{outcome.provider_ref}"
    async with httpx.AsyncClient() as browser:
        page = await browser.get(outcome.action_url)
        assert page.status_code == 200 and "Authenticate" in page.text
        bad = await browser.post(f"{outcome.action_url}/complete", json={"result": "perhaps"})
        assert bad.status_code == 400
        completed = await browser.post(f"{outcome.action_url}/complete", json={"result": result})
        assert completed.status_code == 200
        again = await browser.post(f"{outcome.action_url}/complete", json={"result": result})
        assert again.status_code == 409
    event = await webhook_for(gateway, receiver, request)
    assert (event.kind, event.failure_reason) == (kind, reason)


async def test_refunds_partial_then_full_never_more_and_once_per_refund_id(gateway: SimulatorGateway) -> None:
    request = charge_request("tok_visa", "20.00")
    charged = await gateway.charge(request)
    first_id = uuid4()
    first = await gateway.refund(request, charged.provider_ref, Money.of("5.00", "EUR"), first_id)
    assert first.status is ChargeStatus.SUCCEEDED
    assert await gateway.refund(request, charged.provider_ref, Money.of("5.00", "EUR"), first_id) == first
    with pytest.raises(GatewayRejectedError) as too_much:
        await gateway.refund(request, charged.provider_ref, Money.of("15.01", "EUR"), uuid4())
    assert too_much.value.reason == "amount_too_large"
    rest = await gateway.refund(request, charged.provider_ref, Money.of("15.00", "EUR"), uuid4())
    assert rest.status is ChargeStatus.SUCCEEDED and rest.provider_ref != first.provider_ref
    with pytest.raises(GatewayRejectedError) as nothing_left:
        await gateway.refund(request, charged.provider_ref, Money.of("0.01", "EUR"), uuid4())
    assert nothing_left.value.reason == "amount_too_large"


async def test_refunds_of_unknown_or_failed_charges_are_rejected(gateway: SimulatorGateway) -> None:
    request = charge_request("tok_decline")
    failed = await gateway.charge(request)
    with pytest.raises(GatewayRejectedError) as not_refundable:
        await gateway.refund(request, failed.provider_ref, Money.of("1.00", "EUR"), uuid4())
    assert not_refundable.value.reason == "charge_not_refundable"
    with pytest.raises(GatewayRejectedError) as unknown:
        await gateway.refund(request, "ch_sim_nobody", Money.of("1.00", "EUR"), uuid4())
    assert unknown.value.reason == "unknown_charge"


async def test_a_chargeback_is_told_by_webhook_with_the_amount_taken_back(
    gateway: SimulatorGateway, receiver: WebhookReceiver, simulator: RunningSimulator
) -> None:
    request = charge_request("tok_visa", "30.00")
    charged = await gateway.charge(request)
    async with httpx.AsyncClient(base_url=simulator.url) as admin:
        too_much = await admin.post(f"/charges/{charged.provider_ref}/chargeback", json={"amount": "30.01"})
        assert too_much.status_code == 400
        taken = await admin.post(f"/charges/{charged.provider_ref}/chargeback", json={"amount": "12.50"})
        assert taken.status_code == 200
    event = await webhook_for(gateway, receiver, request)
    assert (event.kind, event.amount, event.provider_ref) == (
        GatewayEventKind.CHARGEBACK, Money.of("12.50", "EUR"), charged.provider_ref)


async def test_the_same_payment_is_charged_once_however_often_it_is_sent(gateway: SimulatorGateway) -> None:
    request = charge_request("tok_visa")
    outcomes = await asyncio.gather(*(gateway.charge(request) for _ in range(3)))
    assert len({outcome.provider_ref for outcome in outcomes}) == 1
    changed = ChargeRequest(request.tenant_id, request.payment_id, request.account_id, "tok_visa",
                            Money.of("21.00", "EUR"))
    with pytest.raises(GatewayRejectedError) as reused:
        await gateway.charge(changed)
    assert reused.value.reason == "idempotency_key_reused"


async def test_unknown_tokens_are_rejected_and_nothing_is_recorded(gateway: SimulatorGateway) -> None:
    request = charge_request("tok_nobody")
    with pytest.raises(GatewayRejectedError) as refused:
        await gateway.charge(request)
    assert refused.value.reason == "unknown_token"
    assert await gateway.lookup(request) is None
    with pytest.raises(GatewayRejectedError) as unknown:
        await gateway.describe_method("tok_nobody")
    assert unknown.value.reason == "unknown_token"


async def test_a_simulator_that_is_not_there_leaves_the_outcome_unknown(tmp_path: Path) -> None:
    with start_simulator("", SECRET, tmp_path) as stopped:
        url = stopped.url
    process = stopped.supervisor.services["psp"].process
    assert process.poll() is not None
    adapter = SimulatorGateway(url, SECRET, CLIENT_TIMEOUT_SECONDS)
    with pytest.raises(OutcomeUnknownError):
        await adapter.charge(charge_request("tok_visa"))
    await adapter.close()
