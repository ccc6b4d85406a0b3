"""RADIUS accounting sessions: cumulative counters become per-interval deltas (pure logic, no I/O).

A session's readings (Start, Interim-Update, Stop) carry counters that only grow. The state keeps the
largest value of each counter seen so far; a reading adds only what it exceeds that state by. So a
repeated or older reading adds nothing, readings in any order add up to the largest reading, and a
Stop without any earlier reading adds the whole session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

StateRow = dict[str, int | datetime | bool]
"""A session state as a plain row: input_octets, output_octets, session_time, event_time, stopped."""


@dataclass(frozen=True, slots=True)
class SessionReading:
    """The cumulative counters one accounting request reports for its session."""

    input_octets: int
    output_octets: int
    session_time: int
    event_time: datetime
    stopped: bool

    def __post_init__(self) -> None:
        check_counters(self.input_octets, self.output_octets, self.session_time, self.event_time)


@dataclass(frozen=True, slots=True)
class SessionState:
    """What a session has counted so far: the largest counters, the latest event, whether it stopped."""

    input_octets: int
    output_octets: int
    session_time: int
    event_time: datetime
    stopped: bool

    def __post_init__(self) -> None:
        check_counters(self.input_octets, self.output_octets, self.session_time, self.event_time)

    def to_row(self) -> StateRow:
        """The state as a plain dict of ints, a datetime and a bool."""
        return {
            "input_octets": self.input_octets,
            "output_octets": self.output_octets,
            "session_time": self.session_time,
            "event_time": self.event_time,
            "stopped": self.stopped,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SessionState:
        """The state from a dict made by to_row (event_time may also be RFC 3339 text)."""
        return cls(
            input_octets=row_int(row, "input_octets"),
            output_octets=row_int(row, "output_octets"),
            session_time=row_int(row, "session_time"),
            event_time=row_datetime(row, "event_time"),
            stopped=row_bool(row, "stopped"),
        )


@dataclass(frozen=True, slots=True)
class Delta:
    """What one reading adds to its session: octets each way and seconds, ending at its event."""

    input_octets: int
    output_octets: int
    seconds: int
    interval_start: datetime

    @property
    def total_octets(self) -> int:
        """Octets both ways."""
        return self.input_octets + self.output_octets


def advance(state: SessionState | None, reading: SessionReading) -> tuple[Delta, SessionState]:
    """What the reading adds to the session (never negative) and the session's new state."""
    if state is None:
        return whole(reading), state_of(reading)
    seconds = max(0, reading.session_time - state.session_time)
    delta = Delta(
        input_octets=max(0, reading.input_octets - state.input_octets),
        output_octets=max(0, reading.output_octets - state.output_octets),
        seconds=seconds,
        interval_start=reading.event_time - timedelta(seconds=seconds),
    )
    return delta, SessionState(
        input_octets=max(state.input_octets, reading.input_octets),
        output_octets=max(state.output_octets, reading.output_octets),
        session_time=max(state.session_time, reading.session_time),
        event_time=max(state.event_time, reading.event_time),
        stopped=state.stopped or reading.stopped,
    )


def whole(reading: SessionReading) -> Delta:
    """The delta of a session's first reading: all it reports."""
    return Delta(
        input_octets=reading.input_octets,
        output_octets=reading.output_octets,
        seconds=reading.session_time,
        interval_start=reading.event_time - timedelta(seconds=reading.session_time),
    )


def state_of(reading: SessionReading) -> SessionState:
    """The state of a session after its first reading."""
    return SessionState(
        reading.input_octets, reading.output_octets, reading.session_time, reading.event_time,
        reading.stopped,
    )


def check_counters(input_octets: int, output_octets: int, session_time: int, event_time: datetime) -> None:
    """Counters are non-negative integers and the event time is timezone-aware."""
    for value in (input_octets, output_octets, session_time):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"session counters must be non-negative integers, not {value!r}")
    if event_time.tzinfo is None or event_time.utcoffset() is None:
        raise ValueError("session event times must be timezone-aware")


def row_int(row: Mapping[str, Any], key: str) -> int:
    """An integer column of a state row."""
    value = row[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"session state {key} must be an integer, not {value!r}")
    return value


def row_datetime(row: Mapping[str, Any], key: str) -> datetime:
    """A datetime column of a state row (a datetime, or RFC 3339 text as JSON keeps it)."""
    value = row[key]
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise ValueError(f"session state {key} must be a datetime, not {value!r}")
    return value


def row_bool(row: Mapping[str, Any], key: str) -> bool:
    """A boolean column of a state row."""
    value = row[key]
    if not isinstance(value, bool):
        raise ValueError(f"session state {key} must be a boolean, not {value!r}")
    return value
