"""The garbage-collector policy of service processes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from kernel.heap import (
    MIDDLE_COLLECTION_EVERY,
    OLD_COLLECTION_EVERY,
    YOUNG_COLLECTION_EVERY,
    collect_by_the_batch,
    freeze_startup_heap,
)


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_the_young_generation_is_collected_by_the_batch(restored_collector: None) -> None:
    collect_by_the_batch()
    assert gc.get_threshold() == (YOUNG_COLLECTION_EVERY, MIDDLE_COLLECTION_EVERY, OLD_COLLECTION_EVERY)
    assert YOUNG_COLLECTION_EVERY > 700


def test_startup_state_is_frozen_and_garbage_is_not(restored_collector: None) -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    kept = Node()
    garbage = weakref.ref(Node())
    assert garbage() is not None
    freeze_startup_heap()
    assert garbage() is None
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())
    cycle = Node()
    assert any(o is cycle for o in gc.get_objects())
