"""Webhooks against real PostgreSQL, nats-server and a local HTTP receiver checking signatures."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import ip_address
from uuid import UUID, uuid4

import asyncpg
import grpc
import pytest
from billing.notify.v1 import webhooks_pb2, webhooks_pb2_grpc
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError as ConsumerNotFoundError

from kernel.clock import FixedClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, field_violation
from kernel.messaging import EVENTS_STREAM, connect, ensure_stream, publish
from services.notify.webhooks.consumer import WEBHOOK_EVENTS_DURABLE
from services.notify.webhooks.schedule import MAX_ATTEMPTS
from services.notify.webhooks.sender import HttpPoster
from services.notify.webhooks.settings import WebhookSettings
from services.notify.webhooks.sql import DDL
from services.notify.webhooks.ssrf import Address, SystemResolver
from services.notify.webhooks.verification import SignatureError, verify
from services.notify.webhooks.wiring import build_webhooks

KEY = "integration-test-webhook-secrets-key-0123456789"
EMPTY_ANSWER = "Content-Length: 0\r\nConnection: close\r\n\r\n"


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    """Wait until check() is true, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@dataclass
class Received:
    """One POST as the receiver saw it."""

    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A tiny HTTP/1.1 server on 127.0.0.1 (port 0): records each request, answers `status`.

    While `gate` is set to an unset event, requests wait for it (a hanging endpoint).
    """

    status: int = 200
    gate: asyncio.Event | None = None
    requests: list[Received] = field(default_factory=list)
    connections: int = 0
    waiting: int = 0
    most_waiting: int = 0
    port: int = 0
    server: asyncio.Server | None = None

    async def start(self) -> Receiver:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self.gate is not None:
            self.gate.set()
        if self.server is not None:
            self.server.close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await reader.readline()
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if not await self.hold(reader):
                return
            self.requests.append(Received(headers, body))
            writer.write(f"HTTP/1.1 {self.status} Answer\r\n{EMPTY_ANSWER}".encode())
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def hold(self, reader: asyncio.StreamReader) -> bool:
        """Wait at the gate while the client waits, counting how many wait at once; False if it left."""
        if self.gate is None:
            return True
        self.waiting += 1
        self.most_waiting = max(self.most_waiting, self.waiting)
        opened, left = asyncio.create_task(self.gate.wait()), asyncio.create_task(reader.read(1))
        try:
            await asyncio.wait({opened, left}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.waiting -= 1
            opened.cancel()
            left.cancel()
        return self.gate.is_set()


class TableResolver:
    """The system resolver, except for names the test sets (to move a name to another address)."""

    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {}
        self.system = SystemResolver()

    async def resolve(self, host: str, port: int) -> list[Address]:
        if host in self.table:
            return [ip_address(text) for text in self.table[host]]
        return await self.system.resolve(host, port)


class WebhookStack:
    """Webhooks' consumer, sender and gRPC API in this process, on a clock the test moves."""

    pool: asyncpg.Pool
    nc: NATS
    js: JetStreamContext
    server: GrpcServer
    channel: grpc.aio.Channel
    stub: webhooks_pb2_grpc.WebhookServiceStub
    poster: HttpPoster

    def __init__(self, database_url: str, nats_url: str) -> None:
        self.database_url, self.nats_url = database_url, nats_url
        self.clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
        self.resolver = TableResolver()
        self.stopping = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.published = 0

    async def start(self) -> None:
        self.pool = await create_pool(self.database_url)
        await ensure_schema(self.pool, "notify", DDL)
        self.nc = await connect(self.nats_url, "webhooks-test")
        self.js = self.nc.jetstream()
        await ensure_stream(self.js, EVENTS_STREAM)
        settings = WebhookSettings(secrets_key=KEY, timeout_seconds=2.0, per_endpoint_concurrency=2,
                                   poll_seconds=0.05)
        self.poster = HttpPoster(settings.timeout_seconds)
        self.webhooks = build_webhooks(self.pool, settings, self.poster, self.clock, self.resolver)
        self.tasks = [asyncio.create_task(self.webhooks.consumer(self.js).run(self.stopping)),
                      asyncio.create_task(self.webhooks.sender.run(self.stopping))]
        self.server = GrpcServer([self.webhooks.registration])
        self.channel = grpc.aio.insecure_channel(await self.server.start("127.0.0.1:0"))
        self.stub = webhooks_pb2_grpc.WebhookServiceStub(self.channel)

    async def stop(self) -> None:
        self.stopping.set()
        await asyncio.gather(*self.tasks)
        await self.channel.close(None)
        await self.server.stop(0)
        await self.poster.close()
        await self.nc.close()
        await self.pool.close()

    async def publish(self, tenant_id: UUID, event_id: str, kind: str = "Invoice.Finalized",
                      service: str = "invoice", msg_id: str | None = None) -> bytes:
        """Publish an event envelope; the body is returned as published."""
        body = json.dumps({
            "id": event_id, "service": service, "notification_id": int(event_id.rsplit(":", 1)[1]),
            "type": kind, "tenant_id": str(tenant_id), "aggregate_id": str(uuid4()), "aggregate_version": 2,
            "occurred_at": self.clock.now().isoformat(), "data": {"number": "INV-1", "total": {
                "amount": "12.30", "currency": "EUR"}}}).encode()
        await publish(self.js, f"events.{service}.{kind}", body, msg_id=msg_id or event_id)
        return body

    async def consumed_everything(self) -> bool:
        """True when the webhook consumer has acked every message."""
        try:
            info = await self.js.consumer_info(EVENTS_STREAM.name, WEBHOOK_EVENTS_DURABLE)
        except ConsumerNotFoundError:
            return False
        return info.num_pending == 0 and info.num_ack_pending == 0

    async def allow_private(self, tenant_id: UUID, allowed: bool = True) -> None:
        await self.stub.SetWebhookSettings(webhooks_pb2.SetWebhookSettingsRequest(
            tenant_id=str(tenant_id), allow_private_targets=allowed))

    async def register(self, tenant_id: UUID, url: str, *types: str) -> webhooks_pb2.CreatedEndpoint:
        return await self.stub.CreateEndpoint(webhooks_pb2.CreateEndpointRequest(
            tenant_id=str(tenant_id), url=url, event_types=list(types) or ["invoice.Invoice.Finalized"],
            description="ERP"))

    async def deliveries(self, tenant_id: UUID, endpoint_id: str) -> list[webhooks_pb2.WebhookDelivery]:
        listed = await self.stub.ListDeliveries(webhooks_pb2.ListWebhookDeliveriesRequest(
            tenant_id=str(tenant_id), endpoint_id=endpoint_id))
        return list(listed.deliveries)

    async def delivery(self, tenant_id: UUID, delivery_id: str) -> webhooks_pb2.WebhookDelivery:
        return await self.stub.GetDelivery(webhooks_pb2.GetWebhookDeliveryRequest(
            tenant_id=str(tenant_id), delivery_id=delivery_id))

    def move_to(self, instant: str) -> None:
        """Set the clock to an instant the API named, and let the sender look."""
        self.clock.at = datetime.fromisoformat(instant)
        self.webhooks.sender.wake()


