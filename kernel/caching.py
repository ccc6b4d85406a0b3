"""Short-lived caches for lookups that change rarely (accounts, identities, tariff versions)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")
Scope = TypeVar("Scope", bound=Hashable)
Key = TypeVar("Key", bound=Hashable)


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


Fetch = Callable[[Scope, set[Key]], Awaitable[dict[Key, Value]]]
"""Looks up keys of one scope (a tenant) at once; the values found."""


class SharedLookup(Generic[Scope, Key, Value]):
    """Batch lookups through a TtlCache keyed (scope, key), shared by concurrent callers: a key
    another caller is already looking up is waited for, not asked again. Without this, every
    caller arriving while many entries are expired (all at once, after a quiet spell) asks for
    them all, and the service asked does the same lookup once per caller.

    Keys not found are remembered (as None) only when remember_misses says so; a caller whose
    shared lookup failed looks its keys up itself.
    """

    def __init__(self, cache: TtlCache[Value | None], fetch: Fetch[Scope, Key, Value],
                 remember_misses: bool) -> None:
        self.cache = cache
        self.fetch = fetch
        self.remember_misses = remember_misses
        self.in_flight: dict[tuple[Scope, Key], asyncio.Future[dict[Key, Value] | None]] = {}

    async def get_many(self, scope: Scope, keys: set[Key]) -> dict[Key, Value]:
        """The values of the keys that exist (cached, shared or looked up now)."""
        found: dict[Key, Value] = {}
        missing: set[Key] = set()
        waiting: dict[Key, asyncio.Future[dict[Key, Value] | None]] = {}
        for key in keys:
            hit, value = self.cache.get((scope, key))
            if hit:
                if value is not None:
                    found[key] = value
            elif (scope, key) in self.in_flight:
                waiting[key] = self.in_flight[scope, key]
            else:
                missing.add(key)
        if missing:
            found.update(await self._look_up(scope, missing))
        failed: set[Key] = set()
        for key, shared in waiting.items():
            answer = await asyncio.shield(shared)
            if answer is None:
                failed.add(key)
            elif key in answer:
                found[key] = answer[key]
        if failed:
            found.update(await self.get_many(scope, failed))
        return found

    async def _look_up(self, scope: Scope, keys: set[Key]) -> dict[Key, Value]:
        shared: asyncio.Future[dict[Key, Value] | None] = asyncio.get_running_loop().create_future()
        for key in keys:
            self.in_flight[scope, key] = shared
        answer: dict[Key, Value] | None = None
        try:
            answer = await self.fetch(scope, keys)
            for key in keys:
                if key in answer:
                    self.cache.put((scope, key), answer[key])
                elif self.remember_misses:
                    self.cache.put((scope, key), None)
            return answer
        finally:
            for key in keys:
                self.in_flight.pop((scope, key), None)
            shared.set_result(answer)
