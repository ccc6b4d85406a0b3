"""The support desk over an in-memory event store and a stand-in invoice service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from kernel.clock import FixedClock
from kernel.errors import ConflictError, InvalidInputError, NotFoundError, PreconditionError
from kernel.eventstore import event_type
from services.support.application import SupportApplication
from services.support.desk import SupportDesk
from services.support.domain.outcomes import CreditedLine, Resolution, settlement_key
from services.support.domain.queries import Query, QueryState
from services.support.domain.subjects import QueryRequest
from tests.unit.support.builders import AGENT, OPENED_AT, customer_of, gbp, invoice_of, request
from tests.unit.support.fake_invoicing import FakeInvoicing


class CrashingApplication(SupportApplication):
    """Fails the next save (a crash after the invoice service acted, before the outcome was saved)."""

    crash_next_save = False

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if self.crash_next_save:
            self.crash_next_save = False
            raise RuntimeError("crashed before saving")
        return super().save(*objs, **kwargs)


class Harness:
    """A desk with one tenant's account and invoice."""

    def __init__(self) -> None:
        self.app = CrashingApplication()
        self.invoices = FakeInvoicing()
        self.clock = FixedClock(OPENED_AT)
        self.desk = SupportDesk(self.app, self.invoices, self.clock)
        self.tenant_id = uuid4()
        self.account_id = uuid4()
        self.invoice = invoice_of(self.account_id)
        self.invoices.add(self.invoice)

    def request(self, **change: Any) -> QueryRequest:
        fields = {"account_id": self.account_id, "tenant_id": self.tenant_id,
                  "invoice_id": self.invoice.invoice_id, **change}
        return request(**fields)

    async def open(self, **change: Any) -> Query:
        return await self.desk.open(self.request(**change))

    def events(self, query_id: UUID) -> list[str]:
        return [event_type(e) for e in self.app.events.get(query_id)]


async def test_opening_again_with_the_request_id_finds_the_query_and_a_different_request_conflicts() -> None:
    desk = Harness()
    first = await desk.open()
    again = await desk.open()
    assert again.id == first.id
    with pytest.raises(ConflictError):
        await desk.open(subject="Something else")
    assert desk.events(first.id) == ["Query.Opened"]


async def test_the_subject_is_checked_with_the_invoice_service_before_anything_is_saved() -> None:
    desk = Harness()
    with pytest.raises(NotFoundError):
        await desk.desk.open(request(tenant_id=desk.tenant_id, invoice_id=desk.invoice.invoice_id))
    stranger = invoice_of(uuid4())
    desk.invoices.add(stranger)
    with pytest.raises(NotFoundError):
        await desk.open(invoice_id=stranger.invoice_id)
    with pytest.raises(InvalidInputError):
        await desk.open(disputed_amount=gbp("10.01"))
    assert desk.app.notification_log.select(1, 10) == []


async def test_the_tenants_response_target_sets_respond_by() -> None:
    desk = Harness()
    await desk.desk.configure_policy(desk.tenant_id, 4)
    query = await desk.open()
    assert query.respond_by == OPENED_AT + timedelta(hours=4)
    with pytest.raises(InvalidInputError):
        await desk.desk.configure_policy(desk.tenant_id, 721)


async def test_a_credit_note_outcome_is_issued_once_even_when_the_save_crashed_in_between() -> None:
    desk = Harness()
    query = await desk.open()
    resolution = Resolution("credit_note", "Two calls were billed twice.", AGENT,
                            credit_lines=(CreditedLine(1, gbp("4.00")),))
    desk.app.crash_next_save = True
    with pytest.raises(RuntimeError):
        await desk.desk.resolve(desk.tenant_id, query.id, resolution)
    assert (await desk.desk.get(desk.tenant_id, query.id)).state is QueryState.OPEN
    resolved = await desk.desk.resolve(desk.tenant_id, query.id, resolution)
    assert desk.invoices.credit_calls == 2
    assert list(desk.invoices.credit_notes) == [settlement_key(query.id)]
    outcome = resolved.outcome
    assert outcome is not None
    assert outcome.settlement == desk.invoices.credit_notes[settlement_key(query.id)]
    assert desk.events(query.id) == ["Query.Opened", "Query.Resolved"]


