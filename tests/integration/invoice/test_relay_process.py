"""The invoice outbox relay in a process of its own: woken by the save's NOTIFY, publishing
what the service stores, stopping cleanly."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from uuid import uuid4

import nats

from devstack.supervisor import ServiceSpec, Supervisor
from kernel.database import create_pool
from kernel.messaging import EVENTS_STREAM
from kernel.relay_process import SaveListener, save_channel
from services.invoice.application import InvoiceApplication
from services.invoice.domain.accounts import Account


def opened_account(tenant: object) -> Account:
    return Account(tenant_id=tenant, name="Ada", billing_email="ada@example.org", currency="EUR",
                   plan_id=uuid4(), timezone="Europe/Paris")


async def test_a_save_wakes_the_listener_and_a_closed_one_hears_nothing(
    app: InvoiceApplication, database_url: str
) -> None:
    pool = await create_pool(database_url)
    heard = asyncio.Event()
    listener = SaveListener(pool, save_channel(app), heard.set)
    try:
        await listener.start()
        await asyncio.to_thread(app.save, opened_account(uuid4()))
        await asyncio.wait_for(heard.wait(), 10)

        await listener.close()
        heard.clear()
        await asyncio.to_thread(app.save, opened_account(uuid4()))
        await asyncio.sleep(0.5)
        assert not heard.is_set()
    finally:
        await listener.close()
        await pool.close()


async def test_the_relay_process_publishes_what_the_service_saves(
    app: InvoiceApplication, database_url: str, nats_url: str, tmp_path: Path
) -> None:
    supervisor = Supervisor(restart=False)
    supervisor.start(ServiceSpec(
        name="invoice-relay", module="services.invoice.relay_main",
        env={**os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url,
             "GRPC_LISTEN": "127.0.0.1:0", "OUTBOX_RELAY": "own_process"},
        ready_file=tmp_path / "relay.ready"))
    nc = await nats.connect(nats_url)
    try:
        await asyncio.to_thread(supervisor.wait_ready, "invoice-relay")
        account = opened_account(uuid4())
        await asyncio.to_thread(app.save, account)
        js = nc.jetstream()
        for _ in range(100):
            if (await js.stream_info(EVENTS_STREAM.name)).state.messages > 0:
                break
            await asyncio.sleep(0.1)
        message = await js.get_msg(EVENTS_STREAM.name, seq=1)
        assert message.subject.startswith("events.invoice.Account.")
        assert str(account.id).encode() in (message.data or b"")
    finally:
        await nc.close()
        await asyncio.to_thread(supervisor.stop)
    assert supervisor.services["invoice-relay"].process.returncode == 0