@pytest.fixture
async def stack(database_url: str, nats_url: str) -> AsyncIterator[WebhookStack]:
    webhook_stack = WebhookStack(database_url, nats_url)
    await webhook_stack.start()
    yield webhook_stack
    await webhook_stack.stop()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    started = await Receiver().start()
    yield started
    await started.stop()


def unix(instant: datetime) -> float:
    return instant.timestamp()


async def test_a_matching_event_is_posted_signed_once_even_when_published_again(
    stack: WebhookStack, receiver: Receiver
) -> None:
    tenant, other_tenant = uuid4(), uuid4()
    await stack.allow_private(tenant)
    created = await stack.register(tenant, receiver.url(), "invoice.Invoice.Finalized", "payment.*")
    secret = created.secret.secret

    body = await stack.publish(tenant, "invoice:1")
    await stack.publish(tenant, "invoice:1", msg_id="redelivered-invoice:1")
    await stack.publish(tenant, "invoice:2", kind="Invoice.Drafted")
    await stack.publish(other_tenant, "invoice:3")
    await stack.publish(tenant, "payment:4", kind="Payment.Succeeded", service="payment")

    async def two_received() -> bool:
        return len(receiver.requests) >= 2

    async def both_settled() -> bool:
        """The sender records each outcome after the receiver has answered, so a request received
        is not yet a delivery recorded."""
        found = await stack.deliveries(tenant, created.endpoint.endpoint_id)
        return len(found) == 2 and all(d.status != "pending" for d in found)

    await eventually(two_received, "two deliveries")
    await eventually(stack.consumed_everything, "every event acked")
    await eventually(both_settled, "both outcomes recorded")
    deliveries = await stack.deliveries(tenant, created.endpoint.endpoint_id)
    assert sorted(d.event_id for d in deliveries) == ["invoice:1", "payment:4"]
    assert len(receiver.requests) == 2
    first = next(r for r in receiver.requests if r.body == body)
    assert verify(first.body, first.headers["billing-webhook-signature"], [secret],
                  now=unix(stack.clock.now())) == int(first.headers["billing-webhook-timestamp"])
    invoice_delivery = next(d for d in deliveries if d.event_id == "invoice:1")
    assert first.headers["billing-webhook-id"] == invoice_delivery.delivery_id
    assert first.headers["content-type"] == "application/json"
    assert (invoice_delivery.status, invoice_delivery.attempts, invoice_delivery.event_type) == (
        "delivered", 1, "invoice.Invoice.Finalized")
    logged = await stack.delivery(tenant, invoice_delivery.delivery_id)
    assert [(a.number, a.outcome, a.status_code, a.reason, a.manual) for a in logged.attempt_log] == [
        (1, "delivered", 200, "ok", False)]
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await stack.deliveries(other_tenant, created.endpoint.endpoint_id)
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_failing_endpoint_is_retried_over_a_day_then_disabled_and_redelivered_by_hand(
    stack: WebhookStack, receiver: Receiver
) -> None:
    tenant = uuid4()
    receiver.status = 500
    await stack.allow_private(tenant)
    created = await stack.register(tenant, receiver.url())
    endpoint_id, started = created.endpoint.endpoint_id, stack.clock.now()
    await stack.publish(tenant, "invoice:10")

    async def delivery_recorded() -> bool:
        return len(await stack.deliveries(tenant, endpoint_id)) == 1

    await eventually(delivery_recorded, "the delivery")
    [listed] = await stack.deliveries(tenant, endpoint_id)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        async def attempted(count: int = attempt) -> bool:
            return (await stack.delivery(tenant, listed.delivery_id)).attempts == count

        await eventually(attempted, f"attempt {attempt}")
        current = await stack.delivery(tenant, listed.delivery_id)
        if current.next_attempt_at:
            stack.move_to(current.next_attempt_at)

    failed = await stack.delivery(tenant, listed.delivery_id)
    assert (failed.status, failed.attempts, failed.next_attempt_at, failed.last_reason) == (
        "failed", MAX_ATTEMPTS, "", "http_500")
    assert {(a.outcome, a.status_code, a.reason) for a in failed.attempt_log} == {("failed", 500, "http_500")}
    assert (stack.clock.now() - started).total_seconds() >= 24 * 3600
    assert len(receiver.requests) == MAX_ATTEMPTS
    endpoint = await stack.stub.GetEndpoint(webhooks_pb2.GetEndpointRequest(
        tenant_id=str(tenant), endpoint_id=endpoint_id))
    assert endpoint.status == "disabled"
    notice = re.fullmatch(r"failing for (\d+) h since (\S+): (.+)", endpoint.disabled_reason)
    assert notice is not None, endpoint.disabled_reason
    assert (int(notice[1]) >= 24, notice[2], notice[3]) == (True, started.isoformat(), "http_500")
    assert endpoint.failing_since == started.isoformat()

    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stack.stub.Redeliver(webhooks_pb2.RedeliverRequest(
            tenant_id=str(tenant), delivery_id=listed.delivery_id))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    receiver.status = 204
    enabled = await stack.stub.EnableEndpoint(webhooks_pb2.EnableEndpointRequest(
        tenant_id=str(tenant), endpoint_id=endpoint_id))
    assert (enabled.status, enabled.disabled_reason, enabled.failing_since) == ("enabled", "", "")
    queued = await stack.stub.Redeliver(webhooks_pb2.RedeliverRequest(
        tenant_id=str(tenant), delivery_id=listed.delivery_id))
    assert queued.next_attempt_at == stack.clock.now().isoformat()
    stack.webhooks.sender.wake()

    async def delivered() -> bool:
        return (await stack.delivery(tenant, listed.delivery_id)).status == "delivered"

    await eventually(delivered, "the manual redelivery")
    done = await stack.delivery(tenant, listed.delivery_id)
    assert [(a.number, a.outcome, a.status_code, a.manual) for a in done.attempt_log[-2:]] == [
        (MAX_ATTEMPTS, "failed", 500, False), (MAX_ATTEMPTS + 1, "delivered", 204, True)]


