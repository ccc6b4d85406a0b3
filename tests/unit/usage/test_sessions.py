"""Cumulative session counters become deltas: nothing counted twice, nothing lost, in any order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.usage.domain import ReceivedRecord
from services.usage.formats.radius import RadiusDetailParser
from services.usage.sessions import Delta, SessionReading, SessionState, advance

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def reading(input_octets: int = 0, output_octets: int = 0, seconds: int = 0, at: int = 0,
            stopped: bool = False) -> SessionReading:
    return SessionReading(input_octets, output_octets, seconds, T0 + timedelta(seconds=at), stopped)


def run(
    readings: list[SessionReading], state: SessionState | None = None,
) -> tuple[list[Delta], SessionState]:
    deltas = []
    for each in readings:
        delta, state = advance(state, each)
        deltas.append(delta)
    assert state is not None
    return deltas, state


@st.composite
def sessions(draw: st.DrawFn) -> list[SessionReading]:
    """A true session: cumulative readings that never decrease, the last one possibly a Stop."""
    steps = draw(st.lists(
        st.tuples(st.integers(0, 2**40), st.integers(0, 2**40), st.integers(0, 3600), st.integers(0, 900)),
        min_size=1, max_size=12,
    ))
    input_octets = output_octets = seconds = at = 0
    result = []
    for more_in, more_out, more_seconds, later in steps:
        input_octets, output_octets = input_octets + more_in, output_octets + more_out
        seconds, at = seconds + more_seconds, at + later
        result.append(reading(input_octets, output_octets, seconds, at))
    if draw(st.booleans()):
        result[-1] = reading(input_octets, output_octets, seconds, at, stopped=True)
    return result


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[list[SessionReading], list[SessionReading]]:
    """A session and the same readings delivered in any order, some of them more than once."""
    truth = draw(sessions())
    repeats = draw(st.lists(st.sampled_from(truth), max_size=10))
    return truth, draw(st.permutations(truth + repeats))


@given(deliveries())
def test_any_order_with_repetitions_counts_every_octet_and_second_exactly_once(
    case: tuple[list[SessionReading], list[SessionReading]],
) -> None:
    truth, delivered = case
    deltas, state = run(delivered)
    assert all(d.input_octets >= 0 and d.output_octets >= 0 and d.seconds >= 0 for d in deltas)
    assert sum(d.input_octets for d in deltas) == truth[-1].input_octets
    assert sum(d.output_octets for d in deltas) == truth[-1].output_octets
    assert sum(d.total_octets for d in deltas) == truth[-1].input_octets + truth[-1].output_octets
    assert sum(d.seconds for d in deltas) == truth[-1].session_time
    assert (state.input_octets, state.output_octets, state.session_time) == (
        truth[-1].input_octets, truth[-1].output_octets, truth[-1].session_time)
    assert state.event_time == max(r.event_time for r in truth)
    assert state.stopped == truth[-1].stopped


@given(sessions())
def test_in_order_deltas_are_the_consecutive_differences(truth: list[SessionReading]) -> None:
    deltas, _ = run(truth)
    previous = reading()
    for delta, current in zip(deltas, truth, strict=True):
        assert delta.input_octets == current.input_octets - previous.input_octets
        assert delta.output_octets == current.output_octets - previous.output_octets
        assert delta.seconds == current.session_time - previous.session_time
        assert delta.interval_start == current.event_time - timedelta(seconds=delta.seconds)
        previous = current


@given(sessions(), st.data())
def test_a_state_stored_as_a_row_and_read_back_gives_the_same_deltas(
    truth: list[SessionReading], data: st.DataObject,
) -> None:
    split = data.draw(st.integers(1, len(truth)))
    _, state = run(truth[:split])
    rest, _ = run(truth[split:], state)
    stored, _ = run(truth[split:], SessionState.from_row(state.to_row()))
    assert rest == stored


def test_a_stop_without_any_earlier_reading_gives_the_whole_session() -> None:
    delta, state = advance(None, reading(1000, 2000, 600, at=600, stopped=True))
    assert (delta.input_octets, delta.output_octets, delta.seconds) == (1000, 2000, 600)
    assert delta.total_octets == 3000
    assert delta.interval_start == T0
    assert state.stopped


def test_a_repeated_reading_adds_nothing() -> None:
    first = reading(100, 200, 60, at=60)
    deltas, _ = run([first, first])
    assert deltas[1] == Delta(0, 0, 0, first.event_time)


def test_an_older_reading_arriving_late_adds_nothing_and_keeps_the_latest_state() -> None:
    (_, later), state = run([reading(100, 200, 60, at=60), reading(500, 900, 300, at=300)])
    delta, after = advance(state, reading(300, 400, 180, at=180))
    assert delta.total_octets == 0
    assert delta.seconds == 0
    assert after == state
    assert later.total_octets == 400 + 700


def test_each_counter_only_adds_what_exceeds_its_own_maximum() -> None:
    _, state = run([reading(1000, 10, 60, at=60)])
    delta, after = advance(state, reading(900, 50, 120, at=120))
    assert (delta.input_octets, delta.output_octets, delta.seconds) == (0, 40, 60)
    assert (after.input_octets, after.output_octets, after.session_time) == (1000, 50, 120)


def test_once_stopped_a_session_stays_stopped() -> None:
    _, state = run([reading(10, 10, 10, at=10, stopped=True), reading(5, 5, 5, at=5)])
    assert state.stopped
    assert state.event_time == T0 + timedelta(seconds=10)


def test_an_octet_counter_wrap_counts_through_gigawords() -> None:
    before = reading(input_octets=0 * 2**32 + 4294967000, at=300)
    after = reading(input_octets=1 * 2**32 + 100, at=600)
    delta, _ = advance(advance(None, before)[1], after)
    assert delta.input_octets == 396


def detail_block(status: str, octets: int, gigawords: int, epoch: int) -> str:
    return (f"Mon Nov 24 10:00:00 2026\n\tAcct-Status-Type = {status}\n\tUser-Name = \"ada\"\n"
            f"\tAcct-Session-Id = \"42\"\n\tNAS-IP-Address = 192.0.2.1\n"
            f"\tAcct-Input-Octets = {octets}\n\tAcct-Input-Gigawords = {gigawords}\n"
            f"\tAcct-Session-Time = {epoch - 1795514400}\n\tEvent-Timestamp = {epoch}\n\n")


def test_a_wrap_read_from_a_detail_file_gives_the_right_delta() -> None:
    parser = RadiusDetailParser("nas-1")
    text = detail_block("Interim-Update", 4294967000, 0, 1795514700)
    text += detail_block("Stop", 100, 1, 1795515000)
    parsed = parser.feed(text.encode()) + parser.finish()
    readings = [
        SessionReading(int(r.attributes["input_octets"]), int(r.attributes["output_octets"]), int(r.duration),
                       datetime.fromisoformat(r.started_at), r.attributes["status"] == "stop")
        for r in parsed if isinstance(r, ReceivedRecord)
    ]
    assert len(readings) == 2
    deltas, state = run(readings)
    assert deltas[1].input_octets == 396
    assert deltas[1].seconds == 300
    assert deltas[1].interval_start == datetime(2026, 11, 24, 10, 5, tzinfo=UTC)
    assert state.input_octets == 2**32 + 100
    assert state.stopped


def test_a_state_row_holds_plain_values_and_reads_back() -> None:
    state = SessionState(2**40, 7, 86400, T0, True)
    row = state.to_row()
    assert row == {"input_octets": 2**40, "output_octets": 7, "session_time": 86400, "event_time": T0,
                   "stopped": True}
    assert SessionState.from_row(row) == state
    assert SessionState.from_row({**row, "event_time": T0.isoformat()}) == state


@pytest.mark.parametrize("change", [
    {"input_octets": "7"}, {"output_octets": True}, {"session_time": -1}, {"event_time": 5},
    {"stopped": 1}, {"event_time": datetime(2026, 11, 24)},
])
def test_a_damaged_state_row_is_refused(change: dict[str, object]) -> None:
    row = {**SessionState(1, 2, 3, T0, False).to_row(), **change}
    with pytest.raises(ValueError):
        SessionState.from_row(row)


@pytest.mark.parametrize("values", [(-1, 0, 0), (0, -1, 0), (0, 0, -1)])
def test_a_reading_is_never_negative(values: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        SessionReading(*values, T0, False)


def test_a_reading_needs_a_timezone() -> None:
    with pytest.raises(ValueError):
        SessionReading(1, 1, 1, datetime(2026, 11, 24, 10, 0), False)
