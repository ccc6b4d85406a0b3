"""Outcomes: how an agent closes a query, and what the invoice service did for it.

explained: a note only. credit_note: a credit note on lines of the query's invoice. adjustment: a
one-time charge (negative: a credit) on the account's next invoice. rejected: closed with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from kernel.money import Money
from services.support.domain.actors import Actor
from services.support.domain.amounts import check_currency_is, check_minor_units, check_positive
from services.support.domain.errors import InvalidQueryError
from services.support.domain.texts import MAX_BODY, check_text

EXPLAINED = "explained"
CREDIT_NOTE = "credit_note"
ADJUSTMENT = "adjustment"
REJECTED = "rejected"
RESOLUTIONS = (EXPLAINED, CREDIT_NOTE, ADJUSTMENT)
MAX_CREDIT_LINES = 100


def settlement_key(query_id: UUID) -> str:
    """The credit note request id or charge id a query settles with: a retry finds the same one."""
    return f"support-query-{query_id}"


@dataclass(frozen=True)
class CreditedLine:
    """An amount (net of tax) credited on one line of the query's invoice."""

    line_index: int
    amount: Money

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"line_index": self.line_index, "amount": self.amount}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CreditedLine:
        """Rebuild from the stored form."""
        return cls(int(data["line_index"]), data["amount"])


@dataclass(frozen=True)
class Settlement:
    """What the invoice service did for a resolution: the credit note issued or the charge added."""

    credit_note_id: str = ""
    credit_note_number: str = ""
    credited_lines: tuple[CreditedLine, ...] = ()
    charge_id: str = ""
    amount: Money | None = None


@dataclass(frozen=True)
class Resolution:
    """An agent's decision: the outcome, what the customer is told, and the money side."""

    kind: str
    note: str
    decided_by: Actor
    credit_lines: tuple[CreditedLine, ...] = ()
    adjustment: Money | None = None

    def check(self, invoice_id: UUID | None) -> None:
        """Every rule that needs nothing but the decision and the query's invoice id."""
        self.decided_by.check_is_staff("resolved_by")
        if self.kind not in RESOLUTIONS:
            raise InvalidQueryError("outcome", f"one_of_{'_'.join(RESOLUTIONS)}")
        check_text("note", self.note, MAX_BODY)
        if self.kind != CREDIT_NOTE and self.credit_lines:
            raise InvalidQueryError("credit_lines", "only_with_a_credit_note")
        if self.kind != ADJUSTMENT and self.adjustment is not None:
            raise InvalidQueryError("adjustment", "only_with_an_adjustment")
        if self.kind == CREDIT_NOTE:
            self.check_credit_lines(invoice_id)
        if self.kind == ADJUSTMENT:
            self.check_adjustment()

    def check_credit_lines(self, invoice_id: UUID | None) -> None:
        """A credit note needs the query's invoice and at least one positive line amount."""
        if invoice_id is None:
            raise InvalidQueryError("outcome", "credit_note_needs_a_query_on_an_invoice")
        if not self.credit_lines:
            raise InvalidQueryError("credit_lines", "credit_at_least_one_line")
        if len(self.credit_lines) > MAX_CREDIT_LINES:
            raise InvalidQueryError("credit_lines", f"at_most_{MAX_CREDIT_LINES}_lines")
        for position, line in enumerate(self.credit_lines):
            if line.line_index < 0:
                raise InvalidQueryError(f"credit_lines[{position}].line_index", "must_not_be_negative")
            check_positive(f"credit_lines[{position}].amount", line.amount)

    def check_adjustment(self) -> None:
        """An adjustment is a non-zero amount in minor units."""
        if self.adjustment is None:
            raise InvalidQueryError("adjustment", "required_for_an_adjustment")
        if self.adjustment.amount == 0:
            raise InvalidQueryError("adjustment.amount", "must_not_be_zero")
        check_minor_units("adjustment", self.adjustment)

    def check_credit_currency(self, currency: str) -> None:
        """Credited amounts are in the invoice's currency."""
        for position, line in enumerate(self.credit_lines):
            check_currency_is(f"credit_lines[{position}].amount", line.amount, currency)

    def check_adjustment_currency(self, currency: str) -> None:
        """An adjustment is in the account's currency."""
        if self.adjustment is not None:
            check_currency_is("adjustment", self.adjustment, currency)


@dataclass(frozen=True)
class Outcome:
    """How a query was closed, as recorded: the decision, who made it and when, the money side."""

    kind: str
    note: str
    decided_by: Actor
    decided_at: datetime
    settlement: Settlement = Settlement()

    @classmethod
    def of(cls, resolution: Resolution, settlement: Settlement, decided_at: datetime) -> Outcome:
        """The outcome of a resolution once the invoice service settled it."""
        return cls(resolution.kind, resolution.note, resolution.decided_by, decided_at, settlement)
