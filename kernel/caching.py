"""Short-lived caches for lookups that change rarely (accounts, identities, tariff versions)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class TtlCache(Generic[Value]):
    """Values kept for a number of seconds, then looked up again; bounded in size."""

    def __init__(self, seconds: float, limit: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.limit = limit
        self.clock = clock
        self.entries: dict[Hashable, tuple[Value, float]] = {}

    def get(self, key: Hashable) -> tuple[bool, Value | None]:
        """(found, value) for a fresh entry."""
        entry = self.entries.get(key)
        if entry is None or entry[1] < self.clock():
            return False, None
        return True, entry[0]

    def put(self, key: Hashable, value: Value) -> None:
        """Remember a value."""
        if len(self.entries) >= self.limit:
            self.entries.clear()
        self.entries[key] = (value, self.clock() + self.seconds)

    def forget(self, key: Hashable) -> None:
        """Drop an entry whose value changed."""
        self.entries.pop(key, None)
