"""Bill-run schedules: validated runs, scheduled cycle days, and which runs are due now."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import uuid4

import pytest

from services.invoice.domain.errors import InvalidCycleDayError, InvalidScheduleError
from services.invoice.domain.schedules import (
    BillingSchedule,
    Schedule,
    ScheduledRun,
    parse_runs,
    parse_timezone,
)


def schedule(timezone: str, *runs: tuple[int, str]) -> Schedule:
    configured = BillingSchedule(tenant_id=uuid4(), timezone=timezone,
                                 runs=[run.as_dict() for run in parse_runs(list(runs))])
    return Schedule.of(configured)


def test_runs_are_parsed_and_sorted_by_cycle_day() -> None:
    assert parse_runs([(31, "06:30"), (1, "00:00"), (15, "23:59")]) == [
        ScheduledRun(1, time(0, 0)), ScheduledRun(15, time(23, 59)), ScheduledRun(31, time(6, 30))]


@pytest.mark.parametrize("count", [0, 32])
def test_a_schedule_has_1_to_31_runs(count: int) -> None:
    runs = [(day % 31 + 1, "06:00") for day in range(count)]
    with pytest.raises(InvalidScheduleError) as caught:
        parse_runs(runs)
    assert caught.value.field == "runs"


def test_a_schedule_of_every_cycle_day_is_accepted() -> None:
    assert len(parse_runs([(day, "06:00") for day in range(1, 32)])) == 31


@pytest.mark.parametrize("day", [0, 32])
def test_a_run_outside_cycle_days_1_to_31_is_refused_naming_it(day: int) -> None:
    with pytest.raises(InvalidCycleDayError) as caught:
        parse_runs([(1, "06:00"), (day, "06:00")])
    assert caught.value.field == "runs[1].cycle_day"


@pytest.mark.parametrize("at", ["24:00", "6:00", "06:60", "06:00:00", "06:00\n", "", "noon"])
def test_a_run_time_that_is_not_hh_mm_is_refused_naming_it(at: str) -> None:
    with pytest.raises(InvalidScheduleError) as caught:
        parse_runs([(1, "06:00"), (2, at)])
    assert caught.value.field == "runs[1].at"


def test_a_cycle_day_scheduled_twice_is_refused() -> None:
    with pytest.raises(InvalidScheduleError) as caught:
        parse_runs([(1, "06:00"), (1, "07:00")])
    assert caught.value.field == "runs"


def test_timezone_is_iana_and_defaults_to_utc() -> None:
    assert parse_timezone("") == "UTC"
    assert parse_timezone("Europe/London") == "Europe/London"
    with pytest.raises(InvalidScheduleError) as caught:
        parse_timezone("Mars/Olympus")
    assert caught.value.field == "timezone"


def test_a_run_survives_its_stored_form() -> None:
    run = ScheduledRun(31, time(6, 5))
    assert run.as_dict() == {"cycle_day": 31, "at": "06:05"}
    assert ScheduledRun.from_dict(run.as_dict()) == run


def test_without_a_configured_schedule_day_1_runs_at_midnight_utc() -> None:
    default = Schedule.of(None)
    assert (default.timezone, default.cycle_days, default.is_default) == ("UTC", [1], True)
    assert default.runs_due(datetime(2026, 4, 1, 0, 0, tzinfo=UTC)) == [date(2026, 4, 1)]


def test_cycle_day_0_means_the_first_scheduled_day() -> None:
    assert schedule("UTC", (15, "06:00"), (5, "06:00")).check_cycle_day(0) == 5
    assert Schedule.of(None).check_cycle_day(0) == 1


def test_a_scheduled_cycle_day_is_accepted() -> None:
    assert schedule("UTC", (15, "06:00"), (31, "06:00")).check_cycle_day(31) == 31


@pytest.mark.parametrize("day", [2, 16, 32, -1])
def test_an_unscheduled_cycle_day_is_refused(day: int) -> None:
    with pytest.raises(InvalidCycleDayError) as caught:
        schedule("UTC", (1, "06:00"), (15, "06:00")).check_cycle_day(day)
    assert caught.value.field == "bill_cycle_day"


def test_cycle_day_31_is_due_on_april_30() -> None:
    days = schedule("UTC", (31, "06:00"))
    assert days.runs_due(datetime(2026, 4, 30, 6, 0, tzinfo=UTC)) == [date(2026, 4, 30)]
    assert days.runs_due(datetime(2026, 3, 30, 6, 0, tzinfo=UTC)) == []
    assert days.runs_due(datetime(2026, 3, 31, 6, 0, tzinfo=UTC)) == [date(2026, 3, 31)]


def test_days_past_february_end_are_all_due_on_its_last_day_once() -> None:
    days = schedule("UTC", (28, "00:00"), (29, "00:00"), (30, "00:00"), (31, "00:00"))
    assert days.runs_due(datetime(2026, 2, 28, 12, 0, tzinfo=UTC)) == [date(2026, 2, 28)]
    assert days.runs_due(datetime(2028, 2, 28, 12, 0, tzinfo=UTC)) == [date(2028, 2, 28)]
    assert days.runs_due(datetime(2028, 2, 29, 12, 0, tzinfo=UTC)) == [date(2028, 2, 29)]


def test_a_run_is_not_due_before_its_time_of_day() -> None:
    days = schedule("UTC", (1, "06:00"))
    assert days.runs_due(datetime(2026, 4, 1, 5, 59, tzinfo=UTC)) == []
    assert days.runs_due(datetime(2026, 4, 1, 23, 59, tzinfo=UTC)) == [date(2026, 4, 1)]


def test_the_time_of_day_is_read_in_the_schedule_timezone() -> None:
    london = schedule("Europe/London", (31, "06:00"))
    assert london.runs_due(datetime(2026, 4, 30, 4, 59, tzinfo=UTC)) == []
    assert london.runs_due(datetime(2026, 4, 30, 5, 0, tzinfo=UTC)) == [date(2026, 4, 30)]


def test_the_bill_date_is_the_local_date_not_the_utc_date() -> None:
    new_york = schedule("America/New_York", (1, "00:00"), (31, "20:00"))
    evening = datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
    assert new_york.today(evening) == date(2026, 4, 30)
    assert new_york.runs_due(evening) == [date(2026, 4, 30)]
    assert new_york.runs_due(datetime(2026, 5, 1, 4, 0, tzinfo=UTC)) == [date(2026, 5, 1)]
    assert new_york.runs_due(datetime(2026, 5, 1, 3, 59, tzinfo=UTC)) == [date(2026, 4, 30)]


def test_reconfiguring_replaces_runs_and_timezone() -> None:
    configured = BillingSchedule(tenant_id=uuid4(), timezone="UTC",
                                 runs=[run.as_dict() for run in parse_runs([(1, "00:00")])])
    configured.reconfigure("Europe/London", [run.as_dict() for run in parse_runs([(15, "06:00")])])
    used = Schedule.of(configured)
    assert (used.timezone, used.runs, used.is_default) == (
        "Europe/London", (ScheduledRun(15, time(6, 0)),), False)
