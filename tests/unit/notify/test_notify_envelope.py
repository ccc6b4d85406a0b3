"""Reading the envelopes of the five kinds: good ones become events, anything else is poison."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

import pytest
from nats.aio.msg import Msg

from kernel.clock import FixedClock
from kernel.messaging import PoisonMessageError
from kernel.money import Money
from services.notify.application import Notifier
from services.notify.consumers import SUBSCRIPTION_OF, CustomerEventHandler, parse_event
from services.notify.events import CustomerEvent, EventFacts, NotificationKind
from tests.unit.notify.notify_fakes import InMemoryDeliveryLog

TENANT = "0b5e8a52-9d0c-4b3e-8f7e-0f3f1f0c1a11"
AGGREGATE = "5b0d4a3c-2e1f-4a5b-9c8d-7e6f5a4b3c2d"
ACCOUNT = "7c1e5b4d-3f2a-4b6c-8d9e-0f1a2b3c4d5e"
INVOICES = ["11111111-2222-4333-8444-555555555555", "66666666-7777-4888-8999-aaaaaaaaaaaa"]
AT = datetime(2025, 2, 1, tzinfo=UTC)
EUR = {"amount": "42.41", "currency": "EUR"}

DATA: dict[NotificationKind, dict[str, Any]] = {
    NotificationKind.INVOICE_ISSUED: {"number": "INV-1", "finalized_at": "2025-02-01", "total": EUR},
    NotificationKind.PAYMENT_RECEIVED: {"account_id": ACCOUNT, "amount": EUR, "method": "card",
                                        "invoice_id": INVOICES[0], "provider_ref": "ch_1"},
    NotificationKind.PAYMENT_FAILED: {"account_id": ACCOUNT, "amount": EUR, "method": "sepa_debit",
                                      "invoice_id": "", "reason": "insufficient_funds"},
    NotificationKind.DUNNING_REMINDER: {"account_id": ACCOUNT, "episode": 3, "step": 2,
                                        "days_overdue": 21, "amount_overdue": EUR,
                                        "invoice_ids": INVOICES},
    NotificationKind.ACCOUNT_SUSPENDED: {"account_id": ACCOUNT, "episode": "ep-3", "days_overdue": 45,
                                         "amount_overdue": EUR, "invoice_ids": INVOICES},
}


def envelope(kind: NotificationKind, data: object = None, **overrides: object) -> bytes:
    """An envelope as kernel.eventstore.event_envelope builds it."""
    service = "invoice" if kind is NotificationKind.INVOICE_ISSUED else "payment"
    body: dict[str, object] = {
        "id": f"{service}:42", "service": service, "notification_id": 42,
        "type": SUBSCRIPTION_OF[kind].subject.split(".", 2)[2], "tenant_id": TENANT,
        "aggregate_id": AGGREGATE, "aggregate_version": 3,
        "occurred_at": "2025-02-01T00:00:00+00:00", "data": DATA[kind] if data is None else data,
    }
    body.update(overrides)
    return json.dumps(body).encode()


def expected(kind: NotificationKind, **fields: Any) -> CustomerEvent:
    """The event an envelope of the kind should read as."""
    service = "invoice" if kind is NotificationKind.INVOICE_ISSUED else "payment"
    base: dict[str, Any] = {"event_id": f"{service}:42", "tenant_id": UUID(TENANT), "kind": kind,
                            "aggregate_id": UUID(AGGREGATE), "occurred_at": AT}
    return CustomerEvent(**{**base, **fields})


def test_invoice_finalized_is_about_its_invoice_and_the_account_is_read_later() -> None:
    event = parse_event(NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED))

    assert event == expected(NotificationKind.INVOICE_ISSUED, invoice_ids=(UUID(AGGREGATE),))


def test_payment_succeeded_gives_account_invoice_amount_method_and_reference() -> None:
    event = parse_event(NotificationKind.PAYMENT_RECEIVED, envelope(NotificationKind.PAYMENT_RECEIVED))

    assert event == expected(
        NotificationKind.PAYMENT_RECEIVED, account_id=UUID(ACCOUNT), invoice_ids=(UUID(INVOICES[0]),),
        facts=EventFacts(amount=Money.of("42.41", "EUR"), method="card", provider_ref="ch_1"))


def test_payment_failed_without_an_invoice_gives_the_reason() -> None:
    event = parse_event(NotificationKind.PAYMENT_FAILED, envelope(NotificationKind.PAYMENT_FAILED))

    assert event == expected(
        NotificationKind.PAYMENT_FAILED, account_id=UUID(ACCOUNT),
        facts=EventFacts(amount=Money.of("42.41", "EUR"), method="sepa_debit",
                         failure_reason="insufficient_funds"))


def test_dunning_reminded_gives_step_days_amount_and_invoices() -> None:
    event = parse_event(NotificationKind.DUNNING_REMINDER, envelope(NotificationKind.DUNNING_REMINDER))

    assert event == expected(
        NotificationKind.DUNNING_REMINDER, account_id=UUID(ACCOUNT),
        invoice_ids=tuple(UUID(i) for i in INVOICES),
        facts=EventFacts(amount=Money.of("42.41", "EUR"), episode="3", step=2, days_overdue=21))


def test_dunning_suspended_gives_days_amount_and_invoices() -> None:
    event = parse_event(NotificationKind.ACCOUNT_SUSPENDED,
                        envelope(NotificationKind.ACCOUNT_SUSPENDED))

    assert event == expected(
        NotificationKind.ACCOUNT_SUSPENDED, account_id=UUID(ACCOUNT),
        invoice_ids=tuple(UUID(i) for i in INVOICES),
        facts=EventFacts(amount=Money.of("42.41", "EUR"), episode="ep-3", days_overdue=45))


def test_the_delivery_id_differs_per_kind_for_the_same_event_id() -> None:
    reminded = parse_event(NotificationKind.DUNNING_REMINDER, envelope(NotificationKind.DUNNING_REMINDER))
    suspended = parse_event(NotificationKind.ACCOUNT_SUSPENDED,
                            envelope(NotificationKind.ACCOUNT_SUSPENDED))

    assert reminded.delivery_id != suspended.delivery_id


def without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def changed(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**data, **fields}


PAYMENT = DATA[NotificationKind.PAYMENT_RECEIVED]
DUNNING = DATA[NotificationKind.DUNNING_REMINDER]


@pytest.mark.parametrize(("kind", "body"), [
    (NotificationKind.INVOICE_ISSUED, b"not json"),
    (NotificationKind.INVOICE_ISSUED, b"\xff\xfe"),
    (NotificationKind.INVOICE_ISSUED, b"[]"),
    (NotificationKind.INVOICE_ISSUED, b'"invoice:42"'),
    (NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED, id="")),
    (NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED, id=42)),
    (NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED, tenant_id="acme")),
    (NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED, aggregate_id=None)),
    (NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED, occurred_at="yesterday")),
    (NotificationKind.INVOICE_ISSUED,
     envelope(NotificationKind.INVOICE_ISSUED, occurred_at="2025-02-01T00:00:00")),
    (NotificationKind.INVOICE_ISSUED, envelope(NotificationKind.INVOICE_ISSUED, data=[1])),
    (NotificationKind.PAYMENT_RECEIVED, envelope(NotificationKind.PAYMENT_RECEIVED,
                                                 without(PAYMENT, "account_id"))),
    (NotificationKind.PAYMENT_RECEIVED, envelope(NotificationKind.PAYMENT_RECEIVED,
                                                 without(PAYMENT, "amount"))),
    (NotificationKind.PAYMENT_RECEIVED, envelope(
        NotificationKind.PAYMENT_RECEIVED, changed(PAYMENT, amount={"amount": 1.5, "currency": "EUR"}))),
    (NotificationKind.PAYMENT_RECEIVED, envelope(
        NotificationKind.PAYMENT_RECEIVED, changed(PAYMENT, amount={"amount": "1", "currency": "XXX"}))),
    (NotificationKind.PAYMENT_RECEIVED, envelope(NotificationKind.PAYMENT_RECEIVED,
                                                 changed(PAYMENT, invoice_id="INV-7"))),
    (NotificationKind.PAYMENT_FAILED, envelope(NotificationKind.PAYMENT_FAILED,
                                               changed(PAYMENT, method=7))),
    (NotificationKind.DUNNING_REMINDER, envelope(NotificationKind.DUNNING_REMINDER,
                                                 changed(DUNNING, step="2"))),
    (NotificationKind.DUNNING_REMINDER, envelope(NotificationKind.DUNNING_REMINDER,
                                                 changed(DUNNING, days_overdue=-1))),
    (NotificationKind.DUNNING_REMINDER, envelope(NotificationKind.DUNNING_REMINDER,
                                                 changed(DUNNING, invoice_ids=INVOICES[0]))),
    (NotificationKind.DUNNING_REMINDER, envelope(NotificationKind.DUNNING_REMINDER,
                                                 changed(DUNNING, invoice_ids=["x"]))),
    (NotificationKind.ACCOUNT_SUSPENDED, envelope(NotificationKind.ACCOUNT_SUSPENDED,
                                                  changed(DUNNING, episode=None))),
])
def test_malformed_envelope_is_poison(kind: NotificationKind, body: bytes) -> None:
    with pytest.raises(PoisonMessageError):
        parse_event(kind, body)


@dataclass
class FakeMessage:
    data: bytes


async def test_handler_queues_a_redelivered_event_once_and_wakes_the_sender_once() -> None:
    log = InMemoryDeliveryLog()
    woken: list[bool] = []
    notifier = Notifier(log, FixedClock(AT), on_queued=lambda: woken.append(True))
    handler = CustomerEventHandler(NotificationKind.PAYMENT_RECEIVED, notifier)
    message = cast(Msg, FakeMessage(envelope(NotificationKind.PAYMENT_RECEIVED)))

    await handler(message)
    await handler(message)

    [delivery] = log.rows.values()
    assert (delivery.status.value, delivery.next_attempt_at, delivery.account_id) == (
        "queued", AT, UUID(ACCOUNT))
    assert woken == [True]
