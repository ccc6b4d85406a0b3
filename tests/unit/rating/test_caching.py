"""Lookups are reused for a few seconds, then asked again."""

from __future__ import annotations

from uuid import UUID, uuid4

from kernel.caching import TtlCache
from services.rating.contexts import CachedRatingContexts
from services.rating.domain import RatingContext


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire() -> None:
    clock = Clock()
    cache: TtlCache[int] = TtlCache(seconds=5, clock=clock)
    cache.put("k", 1)
    assert cache.get("k") == (True, 1)
    clock.now = 6
    assert cache.get("k") == (False, None)


class CountingContexts:
    def __init__(self, known: UUID) -> None:
        self.known = known
        self.asked: list[set[UUID]] = []

    async def for_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> dict[UUID, RatingContext]:
        self.asked.append(set(account_ids))
        return {a: RatingContext(a, uuid4(), "EUR", {}) for a in account_ids if a == self.known}


async def test_contexts_known_and_unknown_are_reused() -> None:
    known, unknown, tenant = uuid4(), uuid4(), uuid4()
    inner = CountingContexts(known)
    cached = CachedRatingContexts(inner)
    first = await cached.for_accounts(tenant, {known, unknown})
    second = await cached.for_accounts(tenant, {known, unknown})
    assert set(first) == set(second) == {known}
    assert inner.asked == [{known, unknown}]
