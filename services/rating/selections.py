"""Usage selections: which rated parts one invoice takes of one account (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kernel.errors import InvalidInputError

CURRENT = "current"
"""Parts that started in the invoice's period."""
PRIOR = "prior"
"""Late parts: started before the invoice's period, cut after the account's previous invoice."""
PERIOD_KINDS = (CURRENT, PRIOR)
MAX_SELECTIONS = 1000
"""The most selections one request may summarize."""


class InvalidSelectionError(InvalidInputError):
    """A usage selection of a request is not acceptable; names its field."""


@dataclass(frozen=True)
class UsageSelection:
    """The rated parts of an account one invoice takes: those started in [period_start, period_end)
    numbered at most watermark (current), and those started before period_start numbered after
    previous_watermark and at most watermark (prior)."""

    account_id: UUID
    period_start: datetime
    period_end: datetime
    previous_watermark: int
    watermark: int

    def check(self, field: str) -> UsageSelection:
        """The selection, or an error naming the field (e.g. selections[3].watermark) at fault."""
        if self.period_end <= self.period_start:
            raise InvalidSelectionError(f"{field}.period_end", "must_be_after_period_start")
        if self.previous_watermark < 0:
            raise InvalidSelectionError(f"{field}.previous_watermark", "must_not_be_negative")
        if self.watermark < self.previous_watermark:
            raise InvalidSelectionError(f"{field}.watermark", "must_not_be_below_previous_watermark")
        return self

    def kind_of(self, started_at: datetime) -> str | None:
        """The period kind of a part that started then, or None when the selection cannot take it."""
        if started_at >= self.period_end:
            return None
        return CURRENT if started_at >= self.period_start else PRIOR

    def seqs(self, kind: str) -> tuple[int, int]:
        """The seqs (after, upto] of the parts of a period kind the selection takes."""
        return (0 if kind == CURRENT else self.previous_watermark), self.watermark


def check_selections(selections: Sequence[UsageSelection]) -> None:
    """At most MAX_SELECTIONS, each valid, no account twice."""
    if len(selections) > MAX_SELECTIONS:
        raise InvalidSelectionError("selections", f"at_most_{MAX_SELECTIONS}")
    seen: set[UUID] = set()
    for index, selection in enumerate(selections):
        selection.check(f"selections[{index}]")
        if selection.account_id in seen:
            raise InvalidSelectionError(f"selections[{index}].account_id", "duplicate_account")
        seen.add(selection.account_id)


def check_period_kind(kind: str) -> str:
    """current or prior."""
    if kind not in PERIOD_KINDS:
        raise InvalidSelectionError("period_kind", "must_be_current_or_prior")
    return kind
