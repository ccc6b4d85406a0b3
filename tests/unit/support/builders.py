"""Builders of support requests, invoice facts and actors for the unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from kernel.money import Money
from services.support.domain.actors import Actor
from services.support.domain.queries import Query
from services.support.domain.subjects import InvoiceFacts, LineFacts, QueryRequest

OPENED_AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
TARGET = timedelta(hours=24)
AGENT = Actor("support", "agent-key-1")


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def customer_of(account_id: UUID) -> Actor:
    return Actor("customer", str(account_id))


def invoice_of(account_id: UUID, status: str = "issued") -> InvoiceFacts:
    """An invoice of 36.00 GBP: a 20.00 fee, a 10.00 usage line and 6.00 tax."""
    lines = (LineFacts(0, "recurring", "Home Fibre", gbp("20.00")),
             LineFacts(1, "usage", "Calls", gbp("10.00")),
             LineFacts(2, "tax", "VAT 20%", gbp("6.00")))
    return InvoiceFacts(uuid4(), account_id, "INV-00000001", status, gbp("36.00"), lines)


def request(account_id: UUID | None = None, **change: Any) -> QueryRequest:
    """A customer's line dispute of 4.00 on an invoice, unless told otherwise."""
    account = account_id or uuid4()
    fields: dict[str, Any] = {
        "tenant_id": uuid4(), "request_id": "req-1", "opened_by": customer_of(account),
        "account_id": account, "invoice_id": uuid4(), "line_index": 1, "category": "wrong_amount",
        "subject": "Calls cost too much", "body": "I made two calls, not five.",
        "disputed_amount": gbp("4.00"),
    }
    return QueryRequest(**{**fields, **change})


def opened(**change: Any) -> Query:
    """A query opened at OPENED_AT with a 24-hour target."""
    return Query.open(request(**change), OPENED_AT, OPENED_AT + TARGET)
