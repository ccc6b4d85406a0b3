"""Dunning: an account's overdue episodes and the reminders, retries, fee and suspension in each.

An episode starts when the account first has something undisputed overdue and ends (Closed)
when nothing undisputed is overdue any more. Each step is taken at most once per episode;
a suspended account is Restored before its episode closes. Days are UTC calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from kernel.errors import ConflictError, PreconditionError
from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money, total


@dataclass(frozen=True)
class OverdueInvoice:
    """An unpaid invoice past its due date; the disputed part is held out of dunning."""

    invoice_id: UUID
    number: str
    due_date: date
    amount_due: Money
    disputed: Money

    @property
    def undisputed(self) -> Money:
        """What dunning chases: the amount due less the disputed part, never below zero."""
        rest = self.amount_due - self.disputed
        return rest if rest.is_positive else Money.zero(self.amount_due.currency)


@dataclass(frozen=True)
class Overdue:
    """An account's past-due position on a day: its invoices due before that day with something unpaid."""

    tenant_id: UUID
    account_id: UUID
    currency: str
    invoices: tuple[OverdueInvoice, ...]

    @property
    def chased(self) -> tuple[OverdueInvoice, ...]:
        """The invoices with something undisputed overdue."""
        return tuple(invoice for invoice in self.invoices if invoice.undisputed.is_positive)

    @property
    def amount_overdue(self) -> Money:
        """The undisputed amount overdue."""
        return total([invoice.undisputed for invoice in self.chased], self.currency)

    @property
    def oldest_due_date(self) -> date | None:
        """The earliest due date of an invoice with something undisputed overdue."""
        return min((invoice.due_date for invoice in self.chased), default=None)

    @property
    def invoice_ids(self) -> list[UUID]:
        """The invoices dunning chases, oldest due first."""
        return [invoice.invoice_id for invoice in sorted(self.chased, key=lambda i: i.due_date)]

    @property
    def invoice_numbers(self) -> list[str]:
        """Their numbers, oldest due first."""
        return [invoice.number for invoice in sorted(self.chased, key=lambda i: i.due_date)]

    @property
    def is_clear(self) -> bool:
        """Nothing undisputed is overdue."""
        return not self.chased

    def on(self, today: date) -> Overdue:
        """The position counting only invoices due before today."""
        return replace(self, invoices=tuple(i for i in self.invoices if i.due_date < today))

    def days_overdue(self, today: date) -> int:
        """Days since the oldest undisputed due date (0 when clear)."""
        oldest = self.oldest_due_date
        return 0 if oldest is None else (today - oldest).days


class EpisodeNotOpenError(PreconditionError):
    """Dunning steps are taken only in an open episode."""

    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} has no open dunning episode")


class EpisodeAlreadyOpenError(ConflictError):
    """An account has one open episode at a time."""

    def __init__(self, account_id: UUID, episode: int) -> None:
        super().__init__(f"account {account_id} is already in dunning episode {episode}")


class StepAlreadyTakenError(ConflictError):
    """A dunning step is taken at most once per episode, in increasing order."""

    def __init__(self, account_id: UUID, episode: int, step: str) -> None:
        super().__init__(f"account {account_id}: {step} was already taken in episode {episode}")


class AccountSuspendedError(PreconditionError):
    """A suspended account's episode closes only after its restoration."""

    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} is suspended: restore it before closing")


class AccountNotSuspendedError(PreconditionError):
    """Only a suspended account is restored."""

    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} is not suspended by dunning")


@dataclass(frozen=True)
class Progress:
    """How far an episode went: the last reminder and retry steps, the fee, the suspension."""

    episode: int
    reminder_step: int = 0
    retry_step: int = 0
    late_fee_charged: bool = False
    suspended: bool = False


def retry_payment_id(dunning_id: UUID, episode: int, step: int) -> UUID:
    """The one payment a retry step of an episode can ever make."""
    return derived_id(dunning_id, episode, "retry", step)


def late_fee_charge_id(dunning_id: UUID, episode: int) -> UUID:
    """The one late-fee charge an episode can ever add."""
    return derived_id(dunning_id, episode, "late-fee")