async def test_private_targets_are_refused_at_registration_and_at_send_time(
    stack: WebhookStack, receiver: Receiver
) -> None:
    tenant = uuid4()
    for url, reason in [(receiver.url(), "https_required"),
                        (f"https://127.0.0.1:{receiver.port}/hook", "ssrf_blocked"),
                        (f"https://[::ffff:127.0.0.1]:{receiver.port}/hook", "ssrf_blocked"),
                        ("https://no-such-host.invalid/hook", "unresolvable_host")]:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stack.register(tenant, url)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field_violation(refused.value) == {"field": "url", "reason": reason}

    stack.resolver.table["hooks.rebind.test"] = ["93.184.216.34"]
    created = await stack.register(tenant, f"https://hooks.rebind.test:{receiver.port}/hook")
    stack.resolver.table["hooks.rebind.test"] = ["127.0.0.1"]
    await stack.publish(tenant, "invoice:20")

    async def attempted() -> bool:
        listed = await stack.deliveries(tenant, created.endpoint.endpoint_id)
        return bool(listed) and listed[0].attempts == 1

    await eventually(attempted, "the refused attempt")
    [listed] = await stack.deliveries(tenant, created.endpoint.endpoint_id)
    [attempt] = (await stack.delivery(tenant, listed.delivery_id)).attempt_log
    assert (attempt.outcome, attempt.status_code, attempt.reason) == (
        "failed", 0, "ssrf_blocked: loopback 127.0.0.1")
    assert listed.status == "pending" and listed.next_attempt_at
    assert receiver.connections == 0


