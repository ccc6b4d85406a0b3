"""The relay's orjson envelope says exactly what json.dumps of the documented envelope says."""

from __future__ import annotations

import enum
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import orjson
from hypothesis import given
from hypothesis import strategies as st

from kernel.eventstore import envelope_json, event_envelope
from kernel.money import Money


class Colour(enum.Enum):
    """An enum an event might carry."""

    RED = "red"
    BLUE = "blue"


leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.uuids(), st.dates(), st.sampled_from(list(Colour)),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5, minutes=-30))])),
    st.datetimes(),
    st.builds(Money, st.decimals(allow_nan=False, allow_infinity=False, places=2),
              st.sampled_from(["GBP", "EUR", "JPY"])),
)
keys = st.one_of(st.text(max_size=6), st.integers(0, 99))
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


def an_event(data: dict[str, Any]) -> Any:
    event = SimpleNamespace(
        originator_id=UUID(int=7), originator_version=3, tenant_id=UUID(int=9),
        timestamp=datetime(2026, 11, 25, 10, 30, 0, 123456, tzinfo=UTC), originator_topic="t",
    )
    vars(event).update(data)
    return event


@given(st.dictionaries(st.text(min_size=1, max_size=6).filter(str.isidentifier), values, max_size=5))
def test_the_orjson_envelope_reads_back_as_the_documented_envelope(data: dict[str, Any]) -> None:
    event = an_event(data)

    written = envelope_json("invoice", 42, event)

    assert orjson.loads(written) == json.loads(json.dumps(event_envelope("invoice", 42, event)))


def test_money_decimals_dates_and_instants_are_written_as_strings() -> None:
    event = an_event({"total": Money(Decimal("10.50"), "GBP"), "rate": Decimal("0.20"),
                      "day": date(2026, 2, 28), "at": datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
                      "by_line": {1: Money(Decimal("1.00"), "GBP")}, "colour": Colour.RED})

    data = orjson.loads(envelope_json("invoice", 1, event))["data"]

    assert data == {"total": {"amount": "10.50", "currency": "GBP"}, "rate": "0.20",
                    "day": "2026-02-28", "at": "2026-03-01T09:00:00+00:00",
                    "by_line": {"1": {"amount": "1.00", "currency": "GBP"}}, "colour": "red"}
