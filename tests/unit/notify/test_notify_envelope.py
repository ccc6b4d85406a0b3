"""Reading Invoice.Finalized envelopes: good ones become events, anything else is poison."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast
from uuid import UUID, uuid4

import pytest
from nats.aio.msg import Msg

from kernel.clock import FixedClock
from kernel.messaging import PoisonMessageError
from services.notify.application import Notifier
from services.notify.consumers import InvoiceFinalizedHandler, parse_invoice_finalized
from services.notify.domain import InvoiceFinalized
from tests.unit.notify.notify_fakes import FakeInvoices, FakeMailer, InMemoryDeliveryLog

TENANT = "0b5e8a52-9d0c-4b3e-8f7e-0f3f1f0c1a11"
INVOICE = "5b0d4a3c-2e1f-4a5b-9c8d-7e6f5a4b3c2d"


def envelope(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": "invoice:42", "service": "invoice", "notification_id": 42,
        "type": "Invoice.Finalized", "tenant_id": TENANT, "aggregate_id": INVOICE,
        "aggregate_version": 3, "occurred_at": "2025-02-01T00:00:00+00:00", "data": {},
    }
    body.update(overrides)
    return body


def test_envelope_gives_the_event_id_tenant_and_invoice() -> None:
    event = parse_invoice_finalized(json.dumps(envelope()).encode())

    assert event == InvoiceFinalized("invoice:42", UUID(TENANT), UUID(INVOICE))


@pytest.mark.parametrize("body", [
    b"not json",
    b"\xff\xfe",
    b"[]",
    b'"invoice:42"',
    json.dumps({k: v for k, v in envelope().items() if k != "id"}).encode(),
    json.dumps({k: v for k, v in envelope().items() if k != "tenant_id"}).encode(),
    json.dumps({k: v for k, v in envelope().items() if k != "aggregate_id"}).encode(),
    json.dumps(envelope(id="")).encode(),
    json.dumps(envelope(id=42)).encode(),
    json.dumps(envelope(tenant_id="acme")).encode(),
    json.dumps(envelope(aggregate_id=None)).encode(),
])
def test_malformed_envelope_is_poison(body: bytes) -> None:
    with pytest.raises(PoisonMessageError):
        parse_invoice_finalized(body)


@dataclass
class FakeMessage:
    data: bytes


async def test_event_about_an_unknown_invoice_is_poison() -> None:
    clock = FixedClock(datetime(2025, 2, 1, tzinfo=UTC))
    notifier = Notifier(FakeInvoices(), FakeMailer(), InMemoryDeliveryLog(), clock,
                        "billing@isp.example")
    handler = InvoiceFinalizedHandler(notifier)
    body = json.dumps(envelope(aggregate_id=str(uuid4()))).encode()

    with pytest.raises(PoisonMessageError):
        await handler(cast(Msg, FakeMessage(body)))