async def test_a_hanging_endpoint_does_not_hold_up_another(stack: WebhookStack) -> None:
    tenant = uuid4()
    hanging, quick = await Receiver(gate=asyncio.Event()).start(), await Receiver().start()
    try:
        await stack.allow_private(tenant)
        slow = await stack.register(tenant, hanging.url(), "*")
        await stack.register(tenant, quick.url(), "*")
        for n in range(6):
            await stack.publish(tenant, f"invoice:{30 + n}")

        async def quick_has_all() -> bool:
            return len(quick.requests) == 6

        await eventually(quick_has_all, "every delivery at the quick endpoint")
        assert hanging.requests == []
        assert hanging.most_waiting <= 2

        async def timed_out() -> bool:
            listed = await stack.deliveries(tenant, slow.endpoint.endpoint_id)
            return sum(d.attempts for d in listed) == 6

        await eventually(timed_out, "the hanging endpoint's attempts to time out")
        listed = await stack.deliveries(tenant, slow.endpoint.endpoint_id)
        assert {(d.status, d.last_reason.partition(":")[0]) for d in listed} == {("pending", "timeout")}
        assert hanging.most_waiting == 2
    finally:
        await hanging.stop()
        await quick.stop()


async def test_rotation_signs_with_both_secrets_until_the_old_one_is_retired(
    stack: WebhookStack, receiver: Receiver
) -> None:
    tenant = uuid4()
    await stack.allow_private(tenant)
    created = await stack.register(tenant, receiver.url())
    old_secret, endpoint_id = created.secret.secret, created.endpoint.endpoint_id
    rotated = await stack.stub.RotateSecret(webhooks_pb2.RotateSecretRequest(
        tenant_id=str(tenant), endpoint_id=endpoint_id))
    with pytest.raises(grpc.aio.AioRpcError) as third:
        await stack.stub.RotateSecret(webhooks_pb2.RotateSecretRequest(
            tenant_id=str(tenant), endpoint_id=endpoint_id))
    assert third.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    await stack.publish(tenant, "invoice:40")

    async def received(count: int) -> bool:
        return len(receiver.requests) == count

    await eventually(lambda: received(1), "the first delivery")
    now = unix(stack.clock.now())
    both = receiver.requests[0]
    for secret in (old_secret, rotated.secret):
        verify(both.body, both.headers["billing-webhook-signature"], [secret], now=now)
    assert both.headers["billing-webhook-signature"].count("v1=") == 2

    endpoint = await stack.stub.RetireSecret(webhooks_pb2.RetireSecretRequest(
        tenant_id=str(tenant), endpoint_id=endpoint_id, secret_id=created.secret.info.secret_id))
    assert [s.secret_id for s in endpoint.secrets] == [rotated.info.secret_id]
    assert all(s.prefix == rotated.secret[:10] for s in endpoint.secrets)
    await stack.publish(tenant, "invoice:41")
    await eventually(lambda: received(2), "the second delivery")
    after = receiver.requests[1]
    verify(after.body, after.headers["billing-webhook-signature"], [rotated.secret], now=now)
    with pytest.raises(SignatureError):
        verify(after.body, after.headers["billing-webhook-signature"], [old_secret], now=now)

    with pytest.raises(grpc.aio.AioRpcError) as last:
        await stack.stub.RetireSecret(webhooks_pb2.RetireSecretRequest(
            tenant_id=str(tenant), endpoint_id=endpoint_id, secret_id=rotated.info.secret_id))
    assert last.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    stored = await stack.pool.fetch("SELECT sealed FROM notify.webhook_secrets")
    assert all(old_secret not in row["sealed"] and rotated.secret not in row["sealed"] for row in stored)


