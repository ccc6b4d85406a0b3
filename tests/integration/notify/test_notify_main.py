"""The notify service's composition root, run as its own process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import grpc
import pytest
from billing.notify.v1 import notify_pb2, notify_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devstack.mailsink import MailSink
from kernel.messaging import EVENTS_STREAM, connect, ensure_stream, publish
from services.notify.consumers import SUBSCRIPTION_OF
from services.notify.events import NotificationKind
from tests.integration.notify.notify_stack import (
    FakeInvoiceService,
    envelope,
    eventually,
    start_invoice_service,
)

ROOT = Path(__file__).resolve().parents[3]
STARTUP_SECONDS = 30.0
SHUTDOWN_SECONDS = 45.0


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    """A real SMTP server on a free port."""
    with MailSink(tmp_path / "mail", 0) as mail_sink:
        yield mail_sink


@pytest.fixture
async def invoices() -> AsyncIterator[tuple[FakeInvoiceService, str]]:
    """The in-test invoice service and its address."""
    server, service, address = await start_invoice_service()
    yield service, address
    await server.stop(0)


async def wait_for_ready_file(path: Path, process: asyncio.subprocess.Process) -> dict[str, str]:
    """The addresses the service reports once it serves."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not await asyncio.to_thread(path.exists):
        if process.returncode is not None or time.monotonic() > deadline:
            raise AssertionError("notify did not become ready")
        await asyncio.sleep(0.1)
    ready: dict[str, str] = json.loads(await asyncio.to_thread(path.read_text))
    return ready


async def test_main_emails_a_finalized_invoice_with_its_pdf_serves_the_log_and_stops_on_sigterm(
    database_url: str, nats_url: str, sink: MailSink,
    invoices: tuple[FakeInvoiceService, str], tmp_path: Path,
) -> None:
    service, invoice_address = invoices
    tenant_id = uuid4()
    invoice = service.add_invoice(tenant_id, service.add_account(tenant_id), "INV-MAIN-1")
    ready_file, log_file = tmp_path / "notify.ready", tmp_path / "notify.log"
    env = {
        **os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url,
        "INVOICE_GRPC": invoice_address, "SMTP_URL": sink.url, "GRPC_LISTEN": "127.0.0.1:0",
        "READY_FILE": str(ready_file), "ENVIRONMENT": "test",
    }
    with log_file.open("w") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.notify.main", env=env, cwd=ROOT,
            stdout=log, stderr=log,
        )
    try:
        address = (await wait_for_ready_file(ready_file, process))["grpc"]
        nc = await connect(nats_url, "notify-main-test")
        js = nc.jetstream()
        await ensure_stream(js, EVENTS_STREAM)
        await publish(js, SUBSCRIPTION_OF[NotificationKind.INVOICE_ISSUED].subject,
                      envelope(NotificationKind.INVOICE_ISSUED, "invoice:1", tenant_id,
                               invoice.invoice_id, {}), msg_id="invoice:1")
        await nc.close()

        async def emailed() -> bool:
            return len(sink.files()) == 1

        await eventually(emailed, what="the invoice email")
        async with grpc.aio.insecure_channel(address) as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service="billing.notify.v1.NotifyService"))
            listed = await notify_pb2_grpc.NotifyServiceStub(channel).ListDeliveries(
                notify_pb2.ListDeliveriesRequest(tenant_id=str(tenant_id)))
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        assert [(d.invoice_id, d.status) for d in listed.deliveries] == [
            (invoice.invoice_id, "sent")]
        [message] = sink.messages()
        assert message["Subject"] == "Invoice INV-MAIN-1 for 1\u201331 Jan 2025"
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content().startswith(b"%PDF")
        process.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(process.wait(), SHUTDOWN_SECONDS)
        assert exit_code == 0, log_file.read_text()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
