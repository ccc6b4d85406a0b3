"""Dunning runs: for every account overdue or in an open episode, plan the day's steps and take them.

Each action's side effect goes through a port first, then its event is recorded and the account's
Dunning record saved; side effects are idempotent, so a crash in between repeats them harmlessly.
"Today" is the UTC calendar date of the service clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from kernel.clock import Clock
from kernel.errors import DomainError
from services.payment.domain.dunning import Dunning, Overdue
from services.payment.domain.dunning_plan import (
    ChargeLateFee,
    DunningAction,
    Restore,
    Retry,
    Start,
    Suspend,
    plan,
)
from services.payment.domain.dunning_policy import DunningTerms
from services.payment.dunning_cases import CaseIndex
from services.payment.dunning_ports import AccountControl, Collections, OverdueSource
from services.payment.dunning_store import DunningStore

log = logging.getLogger(__name__)

SAVE_ATTEMPTS = 3
AccountKey = tuple[UUID, UUID]


def nothing_to_do() -> None:
    """A save hook that does nothing."""


class ConcurrentDunningError(Exception):
    """The account's dunning record kept changing under this run; the next run takes it up."""

    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"dunning of account {account_id} changed concurrently {SAVE_ATTEMPTS} times")


@dataclass(frozen=True)
class DunningFailure:
    """A step that could not be taken on an account (it is tried again on the next run)."""

    tenant_id: UUID
    account_id: UUID
    action: str
    reason: str


@dataclass
class AccountOutcome:
    """What a run did on one account: the actions taken and those that failed."""

    tenant_id: UUID
    account_id: UUID
    taken: list[str] = field(default_factory=list)
    failures: list[DunningFailure] = field(default_factory=list)

    def failed(self, action: str, error: BaseException) -> None:
        """Note a failed action (with its traceback in the log when it is not a named domain error)."""
        log.warning("dunning %s failed for account %s: %s", action, self.account_id, error,
                    exc_info=not isinstance(error, DomainError))
        self.failures.append(DunningFailure(self.tenant_id, self.account_id, action,
                                            str(error) or type(error).__name__))


@dataclass
class DunningReport:
    """What one run did: accounts considered, actions taken by kind, failures."""

    today: date
    accounts: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    failures: list[DunningFailure] = field(default_factory=list)

    def add(self, outcome: AccountOutcome) -> None:
        """Count an account's outcome."""
        self.accounts += 1
        self.actions.update(outcome.taken)
        self.failures.extend(outcome.failures)


