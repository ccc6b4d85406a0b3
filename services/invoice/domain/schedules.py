"""Bill-run schedules: which bill cycle days a tenant has and when their runs start."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from services.invoice.domain.cycles import anchor, check_cycle_day
from services.invoice.domain.errors import InvalidCycleDayError, InvalidScheduleError

HOUR_MINUTE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_RUNS = 31


@dataclass(frozen=True)
class ScheduledRun:
    """The accounts of a cycle day are billed at this local time on their bill date."""

    cycle_day: int
    at: time

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"cycle_day": self.cycle_day, "at": self.at.strftime("%H:%M")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScheduledRun:
        """Rebuild from the stored form."""
        return cls(int(data["cycle_day"]), time.fromisoformat(data["at"]))


DEFAULT_RUNS = (ScheduledRun(1, time(0, 0)),)
DEFAULT_TIMEZONE = "UTC"


def parse_runs(runs: list[tuple[int, str]]) -> list[ScheduledRun]:
    """Validate the runs of a schedule; errors name runs[i].<field>."""
    if not 1 <= len(runs) <= MAX_RUNS:
        raise InvalidScheduleError("runs", f"1..{MAX_RUNS} runs")
    parsed = []
    for index, (day, at) in enumerate(runs):
        check_cycle_day(day, f"runs[{index}].cycle_day")
        if not HOUR_MINUTE.fullmatch(at):
            raise InvalidScheduleError(f"runs[{index}].at", "HH:MM, 00:00..23:59")
        parsed.append(ScheduledRun(day, time.fromisoformat(at)))
    days = [run.cycle_day for run in parsed]
    if len(set(days)) != len(days):
        raise InvalidScheduleError("runs", "a cycle day is scheduled twice")
    return sorted(parsed, key=lambda run: run.cycle_day)


def parse_timezone(text: str) -> str:
    """An IANA timezone (empty: UTC)."""
    zone = text or DEFAULT_TIMEZONE
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidScheduleError("timezone", f"unknown timezone {zone!r}") from None
    return zone


class BillingSchedule(TenantAggregate):
    """A tenant's bill-run schedule (day 1 at 00:00 UTC until configured)."""

    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        """One schedule per tenant."""
        return derived_id(tenant_id, "billing-schedule")

    @event("Configured")
    def __init__(self, tenant_id: UUID, timezone: str, runs: list[dict[str, Any]]) -> None:
        self.tenant_id = tenant_id
        self.timezone = timezone
        self.runs = [ScheduledRun.from_dict(run) for run in runs]

    @event("Reconfigured")
    def reconfigure(self, timezone: str, runs: list[dict[str, Any]]) -> None:
        """Replace the runs and their timezone."""
        self.timezone = timezone
        self.runs = [ScheduledRun.from_dict(run) for run in runs]


@dataclass(frozen=True)
class Schedule:
    """A schedule as used: its timezone and runs (the default when none is configured)."""

    timezone: str
    runs: tuple[ScheduledRun, ...]
    is_default: bool

    @classmethod
    def of(cls, configured: BillingSchedule | None) -> Schedule:
        """The configured schedule, or the default one."""
        if configured is None:
            return cls(DEFAULT_TIMEZONE, DEFAULT_RUNS, True)
        return cls(configured.timezone, tuple(configured.runs), False)

    @property
    def cycle_days(self) -> list[int]:
        """The scheduled cycle days."""
        return [run.cycle_day for run in self.runs]

    def check_cycle_day(self, day: int) -> int:
        """An account's cycle day must be scheduled (0 means the first scheduled day)."""
        if day == 0:
            return self.cycle_days[0]
        check_cycle_day(day)
        if day not in self.cycle_days:
            raise InvalidCycleDayError(
                "bill_cycle_day", f"not a scheduled cycle day (scheduled: {self.cycle_days})"
            )
        return day

    def today(self, now: datetime) -> date:
        """Today's date in the schedule's timezone."""
        return now.astimezone(ZoneInfo(self.timezone)).date()

    def runs_due(self, now: datetime) -> list[date]:
        """The bill dates whose run time has come today (cycle days clamped to the month's end)."""
        local = now.astimezone(ZoneInfo(self.timezone))
        today = local.date()
        due = {today for run in self.runs
               if anchor(today.year, today.month, run.cycle_day) == today and local.time() >= run.at}
        return sorted(due)
