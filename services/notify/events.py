"""The events customers are told about: eight kinds, and what notify keeps of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from uuid import UUID

from kernel.errors import InvalidInputError
from kernel.ids import derived_id
from kernel.money import Money

EMAIL_CHANNEL = "email"


class NotificationKind(Enum):
    """Why a customer gets an email."""

    INVOICE_ISSUED = "invoice_issued"
    PAYMENT_RECEIVED = "payment_received"
    PAYMENT_FAILED = "payment_failed"
    DUNNING_REMINDER = "dunning_reminder"
    ACCOUNT_SUSPENDED = "account_suspended"
    QUERY_AWAITING_CUSTOMER = "query_awaiting_customer"
    QUERY_RESOLVED = "query_resolved"
    QUERY_REJECTED = "query_rejected"


ATTACHING_KINDS = frozenset({NotificationKind.INVOICE_ISSUED, NotificationKind.DUNNING_REMINDER})
"""Kinds whose email carries the PDFs of the invoices it is about."""

QUERY_KINDS = frozenset({NotificationKind.QUERY_AWAITING_CUSTOMER, NotificationKind.QUERY_RESOLVED,
                         NotificationKind.QUERY_REJECTED})
"""Kinds about a billing query (the aggregate); its account and invoice are read from the query."""


def kind_from_text(text: str, field_name: str = "kind") -> NotificationKind:
    """The kind a client names; anything else names the field."""
    try:
        return NotificationKind(text)
    except ValueError:
        raise InvalidInputError(field_name, "unknown_kind") from None


@dataclass(frozen=True)
class EventFacts:
    """What an event says beyond whose it is; amount is the payment, the amount overdue, or a
    query's credit note total or adjustment; note is the agent's resolution note or rejection reason."""

    amount: Money | None = None
    method: str = ""
    provider_ref: str = ""
    failure_reason: str = ""
    episode: str = ""
    step: int = 0
    days_overdue: int = 0
    question: str = ""
    outcome: str = ""
    note: str = ""
    credit_note_number: str = ""


@dataclass(frozen=True)
class CustomerEvent:
    """An event as notify reads it from the envelope: which, whose, about what."""

    event_id: str
    tenant_id: UUID
    kind: NotificationKind
    aggregate_id: UUID
    occurred_at: datetime
    account_id: UUID | None = None
    invoice_ids: tuple[UUID, ...] = ()
    facts: EventFacts = field(default_factory=EventFacts)

    @property
    def delivery_id(self) -> UUID:
        """The one email delivery of this event, however often the event arrives."""
        return derived_id(EMAIL_CHANNEL, self.kind.value, self.event_id)
