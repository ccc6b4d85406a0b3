"""The one-statement binary recorder on real PostgreSQL: same rows, ids in order, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, StoredEvent, Tracking

from kernel.database import eventsourcing_env
from kernel.eventstore import BillingApplication
from kernel.recorder import BinaryArraysRecorder


class Ledger(BillingApplication):
    """An application with nothing but the kernel's persistence."""


class Counter(Aggregate):
    """An aggregate with a few events to replay."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Counted")
    def count_up(self, by: int) -> None:
        self.count += by


@pytest.fixture
def app(database_url: str) -> Iterator[Ledger]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA ledger")
    ledger = Ledger(env=eventsourcing_env(database_url, "ledger"))
    yield ledger
    ledger.close()


def stored(version: int, state: bytes, originator: object = None) -> StoredEvent:
    return StoredEvent(originator_id=originator or uuid4(), originator_version=version,
                       topic="tests:Thing.Happened", state=state)


def test_events_go_in_with_their_bytes_intact_and_ids_in_order(app: Ledger) -> None:
    recorder = app.recorder
    assert isinstance(recorder, BinaryArraysRecorder)
    every_byte = bytes(range(256)) * 40
    events = [stored(1, every_byte), stored(1, b"{}"), stored(1, b"")]

    ids = recorder.insert_events(events)

    assert ids is not None and list(ids) == sorted(ids) and len(set(ids)) == 3
    read = recorder.select_notifications(start=ids[0], limit=10)
    assert [(n.id, n.originator_id, n.state) for n in read] == [
        (i, e.originator_id, e.state) for i, e in zip(ids, events, strict=True)]


def test_a_clash_writes_nothing_of_the_batch(app: Ledger) -> None:
    recorder = app.recorder
    first = stored(1, b"{}")
    recorder.insert_events([first])

    with pytest.raises(IntegrityError):
        recorder.insert_events([stored(1, b"{}"), stored(1, b"{}", first.originator_id)])

    assert len(recorder.select_notifications(start=1, limit=10)) == 1


def test_a_save_with_a_consumer_position_records_both_or_neither(app: Ledger) -> None:
    recorder = app.recorder

    recorder.insert_events([stored(1, b"{}")], tracking=Tracking("upstream", 7))
    with pytest.raises(IntegrityError):
        recorder.insert_events([stored(1, b"{}")], tracking=Tracking("upstream", 7))

    assert recorder.max_tracking_id("upstream") == 7
    assert len(recorder.select_notifications(start=1, limit=10)) == 1


def test_aggregates_read_together_are_as_read_one_by_one(app: Ledger) -> None:
    counters = [Counter(f"c{n}") for n in range(3)]
    for n, counter in enumerate(counters):
        for _ in range(n * 2):
            counter.count_up(by=n + 1)
    app.save(*counters)
    never_saved = uuid4()

    found = app.get_many([counters[2].id, never_saved, counters[0].id, counters[2].id])

    assert set(found) == {counters[0].id, counters[2].id}
    for counter in (counters[0], counters[2]):
        alone = app.repository.get(counter.id)
        together = found[counter.id]
        assert isinstance(together, Counter)
        assert (together.name, together.count, together.version) == (alone.name, alone.count,
                                                                     alone.version)
    assert found[counters[2].id].version == 5
