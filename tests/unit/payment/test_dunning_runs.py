"""Dunning runs over an in-memory event store and stand-in ports: side effects, failures, crashes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from kernel.clock import FixedClock
from kernel.eventstore import BillingApplication
from kernel.money import Money
from services.payment.domain.dunning import Dunning
from services.payment.domain.dunning_policy import DunningTerms
from services.payment.dunning import DunningRuns
from services.payment.dunning_store import DunningStore
from tests.unit.payment.dunning_fakes import (
    FakeAccountControl,
    FakeCases,
    FakeCollections,
    FakeLedger,
)

DUE = date(2026, 3, 1)
FEE_AND_SUSPENSION = DunningTerms((1,), (), None, 5)


def day(n: int) -> date:
    """n days after the due date."""
    return DUE + timedelta(days=n)


class CrashingStore(DunningStore):
    """A store whose next saves fail (a crash, or another process saving first)."""

    def __init__(self, app: BillingApplication) -> None:
        super().__init__(app)
        self.failures: list[Exception] = []

    def save(self, dunning: Dunning) -> None:
        """Fail while told to, then save."""
        if self.failures:
            raise self.failures.pop(0)
        super().save(dunning)


class Harness:
    """A DunningRuns over an in-memory store and stand-ins, with one tenant's overdue account."""

    def __init__(self, retries_succeed: bool = False) -> None:
        self.app = BillingApplication()
        self.store = CrashingStore(self.app)
        self.ledger = FakeLedger()
        self.collections = FakeCollections(self.ledger, retries_succeed)
        self.accounts = FakeAccountControl()
        self.cases = FakeCases()
        self.saves = 0
        self.runs = DunningRuns(self.store, self.cases, self.ledger, self.collections, self.accounts,
                               FixedClock(datetime(2026, 3, 2, 23, 30, tzinfo=UTC)),
                               interval_seconds=0.01, on_saved=self.saved)
        self.tenant, self.account = uuid4(), uuid4()
        self.invoice_id = self.ledger.invoice(self.tenant, self.account, DUE, "100.00")

    def saved(self) -> None:
        """Count saves."""
        self.saves += 1

    def events(self) -> list[str]:
        """The account's stored dunning events."""
        return [type(e).__name__ for e in self.app.events.get(Dunning.create_id(self.tenant, self.account))]

    def configure(self, terms: DunningTerms) -> None:
        """Give the tenant a policy."""
        self.store.configure(self.tenant, terms)


async def test_a_crash_after_the_side_effects_repeats_them_harmlessly_on_the_next_run() -> None:
    h = Harness()
    h.configure(DunningTerms((1,), (), None, 2))
    h.store.failures.append(RuntimeError("crashed before saving"))
    first = await h.runs.run_once(day(3))
    assert [f.action for f in first.failures] == ["dun"]
    assert h.events() == []
    second = await h.runs.run_once(day(3))
    assert second.failures == []
    assert h.events() == ["Created", "Started", "Reminded", "Suspended"]
    assert h.accounts.calls == ["suspend", "suspend"]
    assert h.accounts.status(h.tenant, h.account) == "suspended"


async def test_a_concurrent_save_is_planned_again_on_the_newer_record() -> None:
    h = Harness()
    h.store.failures.append(IntegrityError("someone saved first"))
    report = await h.runs.run_once(day(1))
    assert report.failures == []
    assert report.actions == {"started": 1, "reminded": 1}
    assert h.events() == ["Created", "Started", "Reminded"]


async def test_a_failed_side_effect_is_not_recorded_and_is_taken_on_the_next_run() -> None:
    h = Harness()
    h.configure(FEE_AND_SUSPENSION)
    h.accounts.failing.add("suspend")
    report = await h.runs.run_once(day(5))
    assert report.actions == {"started": 1, "reminded": 1}
    assert [(f.account_id, f.action) for f in report.failures] == [(h.account, "suspended")]
    h.accounts.failing.clear()
    assert (await h.runs.run_once(day(5))).actions == {"suspended": 1}
    assert h.events() == ["Created", "Started", "Reminded", "Suspended"]


