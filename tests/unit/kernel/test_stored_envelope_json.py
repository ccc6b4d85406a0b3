"""The relay's envelope read from an event's stored state is, byte for byte, the envelope of the
event decoded from it; events it cannot read that way are decoded as before."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import orjson
from eventsourcing.domain import event
from eventsourcing.persistence import JSONTranscoder, StoredEvent, Transcoding
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.eventstore import (
    BillingApplication,
    TenantAggregate,
    envelope_json,
    stored_envelope_json,
)
from kernel.money import Money


class Colour(enum.Enum):
    """A value only a transcoding registered by the test can store."""

    RED = "red"


class ColourAsValue(Transcoding):
    """Stores a Colour as its value."""

    type = Colour
    name = "colour"

    def encode(self, obj: Colour) -> str:
        return obj.value

    def decode(self, data: str) -> Colour:
        return Colour(data)


class Ledger(BillingApplication):
    """An application kept in memory, with one transcoding of its own."""

    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ColourAsValue())


class Entry(TenantAggregate):
    """An aggregate whose events carry whatever the test gives them."""

    @event("Opened")
    def __init__(self, tenant_id: UUID, payload: Any) -> None:
        self.tenant_id = tenant_id
        self.payload = payload

    @event("Noted")
    def note(self, payload: Any, extra: Any = None) -> None:
        self.payload = payload

    class Revised(TenantAggregate.Event):
        """An event of a class with versions: its stored state is upcast when read."""

        class_version = 2
        payload: Any

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["payload"] = {"was": state["payload"]}

    @event(Revised)
    def revise(self, payload: Any) -> None:
        self.payload = payload


leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=4), st.uuids(), st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5, minutes=-30))])),
    st.datetimes(),
    st.builds(Money, st.decimals(allow_nan=False, allow_infinity=False, places=2),
              st.sampled_from(["GBP", "EUR", "JPY"])),
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.one_of(st.text(max_size=6), st.integers(0, 99)), inner, max_size=4),
    max_leaves=20,
)
APP = Ledger()


def stored_events(entry: Entry) -> list[StoredEvent]:
    return [APP.mapper.to_stored_event(e) for e in entry.collect_events()]


def both_ways(stored: StoredEvent) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """What the relay writes from the stored state, and from the event decoded the library's way."""
    decoded = APP.mapper.to_domain_event(stored)
    return (stored_envelope_json("invoice", 42, stored, APP.mapper),
            (type(decoded).__qualname__, envelope_json("invoice", 42, decoded)))


@settings(max_examples=200)
@given(values, values)
def test_the_stored_state_gives_the_decoded_events_envelope_byte_for_byte(first: Any, then: Any) -> None:
    entry = Entry(tenant_id=uuid4(), payload=first)
    entry.note(payload=then, extra=[first])

    for stored in stored_events(entry):
        from_state, from_event = both_ways(stored)
        assert from_state == from_event


def test_an_invoice_like_event_reads_as_its_documented_envelope() -> None:
    tenant_id = uuid4()
    entry = Entry(tenant_id=tenant_id, payload={
        "total": Money(Decimal("10.50"), "GBP"), "day": date(2026, 2, 28), "id": UUID(int=5),
        "at": datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "rate": Decimal("0.20")})

    type_name, written = stored_envelope_json("invoice", 7, stored_events(entry)[0], APP.mapper)

    envelope = orjson.loads(written)
    assert type_name == "Entry.Opened"
    assert (envelope["id"], envelope["type"], envelope["tenant_id"]) == (
        "invoice:7", "Entry.Opened", str(tenant_id))
    assert envelope["aggregate_id"] == str(entry.id) and envelope["aggregate_version"] == 1
    assert envelope["data"] == {"payload": {
        "total": {"amount": "10.50", "currency": "GBP"}, "day": "2026-02-28",
        "id": "00000000-0000-0000-0000-000000000005", "at": "2026-03-01T09:00:00+00:00",
        "rate": "0.20"}}


def test_versioned_events_are_upcast_and_other_transcodings_decoded_as_before() -> None:
    entry = Entry(tenant_id=uuid4(), payload=Colour.RED)
    entry.revise(payload="new")
    opened, revised = stored_events(entry)
    old_revision = StoredEvent(revised.originator_id, revised.originator_version, revised.topic,
                               orjson.dumps({**orjson.loads(revised.state), "class_version": 1}))

    for stored in (opened, revised, old_revision):
        from_state, from_event = both_ways(stored)
        assert from_state == from_event
    assert orjson.loads(both_ways(opened)[0][1])["data"] == {"payload": "red"}
    assert orjson.loads(both_ways(old_revision)[0][1])["data"] == {"payload": {"was": "new"}}