class DunningRuns:
    """Use case: dun every account overdue or in an open episode, once a run, steps at most once."""

    def __init__(
        self, store: DunningStore, cases: CaseIndex, source: OverdueSource, collections: Collections,
        accounts: AccountControl, clock: Clock, interval_seconds: float = 60.0,
        on_saved: Callable[[], None] = nothing_to_do,
    ) -> None:
        self.store = store
        self.cases = cases
        self.source = source
        self.collections = collections
        self.accounts = accounts
        self.clock = clock
        self.interval = interval_seconds
        self.on_saved = on_saved
        self._locks: weakref.WeakValueDictionary[AccountKey, asyncio.Lock] = weakref.WeakValueDictionary()

    def today(self) -> date:
        """The service clock's UTC date."""
        return self.clock.now().astimezone(UTC).date()

    async def run(self, stopping: asyncio.Event) -> None:
        """Run every interval until stopping; a failed run is logged and the next tick tries again."""
        while not stopping.is_set():
            try:
                await self.run_once(self.today())
            except Exception:
                log.exception("dunning run failed; retrying next tick")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.interval)

    async def run_once(self, today: date, tenant_id: UUID | None = None) -> DunningReport:
        """Dun every account (of one tenant, or of all) overdue on that day or in an open episode."""
        positions = [p for p in await self.source.overdue_on(today)
                     if tenant_id is None or p.tenant_id == tenant_id]
        overdue = {(p.tenant_id, p.account_id): p for p in positions}
        open_cases = set(await self.cases.open_accounts(tenant_id))
        report = DunningReport(today)
        terms: dict[UUID, DunningTerms] = {}
        for key in [*overdue, *sorted(open_cases - overdue.keys())]:
            report.add(await self._consider(key, overdue.get(key), today, terms, key in open_cases))
        if report.actions or report.failures:
            log.info("dunning run", extra={"fields": {
                "today": today.isoformat(), "accounts": report.accounts, **report.actions,
                "failures": len(report.failures)}})
        return report

    async def reconsider(self, tenant_id: UUID, account_id: UUID, today: date) -> AccountOutcome:
        """After a payment: if nothing undisputed is overdue any more, restore the account and close
        its episode now rather than on the next run. Never raises: failures are logged and repaired
        by the next run."""
        return await self._consider((tenant_id, account_id), None, today, {}, True, clearing_only=True)

    async def _consider(
        self, key: AccountKey, position: Overdue | None, today: date, terms: dict[UUID, DunningTerms],
        from_open_case: bool, clearing_only: bool = False,
    ) -> AccountOutcome:
        """Dun one account; any failure is the account's own and does not stop the run."""
        tenant_id, account_id = key
        try:
            if position is None:
                position = await self.source.position_of(tenant_id, account_id, today)
            if clearing_only and not position.on(today).is_clear:
                return AccountOutcome(tenant_id, account_id)
            if tenant_id not in terms:
                terms[tenant_id] = await asyncio.to_thread(self.store.terms_of, tenant_id)
            return await self._dun(position, terms[tenant_id], today, from_open_case)
        except Exception as error:
            outcome = AccountOutcome(tenant_id, account_id)
            outcome.failed("dun", error)
            return outcome

    async def _dun(
        self, position: Overdue, terms: DunningTerms, today: date, from_open_case: bool
    ) -> AccountOutcome:
        """Plan and act, then save; a concurrent save is retried on the newer record."""
        key = (position.tenant_id, position.account_id)
        async with self._lock_for(key):
            for _ in range(SAVE_ATTEMPTS):
                dunning = await asyncio.to_thread(self.store.dunning_of, *key)
                outcome = await self._act(dunning, terms, position, today)
                if not outcome.taken:
                    if from_open_case and not dunning.is_open:
                        await self.cases.record(dunning)
                    return outcome
                try:
                    await asyncio.to_thread(self.store.save, dunning)
                except IntegrityError:
                    log.info("dunning of account %s changed concurrently; planning again", key[1])
                    position = await self.source.position_of(*key, today)
                    continue
                self.on_saved()
                await self.cases.record(dunning)
                return outcome
        raise ConcurrentDunningError(key[1])

    def _lock_for(self, key: AccountKey) -> asyncio.Lock:
        """One account is dunned by one task of this process at a time."""
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    async def _act(
        self, dunning: Dunning, terms: DunningTerms, position: Overdue, today: date
    ) -> AccountOutcome:
        """Take the planned actions; after a retry, plan the rest again on the new position."""
        outcome = AccountOutcome(dunning.tenant_id, dunning.account_id)
        actions = await self._plan(terms, dunning, position, today)
        if any(isinstance(action, Start) for action in actions):
            await self.cases.record_opening(dunning)
        retry_at = next((i for i, action in enumerate(actions) if isinstance(action, Retry)), None)
        if retry_at is None:
            await self._take(actions, dunning, outcome)
            return outcome
        await self._take(actions[: retry_at + 1], dunning, outcome)
        position = await self.source.position_of(dunning.tenant_id, dunning.account_id, today)
        await self._take(plan(terms, dunning, position, today, has_stored_method=False), dunning, outcome)
        return outcome

    async def _plan(
        self, terms: DunningTerms, dunning: Dunning, position: Overdue, today: date
    ) -> list[DunningAction]:
        """The plan; the stored method is asked about only when a retry is due."""
        actions = plan(terms, dunning, position, today, has_stored_method=True)
        if any(isinstance(action, Retry) for action in actions) and not (
            await self.collections.has_stored_method(dunning.tenant_id, dunning.account_id)
        ):
            actions = plan(terms, dunning, position, today, has_stored_method=False)
        return actions

    async def _take(self, actions: list[DunningAction], dunning: Dunning, outcome: AccountOutcome) -> None:
        """Side effect first, then the event; a failed restoration stops before the episode closes."""
        for action in actions:
            try:
                await self._perform(action, dunning)
            except Exception as error:
                outcome.failed(action.kind, error)
                if isinstance(action, Restore):
                    return
                continue
            action.record_on(dunning)
            outcome.taken.append(action.kind)

    async def _perform(self, action: DunningAction, dunning: Dunning) -> None:
        """The action's side effect through its port (reminders have none: notify acts on the event)."""
        tenant_id, account_id = dunning.tenant_id, dunning.account_id
        if isinstance(action, Retry):
            status = await self.collections.retry_with_stored_method(
                tenant_id, account_id, action.payment_id, action.amount)
            log.info("dunning retry %s of account %s: %s", action.payment_id, account_id, status)
        elif isinstance(action, ChargeLateFee):
            await self.accounts.add_charge(tenant_id, account_id, action.charge_id, action.description,
                                           action.amount)
        elif isinstance(action, Suspend):
            await self.accounts.suspend(tenant_id, account_id, action.reason)
        elif isinstance(action, Restore):
            await self.accounts.reactivate(tenant_id, account_id, action.reason)
