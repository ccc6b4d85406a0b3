"""The payment service's composition root, run as its own process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import grpc
import nats
import pytest
from billing.payment.v1 import payment_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.integration.payment.payment_stack import (
    PAYMENT_SERVICE,
    StandInInvoiceService,
    record_request,
    start_invoice_server,
)

ROOT = Path(__file__).resolve().parents[3]
STARTUP_SECONDS = 30.0


@pytest.fixture
async def invoices() -> AsyncIterator[tuple[StandInInvoiceService, str]]:
    """The stand-in invoice service and its address."""
    service = StandInInvoiceService()
    server, address = await start_invoice_server(service)
    yield service, address
    await server.stop(0)


async def wait_for_ready_file(path: Path, process: asyncio.subprocess.Process) -> dict[str, str]:
    """The addresses the service reports once it serves."""
    deadline = asyncio.get_running_loop().time() + STARTUP_SECONDS
    while not await asyncio.to_thread(path.exists):
        if process.returncode is not None or asyncio.get_running_loop().time() > deadline:
            raise AssertionError("payment service did not become ready")
        await asyncio.sleep(0.1)
    ready: dict[str, str] = json.loads(await asyncio.to_thread(path.read_text))
    return ready


async def test_main_serves_relays_and_stops_cleanly_on_sigterm(
    database_url: str, nats_url: str, invoices: tuple[StandInInvoiceService, str],
    tmp_path: Path,
) -> None:
    service, invoice_address = invoices
    ready_file, log_file = tmp_path / "payment.ready", tmp_path / "payment.log"
    env = {
        **os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url,
        "INVOICE_GRPC": invoice_address, "GRPC_LISTEN": "127.0.0.1:0",
        "READY_FILE": str(ready_file), "ENVIRONMENT": "test",
        "PAYMENT_GATEWAY": "simulator", "PSP_SIMULATOR_URL": "http://127.0.0.1:9",
        "PSP_WEBHOOK_SECRET": "test-webhook-secret",
    }
    with log_file.open("w") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.payment.main", env=env, cwd=ROOT,
            stdout=log, stderr=log,
        )
    try:
        address = (await wait_for_ready_file(ready_file, process))["grpc"]
        nc = await nats.connect(nats_url)
        subscription = await nc.jetstream().subscribe("events.payment.Payment.Recorded")
        async with grpc.aio.insecure_channel(address) as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=PAYMENT_SERVICE)
            )
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            tenant = uuid4()
            invoice = service.add(tenant)
            payment = await payment_pb2_grpc.PaymentServiceStub(channel).RecordPayment(
                record_request(tenant, invoice.invoice_id)
            )
        message = await subscription.next_msg(timeout=5)
        assert json.loads(message.data)["aggregate_id"] == payment.payment_id
        await nc.drain()
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0, log_file.read_text()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
