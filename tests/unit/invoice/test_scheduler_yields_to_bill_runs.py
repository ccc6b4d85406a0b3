"""The scheduler does not tick while a bill run of its process is under way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from kernel.clock import FixedClock
from services.invoice.bill_runs import BillRunner
from services.invoice.scheduler import BillRunScheduler


class NoTenantsDirectory:
    """A directory without tenants that records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        self.asked.append(sql)
        return []

    async def overdue_candidates(self, today: date) -> list[tuple[UUID, UUID]]:
        self.asked.append(f"overdue on {today}")
        return []


class Runner:
    """Stands in for the bill runner: only how many runs are under way."""

    under_way = 0


def scheduler(directory: NoTenantsDirectory, runner: Runner) -> BillRunScheduler:
    clock = FixedClock(datetime(2026, 11, 1, 6, tzinfo=UTC))
    return BillRunScheduler(app=None, directory=directory, runner=runner,  # type: ignore[arg-type]
                            crediting=None, clock=clock, interval_seconds=60)  # type: ignore[arg-type]


async def test_a_tick_during_a_bill_run_reads_nothing_and_the_next_one_after_it_ticks() -> None:
    directory, runner = NoTenantsDirectory(), Runner()
    runner.under_way = 1
    assert await scheduler(directory, runner).tick_unless_billing() is None
    assert directory.asked == []
    runner.under_way = 0
    assert await scheduler(directory, runner).tick_unless_billing() == []
    assert directory.asked == ["SELECT DISTINCT tenant_id FROM invoice.account_directory",
                               "overdue on 2026-11-01"]


class ScheduleOfRecorder:
    """An application whose schedule lookup notes how many runs were under way, then fails."""

    def __init__(self) -> None:
        self.runner: BillRunner | None = None
        self.seen_under_way: list[int] = []

    def schedule_of(self, tenant_id: UUID) -> None:
        assert self.runner is not None
        self.seen_under_way.append(self.runner.under_way)
        raise LookupError(tenant_id)


async def test_a_run_counts_as_under_way_until_it_ends_even_when_it_fails() -> None:
    app = ScheduleOfRecorder()
    runner = BillRunner(app, directory=None, usage=None,  # type: ignore[arg-type]
                        clock=FixedClock(datetime(2026, 11, 1, tzinfo=UTC)))
    app.runner = runner
    with pytest.raises(LookupError):
        await runner.run(uuid4(), "2026-11-01")
    assert (app.seen_under_way, runner.under_way) == ([1], 0)
