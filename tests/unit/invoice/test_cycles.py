"""Bill cycles: clamped anchors, periods that tile the calendar, and their instants across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.invoice.domain.cycles import (
    Period,
    anchor,
    check_cycle_day,
    is_anchor,
    period_containing,
    period_ending,
    periods_between,
    shift_months,
)
from services.invoice.domain.errors import InvalidCycleDayError

cycle_days = st.integers(min_value=1, max_value=31)
days = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))


@pytest.mark.parametrize("day", [1, 15, 28, 31])
def test_cycle_days_1_to_31_are_accepted(day: int) -> None:
    assert check_cycle_day(day) == day


@pytest.mark.parametrize("day", [0, 32, -1])
def test_cycle_day_outside_1_to_31_is_refused_naming_the_field(day: int) -> None:
    with pytest.raises(InvalidCycleDayError) as caught:
        check_cycle_day(day)
    assert caught.value.field == "bill_cycle_day"


def test_refused_cycle_day_names_the_field_it_came_from() -> None:
    with pytest.raises(InvalidCycleDayError) as caught:
        check_cycle_day(0, "runs[2].cycle_day")
    assert caught.value.field == "runs[2].cycle_day"


def test_anchor_past_month_end_is_the_month_last_day() -> None:
    assert anchor(2026, 2, 31) == date(2026, 2, 28)
    assert anchor(2028, 2, 31) == date(2028, 2, 29)
    assert anchor(2026, 4, 31) == date(2026, 4, 30)
    assert anchor(2026, 3, 31) == date(2026, 3, 31)
    assert anchor(2026, 2, 15) == date(2026, 2, 15)


def test_cycle_day_31_walks_jan_feb_mar_apr_on_each_month_end() -> None:
    jan = date(2026, 1, 31)
    assert [shift_months(jan, n, 31) for n in range(4)] == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_cycle_day_31_reaches_feb_29_in_a_leap_year_and_comes_back_to_31() -> None:
    feb = shift_months(date(2028, 1, 31), 1, 31)
    assert feb == date(2028, 2, 29)
    assert shift_months(feb, 1, 31) == date(2028, 3, 31)


def test_cycle_day_29_is_feb_28_outside_leap_years() -> None:
    assert shift_months(date(2026, 1, 29), 1, 29) == date(2026, 2, 28)
    assert shift_months(date(2028, 1, 29), 1, 29) == date(2028, 2, 29)


def test_shift_months_crosses_years_both_ways() -> None:
    assert shift_months(date(2026, 12, 15), 1, 15) == date(2027, 1, 15)
    assert shift_months(date(2026, 1, 31), -1, 31) == date(2025, 12, 31)
    assert shift_months(date(2026, 3, 31), -1, 31) == date(2026, 2, 28)
    assert shift_months(date(2026, 1, 10), -13, 10) == date(2024, 12, 10)


def test_is_anchor_only_on_the_clamped_cycle_day() -> None:
    assert is_anchor(date(2026, 2, 28), 31)
    assert is_anchor(date(2026, 2, 28), 28)
    assert not is_anchor(date(2026, 2, 27), 31)
    assert not is_anchor(date(2026, 3, 30), 31)


def test_period_containing_a_day_after_the_anchor_starts_this_month() -> None:
    assert period_containing(date(2026, 3, 20), 15) == Period(date(2026, 3, 15), date(2026, 4, 15))


def test_period_containing_a_day_before_the_anchor_started_last_month() -> None:
    assert period_containing(date(2026, 3, 10), 15) == Period(date(2026, 2, 15), date(2026, 3, 15))


def test_period_containing_the_anchor_starts_on_it() -> None:
    assert period_containing(date(2026, 3, 15), 15) == Period(date(2026, 3, 15), date(2026, 4, 15))


def test_period_containing_uses_clamped_anchors_for_cycle_day_31() -> None:
    assert period_containing(date(2026, 3, 1), 31) == Period(date(2026, 2, 28), date(2026, 3, 31))
    assert period_containing(date(2026, 2, 28), 31) == Period(date(2026, 2, 28), date(2026, 3, 31))
    assert period_containing(date(2026, 2, 27), 31) == Period(date(2026, 1, 31), date(2026, 2, 28))
    assert period_containing(date(2026, 4, 30), 31) == Period(date(2026, 4, 30), date(2026, 5, 31))


def test_period_ending_on_an_anchor_starts_one_cycle_earlier() -> None:
    assert period_ending(date(2026, 3, 31), 31) == Period(date(2026, 2, 28), date(2026, 3, 31))
    assert period_ending(date(2026, 2, 28), 31) == Period(date(2026, 1, 31), date(2026, 2, 28))
    assert period_ending(date(2026, 1, 1), 1) == Period(date(2025, 12, 1), date(2026, 1, 1))


def test_periods_between_runs_from_the_period_of_first_to_the_period_of_last() -> None:
    assert periods_between(date(2026, 1, 31), date(2026, 4, 30), 31) == [
        Period(date(2026, 1, 31), date(2026, 2, 28)),
        Period(date(2026, 2, 28), date(2026, 3, 31)),
        Period(date(2026, 3, 31), date(2026, 4, 30)),
        Period(date(2026, 4, 30), date(2026, 5, 31)),
    ]


def test_periods_between_days_of_one_period_is_that_period() -> None:
    assert periods_between(date(2026, 3, 2), date(2026, 3, 31), 1) == [
        Period(date(2026, 3, 1), date(2026, 4, 1))]


def test_period_days_count_calendar_days() -> None:
    assert Period(date(2026, 2, 1), date(2026, 3, 1)).days == 28
    assert Period(date(2028, 2, 1), date(2028, 3, 1)).days == 29
    assert Period(date(2026, 1, 31), date(2026, 2, 28)).days == 28


def test_period_is_half_open() -> None:
    period = Period(date(2026, 3, 1), date(2026, 4, 1))
    assert period.contains(date(2026, 3, 1))
    assert period.contains(date(2026, 3, 31))
    assert not period.contains(date(2026, 4, 1))
    assert not period.contains(date(2026, 2, 28))


def test_last_day_is_the_day_before_the_end() -> None:
    assert Period(date(2026, 3, 1), date(2026, 4, 1)).last_day() == date(2026, 3, 31)
    assert Period(date(2028, 2, 29), date(2028, 3, 31)).last_day() == date(2028, 3, 30)
    assert Period(date(2026, 12, 1), date(2027, 1, 1)).last_day() == date(2026, 12, 31)


def test_overlap_is_the_part_inside_the_period() -> None:
    period = Period(date(2026, 3, 1), date(2026, 4, 1))
    assert period.overlap(date(2026, 3, 10), date(2026, 3, 20)) == Period(
        date(2026, 3, 10), date(2026, 3, 20))
    assert period.overlap(date(2026, 2, 1), date(2026, 3, 10)) == Period(
        date(2026, 3, 1), date(2026, 3, 10))
    assert period.overlap(date(2026, 3, 16), None) == Period(date(2026, 3, 16), date(2026, 4, 1))
    assert period.overlap(date(2026, 1, 1), None) == period


def test_overlap_outside_or_touching_the_period_is_none() -> None:
    period = Period(date(2026, 3, 1), date(2026, 4, 1))
    assert period.overlap(date(2026, 4, 1), None) is None
    assert period.overlap(date(2026, 1, 1), date(2026, 3, 1)) is None
    assert period.overlap(date(2026, 3, 10), date(2026, 3, 10)) is None


def test_london_march_period_ends_an_hour_earlier_in_utc_after_the_clocks_go_forward() -> None:
    period = Period(date(2026, 3, 1), date(2026, 4, 1))
    assert period.instants("Europe/London") == (
        datetime(2026, 3, 1, 0, 0, tzinfo=UTC), datetime(2026, 3, 31, 23, 0, tzinfo=UTC))
    assert period.days == 31


def test_london_october_period_starts_in_summer_time_and_ends_in_winter_time() -> None:
    period = Period(date(2026, 10, 1), date(2026, 11, 1))
    assert period.instants("Europe/London") == (
        datetime(2026, 9, 30, 23, 0, tzinfo=UTC), datetime(2026, 11, 1, 0, 0, tzinfo=UTC))
    assert period.days == 31


def test_the_day_of_a_dst_change_is_one_day_of_23_or_25_hours() -> None:
    spring = Period(date(2026, 3, 29), date(2026, 3, 30))
    autumn = Period(date(2026, 10, 25), date(2026, 10, 26))
    start, end = spring.instants("Europe/London")
    assert (spring.days, end - start) == (1, timedelta(hours=23))
    start, end = autumn.instants("Europe/London")
    assert (autumn.days, end - start) == (1, timedelta(hours=25))


def test_new_york_periods_follow_its_own_dst_dates() -> None:
    march = Period(date(2026, 3, 1), date(2026, 4, 1))
    assert march.instants("America/New_York") == (
        datetime(2026, 3, 1, 5, 0, tzinfo=UTC), datetime(2026, 4, 1, 4, 0, tzinfo=UTC))
    november = Period(date(2026, 10, 1), date(2026, 11, 1))
    assert november.instants("America/New_York") == (
        datetime(2026, 10, 1, 4, 0, tzinfo=UTC), datetime(2026, 11, 1, 4, 0, tzinfo=UTC))
    change = Period(date(2026, 3, 8), date(2026, 3, 9))
    start, end = change.instants("America/New_York")
    assert (change.days, end - start) == (1, timedelta(hours=23))


def test_instants_are_utc() -> None:
    start, end = Period(date(2026, 7, 1), date(2026, 8, 1)).instants("Europe/London")
    assert start.utcoffset() == timedelta(0) and end.utcoffset() == timedelta(0)
    assert start == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


def test_consecutive_periods_of_one_zone_share_their_boundary_instant() -> None:
    first, second = periods_between(date(2026, 3, 1), date(2026, 4, 1), 1)
    assert first.instants("Europe/London")[1] == second.instants("Europe/London")[0]


@given(cycle_day=cycle_days, day=days, count=st.integers(min_value=1, max_value=30))
def test_periods_of_any_cycle_day_tile_the_calendar_from_clamped_anchors(
    cycle_day: int, day: date, count: int
) -> None:
    period = period_containing(day, cycle_day)
    assert period.contains(day)
    for _ in range(count):
        assert period.start < period.end
        assert period.start == anchor(period.start.year, period.start.month, cycle_day)
        assert period.end == anchor(period.end.year, period.end.month, cycle_day)
        assert period_containing(period.last_day(), cycle_day) == period
        following = period_containing(period.end, cycle_day)
        assert following.start == period.end
        assert period_ending(period.end, cycle_day) == period
        period = following


@given(cycle_day=cycle_days, first=days, length=st.integers(min_value=0, max_value=800))
def test_periods_between_cover_every_day_once(cycle_day: int, first: date, length: int) -> None:
    last = first + timedelta(days=length)
    periods = periods_between(first, last, cycle_day)
    assert periods[0].contains(first)
    assert periods[-1].contains(last)
    for before, after in pairwise(periods):
        assert before.end == after.start
    assert sum(p.days for p in periods) == (periods[-1].end - periods[0].start).days
    assert all(28 <= p.days <= 31 for p in periods)