async def test_a_refused_credit_note_leaves_the_query_open_and_writes_nothing() -> None:
    desk = Harness()
    query = await desk.open()
    too_much = Resolution("credit_note", "Refund.", AGENT, credit_lines=(CreditedLine(1, gbp("10.01")),))
    with pytest.raises(InvalidInputError) as refused:
        await desk.desk.resolve(desk.tenant_id, query.id, too_much)
    assert refused.value.field == "credit_lines[0].amount.amount"
    assert desk.events(query.id) == ["Query.Opened"]
    assert desk.invoices.credit_notes == {}


async def test_an_adjustment_lands_as_a_charge_under_the_querys_key() -> None:
    desk = Harness()
    query = await desk.open(invoice_id=None, line_index=None, disputed_amount=None)
    credit = Resolution("credit_note", "x", AGENT, credit_lines=(CreditedLine(0, gbp("1")),))
    with pytest.raises(InvalidInputError):
        await desk.desk.resolve(desk.tenant_id, query.id, credit)
    goodwill = Resolution("adjustment", "Goodwill credit.", AGENT, adjustment=gbp("-5.00"))
    resolved = await desk.desk.resolve(desk.tenant_id, query.id, goodwill)
    assert resolved.outcome is not None
    assert resolved.outcome.settlement.charge_id == settlement_key(query.id)
    assert resolved.outcome.settlement.amount == gbp("-5.00")
    assert desk.invoices.charges[settlement_key(query.id)].amount == gbp("-5.00")


async def test_resolving_a_closed_query_is_refused_before_the_invoice_service_is_asked() -> None:
    desk = Harness()
    query = await desk.open()
    await desk.desk.reject(desk.tenant_id, query.id, AGENT, "The calls were made.")
    with pytest.raises(PreconditionError):
        await desk.desk.resolve(desk.tenant_id, query.id, Resolution(
            "credit_note", "Refund.", AGENT, credit_lines=(CreditedLine(1, gbp("1.00")),)))
    assert desk.invoices.credit_calls == 0
    assert desk.events(query.id) == ["Query.Opened", "Query.Rejected"]


async def test_another_tenants_query_is_not_found_and_nothing_is_written() -> None:
    desk = Harness()
    query = await desk.open()
    with pytest.raises(NotFoundError):
        await desk.desk.comment(uuid4(), query.id, AGENT, "Hello")
    with pytest.raises(NotFoundError):
        await desk.desk.comment(desk.tenant_id, query.id, customer_of(uuid4()), "Me too")
    assert desk.events(query.id) == ["Query.Opened"]


async def test_the_stored_events_rebuild_the_same_query() -> None:
    desk = Harness()
    query = await desk.open()
    customer = customer_of(desk.account_id)
    desk.clock.advance(timedelta(hours=1))
    await desk.desk.ask_customer(desk.tenant_id, query.id, AGENT, "Which calls?")
    await desk.desk.comment(desk.tenant_id, query.id, customer, "Both to London.")
    await desk.desk.assign(desk.tenant_id, query.id, AGENT, "agent-7")
    await desk.desk.resolve(desk.tenant_id, query.id, Resolution(
        "credit_note", "Refunded.", AGENT, credit_lines=(CreditedLine(1, gbp("4.00")),)))
    stored: Query = desk.app.repository.get(query.id)
    assert stored.state is QueryState.RESOLVED
    assert [c.author.role for c in stored.comments] == ["customer", "support", "customer"]
    assert stored.first_response_at == OPENED_AT + timedelta(hours=1)
    assert stored.assignee == "agent-7"
    assert stored.outcome is not None and stored.outcome.settlement.amount == gbp("4.00")
    assert desk.events(query.id) == ["Query.Opened", "Query.CustomerAsked", "Query.Commented",
                                     "Query.Assigned", "Query.Resolved"]
