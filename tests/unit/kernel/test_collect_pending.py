"""BillingApplication.save collects what the library's save collects: aggregates' pending events,
bare domain events, and nothing for None; saves with a tracking record keep the position."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking

from kernel.eventstore import BillingApplication, collect_pending


class Ledger(BillingApplication):
    """An application kept in memory."""

    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class Counter(Aggregate):
    """An aggregate with events to collect."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Counted")
    def count_up(self, by: int) -> None:
        self.count += by


def test_collects_the_same_events_and_aggregates_as_the_library() -> None:
    first, second = Counter("a"), Counter("b")
    first.count_up(2)
    loose = Counter("c").collect_events()[0]
    library: ProcessingEvent[UUID] = ProcessingEvent()
    library.collect_events(first, None, second, loose)
    first, second = Counter("a"), Counter("b")
    first.count_up(2)
    ours: ProcessingEvent[UUID] = ProcessingEvent()

    collect_pending(ours, [first, None, second, loose])

    assert [type(e).__qualname__ for e in ours.events] == [
        type(e).__qualname__ for e in library.events]
    assert ours.events[-1] is loose
    assert list(ours.aggregates.values()) == [first, second]


def test_saved_aggregates_replay_and_a_repeat_save_stores_nothing_more() -> None:
    app = Ledger()
    counter = Counter("a")
    counter.count_up(3)

    recordings = app.save(counter, None)
    again = app.save(counter)

    assert len(recordings) == 2 and again == []
    replayed: Counter = app.repository.get(counter.id)
    assert (replayed.name, replayed.count, replayed.version) == ("a", 3, 2)


def test_a_tracked_save_keeps_the_position() -> None:
    app = Ledger()
    counter = Counter("a")

    app.save_tracked(Tracking("upstream", 7), counter)

    assert app.repository.get(counter.id).name == "a"
    assert app.is_processed(Tracking("upstream", 7))
