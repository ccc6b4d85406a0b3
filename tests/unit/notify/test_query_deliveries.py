"""Support events becoming emails: reading their envelopes, reading the query, sending once."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from billing.support.v1 import support_pb2
from pydantic import ValidationError

from kernel.messaging import PoisonMessageError
from kernel.money import Money
from services.notify.composer import EmailWriter
from services.notify.consumers import SUBSCRIPTION_OF, parse_event
from services.notify.dispatch import Dispatcher
from services.notify.domain import DeliveryStatus, QueryNotFoundError, SupportUnavailableError
from services.notify.events import CustomerEvent, EventFacts, NotificationKind
from services.notify.queries import query_from_proto
from services.notify.retries import RetryPolicy
from services.notify.settings import Settings
from services.notify.sources import AccountContact, InvoiceSummary, QuerySummary
from services.notify.sql import facts_from_json, facts_to_json
from tests.unit.notify.notify_fakes import NOW, SENDER, World, an_event

ASKED = NotificationKind.QUERY_AWAITING_CUSTOMER
RESOLVED = NotificationKind.QUERY_RESOLVED
REJECTED = NotificationKind.QUERY_REJECTED
TENANT = "0b5e8a52-9d0c-4b3e-8f7e-0f3f1f0c1a11"
QUERY = "5b0d4a3c-2e1f-4a5b-9c8d-7e6f5a4b3c2d"
STAFF = {"role": "support", "id": "key-1"}
DATA: dict[NotificationKind, dict[str, Any]] = {
    ASKED: {"author": STAFF, "body": "Which payment is yours?", "written_at": "2025-02-01T10:00:00+00:00"},
    RESOLVED: {"outcome": "credit_note", "note": "Charged twice; credited.", "decided_by": STAFF,
               "decided_at": "2025-02-01T10:00:00+00:00", "credit_note_id": str(uuid4()),
               "credit_note_number": "CN-2025-000031", "credited_lines": [], "charge_id": "",
               "amount": {"amount": "4.00", "currency": "GBP"}},
    REJECTED: {"reason": "Both payments were yours.", "decided_by": STAFF,
               "decided_at": "2025-02-01T10:00:00+00:00"},
}


def envelope(kind: NotificationKind, data: dict[str, Any], event_id: str = "support:17") -> bytes:
    """A support relay's envelope of the kind's subject."""
    return json.dumps({
        "id": event_id, "service": "support", "notification_id": 17,
        "type": SUBSCRIPTION_OF[kind].subject.split(".", 2)[2], "tenant_id": TENANT,
        "aggregate_id": QUERY, "aggregate_version": 3, "occurred_at": "2025-02-01T10:00:00+00:00",
        "data": data,
    }).encode()


def test_each_query_kind_listens_to_its_support_subject() -> None:
    assert [(SUBSCRIPTION_OF[kind].subject, SUBSCRIPTION_OF[kind].durable) for kind in DATA] == [
        ("events.support.Query.CustomerAsked", "notify-query-customer-asked"),
        ("events.support.Query.Resolved", "notify-query-resolved"),
        ("events.support.Query.Rejected", "notify-query-rejected"),
    ]


@pytest.mark.parametrize(("kind", "facts"), [
    (ASKED, EventFacts(question="Which payment is yours?")),
    (RESOLVED, EventFacts(amount=Money.of("4.00", "GBP"), outcome="credit_note",
                          note="Charged twice; credited.", credit_note_number="CN-2025-000031")),
    (REJECTED, EventFacts(note="Both payments were yours.")),
])
def test_a_support_event_is_about_its_query_whose_account_is_read_later(
    kind: NotificationKind, facts: EventFacts
) -> None:
    event = parse_event(kind, envelope(kind, DATA[kind]))

    assert (event.aggregate_id, event.account_id, event.invoice_ids) == (UUID(QUERY), None, ())
    assert (event.event_id, event.facts) == ("support:17", facts)


def test_an_explained_resolution_has_no_amount_and_an_adjustment_keeps_its_sign() -> None:
    explained = {**DATA[RESOLVED], "outcome": "explained", "amount": None, "credit_note_number": ""}
    adjustment = {**DATA[RESOLVED], "outcome": "adjustment", "credit_note_number": "",
                  "amount": {"amount": "-1.50", "currency": "GBP"}}

    assert parse_event(RESOLVED, envelope(RESOLVED, explained)).facts.amount is None
    assert parse_event(RESOLVED, envelope(RESOLVED, adjustment)).facts.amount == Money.of("-1.50", "GBP")


@pytest.mark.parametrize(("kind", "change"), [
    (ASKED, {"body": ""}),
    (ASKED, {"body": 42}),
    (RESOLVED, {"outcome": "refunded"}),
    (RESOLVED, {"outcome": None}),
    (RESOLVED, {"note": "  "}),
    (RESOLVED, {"amount": None}),
    (RESOLVED, {"amount": {"amount": "4.00", "currency": "XXY"}}),
    (RESOLVED, {"credit_note_number": ""}),
    (RESOLVED, {"outcome": "adjustment", "amount": None}),
    (REJECTED, {"reason": None}),
])
def test_a_malformed_support_event_is_poison(kind: NotificationKind, change: dict[str, Any]) -> None:
    with pytest.raises(PoisonMessageError, match=SUBSCRIPTION_OF[kind].subject):
        parse_event(kind, envelope(kind, {**DATA[kind], **change}))


def test_query_facts_survive_the_delivery_log_and_older_rows_read_as_empty() -> None:
    facts = EventFacts(amount=Money.of("-1.50", "GBP"), outcome="adjustment", note="Credited.",
                       question="", credit_note_number="")
    older = json.loads(facts_to_json(EventFacts(method="card")))
    for key in ("question", "outcome", "note", "credit_note_number"):
        del older[key]

    assert facts_from_json(facts_to_json(facts)) == facts
    assert facts_from_json(json.dumps(older)) == EventFacts(method="card")


class FakeQueries:
    """The support service as a dictionary; answers 'unavailable' while down is set."""

    def __init__(self) -> None:
        self.queries: dict[tuple[UUID, UUID], QuerySummary] = {}
        self.down: str | None = None

    async def get_query(self, tenant_id: UUID, query_id: UUID) -> QuerySummary:
        if self.down is not None:
            raise SupportUnavailableError(self.down)
        try:
            return self.queries[(tenant_id, query_id)]
        except KeyError:
            raise QueryNotFoundError(query_id) from None


class QueryWorld(World):
    """The in-memory world with a support service the email writer reads queries from."""

    def __init__(self) -> None:
        super().__init__(RetryPolicy())
        self.queries = FakeQueries()
        self.dispatcher = Dispatcher(
            self.log, EmailWriter(self.billing, self.templates, SENDER, self.queries), self.mailer,
            self.clock, RetryPolicy(), random.Random(7))

    def with_query(self, account: AccountContact, invoice: InvoiceSummary | None) -> QuerySummary:
        """A query of the account, on the invoice when given one."""
        query = QuerySummary(uuid4(), account.account_id, invoice.invoice_id if invoice else None,
                             "Fee charged twice")
        self.queries.queries[(self.tenant_id, query.query_id)] = query
        return query

    def event(self, kind: NotificationKind, query_id: UUID, facts: EventFacts) -> CustomerEvent:
        """A support event about the query, as the consumer reads it."""
        return CustomerEvent(event_id=f"support:{kind.value}", tenant_id=self.tenant_id, kind=kind,
                             aggregate_id=query_id, occurred_at=NOW, facts=facts)


@pytest.fixture
def world() -> QueryWorld:
    return QueryWorld()


async def test_a_question_goes_to_the_querys_account_in_its_locale_naming_the_invoice(
    world: QueryWorld
) -> None:
    account = world.with_account(billing_email="max@example.de", locale="de_AT", name="Max Muster")
    query = world.with_query(account, world.with_invoice(account, "INV-2025-000107"))
    event = world.event(ASKED, query.query_id, EventFacts(question="Welche Zahlung ist Ihre?"))

    assert await world.notifier.accept(event)
    [delivery] = await world.deliver_all()

    [sent] = world.mailer.sent
    assert (delivery.status, delivery.account_id, delivery.recipient, delivery.locale) == (
        DeliveryStatus.SENT, account.account_id, "max@example.de", "de_AT")
    assert sent.subject == "Wir benötigen Ihre Antwort: Fee charged twice"
    assert "„Fee charged twice“ zur Rechnung INV-2025-000107" in sent.text
    assert "Welche Zahlung ist Ihre?" in sent.text
    assert sent.attachments == ()


async def test_a_resolution_redelivered_is_emailed_once(world: QueryWorld) -> None:
    account = world.with_account()
    query = world.with_query(account, None)
    event = world.event(RESOLVED, query.query_id, EventFacts(
        amount=Money.of("-1.50", "EUR"), outcome="adjustment", note="Three days credited."))

    assert await world.notifier.accept(event)
    await world.deliver_all()
    assert not await world.notifier.accept(event)
    await world.deliver_all()

    [sent] = world.mailer.sent
    assert "An adjustment of €1.50 in your favour will be credited on your next invoice." in sent.text
    assert "about invoice" not in sent.text


async def test_an_unknown_query_fails_at_once_with_its_reason(world: QueryWorld) -> None:
    missing = uuid4()
    event = world.event(REJECTED, missing, EventFacts(note="No."))
    await world.notifier.accept(event)

    [delivery] = await world.deliver_all()

    assert (delivery.status, delivery.reason, delivery.attempts) == (
        DeliveryStatus.FAILED, f"query_not_found: {missing}", 0)
    assert world.mailer.sent == []


async def test_the_support_service_down_is_retried_later_and_then_sent(world: QueryWorld) -> None:
    account = world.with_account()
    query = world.with_query(account, None)
    event = world.event(REJECTED, query.query_id, EventFacts(note="Both payments were yours."))
    await world.notifier.accept(event)
    world.queries.down = "UNAVAILABLE: connection refused"

    [waiting] = await world.deliver_all()
    world.queries.down = None
    world.clock.advance(timedelta(hours=1))
    [delivered] = await world.deliver_all()

    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        DeliveryStatus.QUEUED, 1, "support_service_unavailable: UNAVAILABLE: connection refused")
    assert (delivered.status, delivered.attempts) == (DeliveryStatus.SENT, 2)
    assert "Both payments were yours." in world.mailer.sent[0].text


async def test_without_a_query_source_query_emails_wait_and_others_go_out() -> None:
    world = World()
    account = world.with_account()
    asked = CustomerEvent(event_id="support:1", tenant_id=world.tenant_id, kind=ASKED,
                          aggregate_id=uuid4(), occurred_at=NOW, facts=EventFacts(question="Why?"))
    await world.notifier.accept(asked)
    await world.notifier.accept(an_event(NotificationKind.PAYMENT_RECEIVED, world.tenant_id, account))

    outcomes = {delivery.kind: delivery for delivery in await world.deliver_all()}

    waiting = outcomes[ASKED]
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.QUEUED, 1)
    assert waiting.last_error == "support_service_unavailable: no support service configured"
    assert outcomes[NotificationKind.PAYMENT_RECEIVED].status is DeliveryStatus.SENT
    assert [email.subject for email in world.mailer.sent] == ["Payment received: €42.41"]


def test_notify_reads_queries_from_the_support_address_it_is_given() -> None:
    required = {"database_url": "postgresql://localhost/billing", "nats_url": "nats://localhost:4222",
                "invoice_grpc": "127.0.0.1:50053", "smtp_url": "smtp://127.0.0.1:1025"}

    assert Settings.model_validate(required).support_grpc == "127.0.0.1:50056"
    assert Settings.model_validate({**required, "support_grpc": "support:50056"}).support_grpc \
        == "support:50056"
    with pytest.raises(ValidationError, match="support_grpc must be host:port"):
        Settings.model_validate({**required, "support_grpc": "support"})


def test_a_wire_query_gives_its_account_subject_and_invoice_only_when_it_has_one() -> None:
    account, invoice = uuid4(), uuid4()
    on_invoice = support_pb2.Query(query_id=QUERY, account_id=str(account), invoice_id=str(invoice),
                                   subject="Fee charged twice", state="open")
    on_account = support_pb2.Query(query_id=QUERY, account_id=str(account), subject="Outage")

    assert query_from_proto(on_invoice) == QuerySummary(UUID(QUERY), account, invoice,
                                                        "Fee charged twice")
    assert query_from_proto(on_account).invoice_id is None