class Dunning(TenantAggregate):
    """An account's dunning record: one episode after another (never more than one open)."""

    @staticmethod
    def create_id(tenant_id: UUID, account_id: UUID) -> UUID:
        """One dunning record per account."""
        return derived_id(tenant_id, "dunning", account_id)

    @event("Created")
    def __init__(self, tenant_id: UUID, account_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.account_id = account_id
        self.is_open = False
        self.progress = Progress(episode=0)
        self.started_on: date | None = None
        self.oldest_due_date: date | None = None
        self.reminder_steps: list[int] = []
        self.retries: list[tuple[int, UUID, Money]] = []
        self.late_fee: tuple[UUID, Money] | None = None

    @property
    def episode(self) -> int:
        """The current (or last) episode's number; 0 before the first."""
        return self.progress.episode

    @property
    def suspended(self) -> bool:
        """Dunning suspended the account and has not restored it yet."""
        return self.progress.suspended

    def check_is_open(self) -> None:
        """Steps are taken only in an open episode."""
        if not self.is_open:
            raise EpisodeNotOpenError(self.account_id)

    def check_step_is_new(self, step: int, last: int, name: str) -> None:
        """A step comes after the last one taken."""
        if step <= last:
            raise StepAlreadyTakenError(self.account_id, self.episode, f"{name} step {step}")

    def start(self, oldest_due_date: date, started_on: date) -> None:
        """Something undisputed is overdue: a new episode begins, with every step ahead of it."""
        if self.is_open:
            raise EpisodeAlreadyOpenError(self.account_id, self.episode)
        self._started(account_id=self.account_id, episode=self.episode + 1,
                      oldest_due_date=oldest_due_date, started_on=started_on)

    @event("Started")
    def _started(self, account_id: UUID, episode: int, oldest_due_date: date, started_on: date) -> None:
        self.is_open = True
        self.progress = Progress(episode=episode)
        self.started_on = started_on
        self.oldest_due_date = oldest_due_date
        self.reminder_steps = []
        self.retries = []
        self.late_fee = None

    def remind(self, step: int, days_overdue: int, amount_overdue: Money, invoice_ids: list[UUID]) -> None:
        """Remind the customer (steps passed over while dunning did not run are never sent)."""
        self.check_is_open()
        self.check_step_is_new(step, self.progress.reminder_step, "reminder")
        self._reminded(account_id=self.account_id, episode=self.episode, step=step,
                       days_overdue=days_overdue, amount_overdue=amount_overdue,
                       invoice_ids=list(invoice_ids))

    @event("Reminded")
    def _reminded(
        self, account_id: UUID, episode: int, step: int, days_overdue: int, amount_overdue: Money,
        invoice_ids: list[UUID],
    ) -> None:
        self.progress = replace(self.progress, reminder_step=step)
        self.reminder_steps.append(step)

    def attempt_retry(self, step: int, amount: Money) -> None:
        """Charge the stored payment method once for this step (its payment id is derived)."""
        self.check_is_open()
        self.check_step_is_new(step, self.progress.retry_step, "retry")
        self._retry_attempted(account_id=self.account_id, episode=self.episode, step=step,
                              payment_id=retry_payment_id(self.id, self.episode, step), amount=amount)

    @event("RetryAttempted")
    def _retry_attempted(
        self, account_id: UUID, episode: int, step: int, payment_id: UUID, amount: Money
    ) -> None:
        self.progress = replace(self.progress, retry_step=step)
        self.retries.append((step, payment_id, amount))

    def charge_late_fee(self, amount: Money, invoice_ids: list[UUID]) -> None:
        """Put the episode's one late fee on the account's next invoice."""
        self.check_is_open()
        if self.progress.late_fee_charged:
            raise StepAlreadyTakenError(self.account_id, self.episode, "the late fee")
        self._late_fee_charged(account_id=self.account_id, episode=self.episode,
                               charge_id=late_fee_charge_id(self.id, self.episode), amount=amount,
                               invoice_ids=list(invoice_ids))

    @event("LateFeeCharged")
    def _late_fee_charged(
        self, account_id: UUID, episode: int, charge_id: UUID, amount: Money, invoice_ids: list[UUID]
    ) -> None:
        self.progress = replace(self.progress, late_fee_charged=True)
        self.late_fee = (charge_id, amount)

    def suspend(self, days_overdue: int, amount_overdue: Money, invoice_ids: list[UUID]) -> None:
        """Suspend the account's service (network systems act on the Suspended event)."""
        self.check_is_open()
        if self.suspended:
            raise StepAlreadyTakenError(self.account_id, self.episode, "the suspension")
        self._suspended(account_id=self.account_id, episode=self.episode, days_overdue=days_overdue,
                        amount_overdue=amount_overdue, invoice_ids=list(invoice_ids))

    @event("Suspended")
    def _suspended(
        self, account_id: UUID, episode: int, days_overdue: int, amount_overdue: Money,
        invoice_ids: list[UUID],
    ) -> None:
        self.progress = replace(self.progress, suspended=True)

    def restore(self) -> None:
        """The overdue is clear: reactivate the suspended account."""
        if not self.suspended:
            raise AccountNotSuspendedError(self.account_id)
        self._restored(account_id=self.account_id, episode=self.episode)

    @event("Restored")
    def _restored(self, account_id: UUID, episode: int) -> None:
        self.progress = replace(self.progress, suspended=False)

    def close(self) -> None:
        """Nothing undisputed is overdue any more: the episode is over."""
        self.check_is_open()
        if self.suspended:
            raise AccountSuspendedError(self.account_id)
        self._closed(account_id=self.account_id, episode=self.episode)

    @event("Closed")
    def _closed(self, account_id: UUID, episode: int) -> None:
        self.is_open = False