async def test_endpoints_are_the_tenants_own_and_bad_input_names_the_field(
    stack: WebhookStack, receiver: Receiver
) -> None:
    tenant, stranger = uuid4(), uuid4()
    await stack.allow_private(tenant)
    created = await stack.register(tenant, receiver.url())
    endpoint_id = created.endpoint.endpoint_id

    strangers = {"tenant_id": str(stranger), "endpoint_id": endpoint_id}
    for call in (
        stack.stub.GetEndpoint(webhooks_pb2.GetEndpointRequest(**strangers)),
        stack.stub.DeleteEndpoint(webhooks_pb2.DeleteEndpointRequest(**strangers)),
        stack.stub.RotateSecret(webhooks_pb2.RotateSecretRequest(**strangers)),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as hidden:
            await call
        assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as bad_types:
        await stack.register(tenant, receiver.url(), "invoices.*")
    assert field_violation(bad_types.value) == {"field": "event_types", "reason": "unknown_service: invoices"}
    with pytest.raises(grpc.aio.AioRpcError) as bad_status:
        await stack.stub.ListEndpoints(webhooks_pb2.ListEndpointsRequest(
            tenant_id=str(tenant), status="asleep"))
    assert field_violation(bad_status.value) == {"field": "status", "reason": "one_of_enabled_disabled"}

    updated = await stack.stub.UpdateEndpoint(webhooks_pb2.UpdateEndpointRequest(
        tenant_id=str(tenant), endpoint_id=endpoint_id, url=receiver.url("/v2"), event_types=["payment.*"],
        description="new"))
    assert (updated.url, list(updated.event_types), updated.description) == (
        receiver.url("/v2"), ["payment.*"], "new")
    disabled = await stack.stub.DisableEndpoint(webhooks_pb2.DisableEndpointRequest(
        tenant_id=str(tenant), endpoint_id=endpoint_id, reason="maintenance"))
    assert (disabled.status, disabled.disabled_reason) == ("disabled", "disabled by operator: maintenance")
    listed = await stack.stub.ListEndpoints(webhooks_pb2.ListEndpointsRequest(
        tenant_id=str(tenant), status="disabled"))
    assert [e.endpoint_id for e in listed.endpoints] == [endpoint_id]

    await stack.allow_private(tenant, allowed=False)
    with pytest.raises(grpc.aio.AioRpcError) as plain_http:
        await stack.register(tenant, receiver.url())
    assert field_violation(plain_http.value) == {"field": "url", "reason": "https_required"}
    owned = {"tenant_id": str(tenant), "endpoint_id": endpoint_id}
    await stack.stub.DeleteEndpoint(webhooks_pb2.DeleteEndpointRequest(**owned))
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await stack.stub.GetEndpoint(webhooks_pb2.GetEndpointRequest(**owned))
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND
