"""Time bands: chosen in the account's timezone by the record's start; holidays win; the week is covered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.rating.pricing.bands import BandCalendar, BandError, BandWindow, HolidayCalendar, TimeBand
from tests.unit.rating.pricing.tariffs import BANDS, HOLIDAYS, LONDON, amount, one, usage

CALENDAR = BandCalendar(BANDS, HOLIDAYS)


def band_at_utc(moment: datetime, timezone: str = LONDON) -> str:
    return CALENDAR.band_at(moment.astimezone(ZoneInfo(timezone)))


@pytest.mark.parametrize(("moment", "band"), [
    (datetime(2026, 11, 24, 7, 59, 59, tzinfo=UTC), "offpeak"),   # Tuesday, GMT
    (datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "peak"),
    (datetime(2026, 11, 24, 18, 59, 59, tzinfo=UTC), "peak"),
    (datetime(2026, 11, 24, 19, 0, tzinfo=UTC), "offpeak"),
    (datetime(2026, 11, 28, 12, 0, tzinfo=UTC), "weekend"),       # Saturday
    (datetime(2026, 11, 29, 23, 59, tzinfo=UTC), "weekend"),      # Sunday
    (datetime(2026, 11, 30, 0, 0, tzinfo=UTC), "offpeak"),        # Monday midnight
    (datetime(2026, 12, 25, 12, 0, tzinfo=UTC), "holiday"),       # Christmas, a Friday
    (datetime(2026, 12, 24, 23, 59, tzinfo=UTC), "offpeak"),
    (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), "holiday"),
    (datetime(2026, 7, 14, 7, 30, tzinfo=UTC), "peak"),           # 08:30 BST
    (datetime(2026, 7, 14, 17, 59, tzinfo=UTC), "peak"),           # 18:59 BST
    (datetime(2026, 7, 14, 18, 0, tzinfo=UTC), "offpeak"),         # 19:00 BST
])
def test_band_of_a_moment_in_london(moment: datetime, band: str) -> None:
    assert band_at_utc(moment) == band


def test_bands_follow_the_dst_change_in_london() -> None:
    # Monday 2026-03-30 is the first weekday in BST (clocks went forward on Sunday 29 March).
    assert band_at_utc(datetime(2026, 3, 27, 7, 30, tzinfo=UTC)) == "offpeak"  # Friday 07:30 GMT
    assert band_at_utc(datetime(2026, 3, 30, 7, 30, tzinfo=UTC)) == "peak"     # Monday 08:30 BST
    assert band_at_utc(datetime(2026, 3, 30, 18, 30, tzinfo=UTC)) == "offpeak"  # Monday 19:30 BST
    # The change day itself is a Sunday: 00:59 GMT and 02:00 BST are a minute apart, both weekend.
    assert band_at_utc(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "weekend"
    # Back to GMT on Sunday 25 October; Monday 26 October 07:30 UTC is 07:30 GMT.
    assert band_at_utc(datetime(2026, 10, 26, 7, 30, tzinfo=UTC)) == "offpeak"
    assert band_at_utc(datetime(2026, 10, 23, 7, 30, tzinfo=UTC)) == "peak"    # Friday 08:30 BST


def test_the_account_timezone_decides_the_band_and_the_holiday() -> None:
    moment = datetime(2026, 12, 24, 23, 30, tzinfo=UTC)
    assert band_at_utc(moment, LONDON) == "offpeak"
    assert band_at_utc(moment, "Europe/Paris") == "holiday"  # already 25 December in Paris
    assert band_at_utc(datetime(2026, 11, 24, 7, 30, tzinfo=UTC), "Europe/Paris") == "peak"


def test_a_call_crossing_a_band_boundary_is_rated_in_the_band_of_its_start() -> None:
    start = datetime(2026, 11, 24, 18, 50, tzinfo=UTC)  # peak, ends 19:10 offpeak
    call = one(usage("voice", 1200, "+442079460001", at=start))
    assert call.band == "peak"
    assert call.amount == amount("1.01")  # 20 min at the peak 0.05 + 0.01 connect, none at offpeak 0.025


def band(name: str, days: frozenset[int], start: time, end: time) -> TimeBand:
    return TimeBand(name, (BandWindow(days, start, end),))


WEEK = frozenset(range(7))


@pytest.mark.parametrize(("bands", "message"), [
    ((band("peak", WEEK, time(8), time(0)),), "Monday 00:00-08:00 is in no band"),
    ((band("all", WEEK, time(0), time(0)), band("peak", frozenset({2}), time(8), time(19))),
     "overlap on Wednesday at 08:00"),
    ((band("all", frozenset(range(6)), time(0), time(0)),), "Sunday 00:00-24:00 is in no band"),
    ((band("night", WEEK, time(19), time(7)),), "crosses midnight"),
    ((band("a", WEEK, time(0), time(12, 30)), band("b", WEEK, time(12, 30, 1), time(0))),
     "12:30-12:30:01 is in no band"),
])
def test_bands_must_cover_the_week_without_overlap(bands: tuple[TimeBand, ...], message: str) -> None:
    with pytest.raises(BandError, match=message):
        BandCalendar(bands, None)


# Reference: a linear scan over the band definitions, as an auditor would read them.

def reference_band(bands: tuple[TimeBand, ...], holidays: HolidayCalendar | None, local: datetime) -> str:
    if holidays is not None and local.date() in holidays.dates:
        return holidays.band
    clock = local.time().replace(tzinfo=None)
    for band in bands:
        for window in band.windows:
            ends_at_midnight = window.end == time(0)
            if local.weekday() in window.weekdays and window.start <= clock and (
                    ends_at_midnight or clock < window.end):
                return band.name
    raise AssertionError("no band")


@st.composite
def band_layouts(draw: st.DrawFn) -> tuple[tuple[TimeBand, ...], HolidayCalendar]:
    """A random week cut into intervals at random minutes, each interval given a random band."""
    names = ["peak", "offpeak", "evening", "weekend"]
    windows: dict[str, list[BandWindow]] = {}
    for weekday in range(7):
        cuts = sorted(draw(st.sets(st.integers(1, 24 * 60 - 1), max_size=4)))
        edges = [0, *cuts, 24 * 60]
        for start, end in pairwise(edges):
            name = draw(st.sampled_from(names))
            windows.setdefault(name, []).append(BandWindow(
                frozenset({weekday}), time(start // 60, start % 60), time((end // 60) % 24, end % 60)))
    dates = draw(st.sets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=5))
    bands = tuple(TimeBand(name, tuple(found)) for name, found in sorted(windows.items()))
    return (*bands, TimeBand("holiday")), HolidayCalendar("holiday", frozenset(dates))


instants = st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
zones = st.sampled_from([LONDON, "Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC"])


@given(band_layouts(), instants, zones)
def test_band_lookup_agrees_with_a_linear_scan(
    layout: tuple[tuple[TimeBand, ...], HolidayCalendar], moment: datetime, zone: str,
) -> None:
    bands, holidays = layout
    local = moment.astimezone(ZoneInfo(zone))
    assert BandCalendar(bands, holidays).band_at(local) == reference_band(bands, holidays, local)


@given(instants, zones)
def test_the_uk_tariff_bands_agree_with_a_linear_scan(moment: datetime, zone: str) -> None:
    local = moment.astimezone(ZoneInfo(zone))
    assert CALENDAR.band_at(local) == reference_band(BANDS, HOLIDAYS, local)
