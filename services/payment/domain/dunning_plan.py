"""The dunning planner: what to do today for one account, from its policy, record and position.

Rules (docs/dunning.md): steps count days since the oldest undisputed due date, in UTC days.
Each step is taken at most once per episode. When several reminder (or retry) steps are due at
once, because dunning did not run for a while, only the latest is taken and the ones before it
are passed over for good. A retry needs a stored payment method; its step waits for one.
At most one retry a run, planned first so that its payment is seen before the other steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID

from kernel.money import Money
from services.payment.domain.dunning import (
    Dunning,
    Overdue,
    Progress,
    late_fee_charge_id,
    retry_payment_id,
)
from services.payment.domain.dunning_policy import DunningTerms

MAX_DESCRIPTION = 200


@dataclass(frozen=True)
class Start:
    """Open a new episode."""

    kind: ClassVar[str] = "started"
    oldest_due_date: date
    started_on: date

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.start(self.oldest_due_date, self.started_on)


@dataclass(frozen=True)
class Retry:
    """Charge the stored payment method the amount overdue, once for this step."""

    kind: ClassVar[str] = "retried"
    step: int
    payment_id: UUID
    amount: Money

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.attempt_retry(self.step, self.amount)


@dataclass(frozen=True)
class Remind:
    """Send the customer a reminder (the notify service emails on the Reminded event)."""

    kind: ClassVar[str] = "reminded"
    step: int
    days_overdue: int
    amount_overdue: Money
    invoice_ids: tuple[UUID, ...]

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.remind(self.step, self.days_overdue, self.amount_overdue, list(self.invoice_ids))


@dataclass(frozen=True)
class ChargeLateFee:
    """Add the episode's late fee to the account's next invoice."""

    kind: ClassVar[str] = "late_fee_charged"
    charge_id: UUID
    amount: Money
    invoice_ids: tuple[UUID, ...]
    description: str

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.charge_late_fee(self.amount, list(self.invoice_ids))


@dataclass(frozen=True)
class Suspend:
    """Suspend the account's service."""

    kind: ClassVar[str] = "suspended"
    days_overdue: int
    amount_overdue: Money
    invoice_ids: tuple[UUID, ...]
    reason: str

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.suspend(self.days_overdue, self.amount_overdue, list(self.invoice_ids))


@dataclass(frozen=True)
class Restore:
    """Reactivate the account dunning suspended: its overdue is clear."""

    kind: ClassVar[str] = "restored"
    reason: ClassVar[str] = "dunning: overdue invoices settled"

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.restore()


@dataclass(frozen=True)
class Close:
    """End the episode: nothing undisputed is overdue."""

    kind: ClassVar[str] = "closed"

    def record_on(self, dunning: Dunning) -> None:
        """Record it on the account's dunning."""
        dunning.close()


DunningAction = Start | Retry | Remind | ChargeLateFee | Suspend | Restore | Close
ACTION_KINDS = tuple(kind.kind for kind in (Start, Retry, Remind, ChargeLateFee, Suspend, Restore, Close))


def plan(
    terms: DunningTerms, dunning: Dunning, overdue: Overdue, today: date, has_stored_method: bool
) -> list[DunningAction]:
    """The actions due today (a UTC date), in the order to take them."""
    position = overdue.on(today)
    if position.is_clear or position.oldest_due_date is None:
        return ending(dunning)
    if dunning.is_open:
        return steps_due(terms, dunning.id, dunning.progress, position, today, has_stored_method)
    fresh = Progress(episode=dunning.episode + 1)
    start = Start(position.oldest_due_date, today)
    return [start, *steps_due(terms, dunning.id, fresh, position, today, has_stored_method)]


def ending(dunning: Dunning) -> list[DunningAction]:
    """Nothing is overdue: restore a suspended account, then close the open episode."""
    if not dunning.is_open:
        return []
    return [Restore(), Close()] if dunning.suspended else [Close()]


def steps_due(
    terms: DunningTerms, dunning_id: UUID, progress: Progress, position: Overdue, today: date,
    has_stored_method: bool,
) -> list[DunningAction]:
    """The steps of an episode due at this many days overdue and not taken yet."""
    days = position.days_overdue(today)
    candidates = [
        retry_due(terms, dunning_id, progress, position, days) if has_stored_method else None,
        reminder_due(terms, progress, position, days),
        late_fee_due(terms, dunning_id, progress, position, days),
        suspension_due(terms, progress, position, days),
    ]
    return [action for action in candidates if action is not None]


def latest_step(schedule: tuple[int, ...], days: int) -> int:
    """The number (1-based) of the latest step due at this many days overdue; 0 when none is."""
    return sum(1 for day in schedule if day <= days)


def retry_due(
    terms: DunningTerms, dunning_id: UUID, progress: Progress, position: Overdue, days: int
) -> Retry | None:
    """The latest retry step due, unless it (or a later one) was taken."""
    step = latest_step(terms.retry_days, days)
    if step <= progress.retry_step:
        return None
    return Retry(step, retry_payment_id(dunning_id, progress.episode, step), position.amount_overdue)


def reminder_due(terms: DunningTerms, progress: Progress, position: Overdue, days: int) -> Remind | None:
    """The latest reminder step due, unless it (or a later one) was sent."""
    step = latest_step(terms.reminder_days, days)
    if step <= progress.reminder_step:
        return None
    return Remind(step, days, position.amount_overdue, tuple(position.invoice_ids))


def late_fee_due(
    terms: DunningTerms, dunning_id: UUID, progress: Progress, position: Overdue, days: int
) -> ChargeLateFee | None:
    """The episode's late fee once it is due, if the policy has one for this currency."""
    fee = terms.late_fee
    if fee is None or progress.late_fee_charged or days < fee.after_days:
        return None
    amount = fee.amount_for(position.amount_overdue)
    if not amount.is_positive:
        return None
    return ChargeLateFee(late_fee_charge_id(dunning_id, progress.episode), amount,
                         tuple(position.invoice_ids), late_fee_description(position.invoice_numbers))


def suspension_due(terms: DunningTerms, progress: Progress, position: Overdue, days: int) -> Suspend | None:
    """The suspension, once the policy's threshold is reached (never when the policy has none)."""
    threshold = terms.suspend_after_days
    if threshold is None or progress.suspended or days < threshold:
        return None
    reason = f"dunning: {days} days overdue, {position.amount_overdue} unpaid"
    return Suspend(days, position.amount_overdue, tuple(position.invoice_ids), reason)


def late_fee_description(numbers: list[str]) -> str:
    """What the customer reads on the invoice line."""
    listed = f"Late payment fee (invoices {', '.join(numbers)})"
    if len(listed) <= MAX_DESCRIPTION:
        return listed
    return f"Late payment fee ({len(numbers)} overdue invoices)"
