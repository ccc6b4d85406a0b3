"""NATS consumers: each customer event becomes a queued email delivery, then the message is acked.

One durable pull consumer per subject. Recording the delivery is all a message waits for, so a
slow or unreachable mail server never holds the stream up; anything malformed is poison.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from nats.aio.msg import Msg

from kernel.messaging import PoisonMessageError
from kernel.money import Money, MoneyError
from services.notify.application import Notifier
from services.notify.events import CustomerEvent, EventFacts, NotificationKind

log = logging.getLogger(__name__)

Data = dict[str, Any]


@dataclass(frozen=True)
class Subscription:
    """The subject a kind's events arrive on, and notify's durable consumer of it."""

    kind: NotificationKind
    subject: str
    durable: str


SUBSCRIPTIONS = (
    Subscription(NotificationKind.INVOICE_ISSUED, "events.invoice.Invoice.Finalized",
                 "notify-invoice-finalized"),
    Subscription(NotificationKind.PAYMENT_RECEIVED, "events.payment.Payment.Succeeded",
                 "notify-payment-succeeded"),
    Subscription(NotificationKind.PAYMENT_FAILED, "events.payment.Payment.Failed",
                 "notify-payment-failed"),
    Subscription(NotificationKind.DUNNING_REMINDER, "events.payment.Dunning.Reminded",
                 "notify-dunning-reminded"),
    Subscription(NotificationKind.ACCOUNT_SUSPENDED, "events.payment.Dunning.Suspended",
                 "notify-dunning-suspended"),
    Subscription(NotificationKind.QUERY_AWAITING_CUSTOMER, "events.support.Query.CustomerAsked",
                 "notify-query-customer-asked"),
    Subscription(NotificationKind.QUERY_RESOLVED, "events.support.Query.Resolved",
                 "notify-query-resolved"),
    Subscription(NotificationKind.QUERY_REJECTED, "events.support.Query.Rejected",
                 "notify-query-rejected"),
)
SUBSCRIPTION_OF = {subscription.kind: subscription for subscription in SUBSCRIPTIONS}


def text(data: Data, key: str) -> str:
    """A string field; missing or null reads as empty."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def whole_number(data: Data, key: str) -> int:
    """A non-negative integer field."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} must be a non-negative integer")
    return value


def money(data: Data, key: str) -> Money:
    """A {amount, currency} field."""
    value = data[key]
    if not isinstance(value, dict):
        raise ValueError(f"{key} must be an object")
    try:
        return Money.of(value["amount"], value["currency"])
    except MoneyError as error:
        raise ValueError(f"{key}: {error}") from None


def required_text(data: Data, key: str) -> str:
    """A string field that must say something."""
    value = text(data, key)
    if not value.strip():
        raise ValueError(f"{key} must not be empty")
    return value


def optional_money(data: Data, key: str) -> Money | None:
    """A {amount, currency} field that may be missing or null."""
    return None if data.get(key) is None else money(data, key)


def invoice_list(data: Data, key: str) -> tuple[UUID, ...]:
    """A list of invoice ids."""
    value = data[key]
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list")
    return tuple(UUID(item) for item in value)


def optional_invoice(data: Data) -> tuple[UUID, ...]:
    """The payment's invoice, when it targets one ("" when not)."""
    invoice_id = text(data, "invoice_id")
    return (UUID(invoice_id),) if invoice_id else ()


def instant(value: object) -> datetime:
    """An ISO 8601 instant with an offset."""
    if not isinstance(value, str):
        raise ValueError("occurred_at must be a string")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("occurred_at needs an offset")
    return parsed


Parsed = tuple[UUID | None, tuple[UUID, ...], EventFacts]


def invoice_finalized(aggregate_id: UUID, data: Data) -> Parsed:
    """The invoice is the aggregate; its account is read from the invoice later."""
    account = text(data, "account_id")
    return (UUID(account) if account else None), (aggregate_id,), EventFacts()


def payment_succeeded(aggregate_id: UUID, data: Data) -> Parsed:
    """account_id, amount, method, invoice_id, provider_ref."""
    facts = EventFacts(amount=money(data, "amount"), method=text(data, "method"),
                       provider_ref=text(data, "provider_ref"))
    return UUID(data["account_id"]), optional_invoice(data), facts


def payment_failed(aggregate_id: UUID, data: Data) -> Parsed:
    """account_id, amount, method, invoice_id, reason."""
    facts = EventFacts(amount=money(data, "amount"), method=text(data, "method"),
                       failure_reason=text(data, "reason"))
    return UUID(data["account_id"]), optional_invoice(data), facts