async def test_a_failed_restoration_keeps_the_episode_open_until_it_succeeds() -> None:
    h = Harness()
    h.configure(FEE_AND_SUSPENSION)
    await h.runs.run_once(day(5))
    h.ledger.settle_all(h.tenant, h.account)
    h.accounts.failing.add("reactivate")
    failed = await h.runs.run_once(day(6))
    assert failed.actions == {}
    assert [f.action for f in failed.failures] == ["restored"]
    h.accounts.failing.clear()
    assert (await h.runs.run_once(day(6))).actions == {"restored": 1, "closed": 1}
    assert h.accounts.status(h.tenant, h.account) == "active"
    assert await h.cases.open_accounts() == []


async def test_a_retry_that_pays_is_seen_before_any_other_step_of_the_run() -> None:
    h = Harness(retries_succeed=True)
    h.collections.methods.add((h.tenant, h.account))
    report = await h.runs.run_once(day(3))
    assert report.actions == {"started": 1, "retried": 1, "closed": 1}
    assert h.events() == ["Created", "Started", "RetryAttempted", "Closed"]
    assert list(h.collections.payments.values()) == [Money.of("100.00", "EUR")]


async def test_a_retry_that_fails_lets_the_other_steps_go_on() -> None:
    h = Harness()
    h.collections.methods.add((h.tenant, h.account))
    report = await h.runs.run_once(day(3))
    assert report.actions == {"started": 1, "retried": 1, "reminded": 1}


async def test_no_stored_method_means_no_retry_and_no_charge_attempt() -> None:
    h = Harness()
    report = await h.runs.run_once(day(3))
    assert "retried" not in report.actions
    assert h.collections.calls == 0


async def test_reconsider_only_restores_and_closes() -> None:
    h = Harness()
    h.configure(FEE_AND_SUSPENSION)
    await h.runs.run_once(day(5))
    still_overdue = await h.runs.reconsider(h.tenant, h.account, day(9))
    assert still_overdue.taken == []
    h.ledger.settle_all(h.tenant, h.account)
    cleared = await h.runs.reconsider(h.tenant, h.account, day(9))
    assert cleared.taken == ["restored", "closed"]
    assert h.events()[-2:] == ["Restored", "Closed"]


async def test_reconsider_never_raises() -> None:
    h = Harness()
    h.ledger.failing = True
    outcome = await h.runs.reconsider(h.tenant, h.account, day(9))
    assert [f.action for f in outcome.failures] == ["dun"]


async def test_a_run_for_one_tenant_leaves_the_others_alone() -> None:
    h = Harness()
    other_tenant, other_account = uuid4(), uuid4()
    h.ledger.invoice(other_tenant, other_account, DUE)
    report = await h.runs.run_once(day(1), tenant_id=other_tenant)
    assert report.accounts == 1
    assert h.events() == []
    assert await h.cases.open_accounts() == [(other_tenant, other_account)]


async def test_the_worker_survives_failing_runs_and_goes_on_with_the_service_clock() -> None:
    h = Harness()
    h.ledger.failing = True
    stopping = asyncio.Event()
    worker = asyncio.create_task(h.runs.run(stopping))
    await asyncio.sleep(0.05)
    assert not worker.done()
    h.ledger.failing = False
    await wait_for(lambda: h.events() != [])
    stopping.set()
    await asyncio.wait_for(worker, 5)
    assert h.events() == ["Created", "Started", "Reminded"]
    assert h.runs.today() == date(2026, 3, 2)


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll until the condition holds."""
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(poll(), timeout)


async def test_a_run_saves_each_account_once_and_a_second_run_that_day_saves_nothing() -> None:
    h = Harness()
    accounts: list[UUID] = [uuid4() for _ in range(3)]
    for account in accounts:
        h.ledger.invoice(h.tenant, account, DUE)
    report = await h.runs.run_once(day(1))
    assert report.accounts == 4
    assert report.actions == {"started": 4, "reminded": 4}
    assert h.saves == 4
    again = await h.runs.run_once(day(1))
    assert (again.accounts, again.actions, h.saves) == (4, {}, 4)
