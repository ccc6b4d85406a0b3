"""Garbage-collector policy of service processes: collect cycles by the batch, not by the object.

CPython's default starts a young-generation collection every 700 net container allocations. A
service building a batch (a bill run's thousand drafts, a rating batch) keeps its objects alive
longer than that, so they are promoted and scanned again by every older collection: a fifth of a
100,000-account bill run went to the collector. Freed objects never count, so the young threshold
below only bounds how many cyclic leftovers wait for a collection, and the state built at start-up
(modules, protobuf descriptors, tariffs) is frozen out of collections once the service serves.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 50_000
"""Net container allocations between young-generation collections (CPython's default is 700)."""

MIDDLE_COLLECTION_EVERY = 20
"""Young collections between collections of the middle generation."""

OLD_COLLECTION_EVERY = 10
"""Middle collections between full collections (CPython also waits for 25% growth)."""


def collect_by_the_batch() -> None:
    """Make the collector's thresholds those of this module."""
    gc.set_threshold(YOUNG_COLLECTION_EVERY, MIDDLE_COLLECTION_EVERY, OLD_COLLECTION_EVERY)


def freeze_startup_heap() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()