def episode(data: Data) -> str:
    """The dunning episode, a string or a number."""
    value = data.get("episode", "")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("episode must be a string or an integer")
    return str(value)


def dunning_reminded(aggregate_id: UUID, data: Data) -> Parsed:
    """account_id, episode, step, days_overdue, amount_overdue, invoice_ids."""
    facts = EventFacts(amount=money(data, "amount_overdue"), episode=episode(data),
                       step=whole_number(data, "step"),
                       days_overdue=whole_number(data, "days_overdue"))
    return UUID(data["account_id"]), invoice_list(data, "invoice_ids"), facts


def dunning_suspended(aggregate_id: UUID, data: Data) -> Parsed:
    """account_id, episode, days_overdue, amount_overdue, invoice_ids."""
    facts = EventFacts(amount=money(data, "amount_overdue"), episode=episode(data),
                       days_overdue=whole_number(data, "days_overdue"))
    return UUID(data["account_id"]), invoice_list(data, "invoice_ids"), facts


def query_customer_asked(aggregate_id: UUID, data: Data) -> Parsed:
    """author, body, written_at; the query (the aggregate) names the account, read later."""
    return None, (), EventFacts(question=required_text(data, "body"))


RESOLUTION_OUTCOMES = ("explained", "credit_note", "adjustment")


def outcome(data: Data) -> str:
    """How the query was resolved: one of RESOLUTION_OUTCOMES."""
    value = text(data, "outcome")
    if value not in RESOLUTION_OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(RESOLUTION_OUTCOMES)}")
    return value


def query_resolved(aggregate_id: UUID, data: Data) -> Parsed:
    """outcome, note, credit_note_number, amount (null when explained), decided_by, decided_at."""
    resolution = outcome(data)
    amount = optional_money(data, "amount")
    number = text(data, "credit_note_number")
    if resolution != "explained" and amount is None:
        raise ValueError(f"a {resolution} outcome needs its amount")
    if resolution == "credit_note" and not number:
        raise ValueError("a credit_note outcome needs its credit_note_number")
    return None, (), EventFacts(amount=amount, outcome=resolution, note=required_text(data, "note"),
                                credit_note_number=number)


def query_rejected(aggregate_id: UUID, data: Data) -> Parsed:
    """reason, decided_by, decided_at."""
    return None, (), EventFacts(note=required_text(data, "reason"))


PARSERS: dict[NotificationKind, Callable[[UUID, Data], Parsed]] = {
    NotificationKind.INVOICE_ISSUED: invoice_finalized,
    NotificationKind.PAYMENT_RECEIVED: payment_succeeded,
    NotificationKind.PAYMENT_FAILED: payment_failed,
    NotificationKind.DUNNING_REMINDER: dunning_reminded,
    NotificationKind.ACCOUNT_SUSPENDED: dunning_suspended,
    NotificationKind.QUERY_AWAITING_CUSTOMER: query_customer_asked,
    NotificationKind.QUERY_RESOLVED: query_resolved,
    NotificationKind.QUERY_REJECTED: query_rejected,
}


def parse_event(kind: NotificationKind, body: bytes) -> CustomerEvent:
    """Read an envelope (kernel.eventstore.event_envelope) of a kind; anything malformed is poison."""
    try:
        envelope = json.loads(body)
        event_id = envelope["id"]
        if not isinstance(event_id, str) or not event_id:
            raise ValueError("id must be a non-empty string")
        data = envelope.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError("data must be an object")
        aggregate_id = UUID(envelope["aggregate_id"])
        account_id, invoice_ids, facts = PARSERS[kind](aggregate_id, data)
        return CustomerEvent(
            event_id=event_id, tenant_id=UUID(envelope["tenant_id"]), kind=kind,
            aggregate_id=aggregate_id, occurred_at=instant(envelope["occurred_at"]),
            account_id=account_id, invoice_ids=invoice_ids, facts=facts,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PoisonMessageError(f"malformed {SUBSCRIPTION_OF[kind].subject}: {error!r}") from error


class CustomerEventHandler:
    """Queues the email of each event of one kind; the message is acked once it is recorded."""

    def __init__(self, kind: NotificationKind, notifier: Notifier) -> None:
        self.kind = kind
        self.notifier = notifier

    async def __call__(self, message: Msg) -> None:
        event = parse_event(self.kind, message.data)
        added = await self.notifier.accept(event)
        log.info("email %s", "queued" if added else "already queued", extra={"fields": {
            "event_id": event.event_id, "kind": self.kind.value,
            "delivery_id": str(event.delivery_id),
        }})
