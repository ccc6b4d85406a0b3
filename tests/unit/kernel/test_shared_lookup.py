"""Concurrent batch lookups share what is already being looked up: one question per key."""

from __future__ import annotations

import asyncio

import pytest

from kernel.caching import SharedLookup, TtlCache


class Directory:
    """Answers lookups of even numbers (odd ones do not exist), holding each until released."""

    def __init__(self, fail_first: bool = False) -> None:
        self.asked: list[set[int]] = []
        self.release = asyncio.Event()
        self.fail_first = fail_first

    async def fetch(self, scope: str, keys: set[int]) -> dict[int, str]:
        self.asked.append(set(keys))
        await self.release.wait()
        if self.fail_first and len(self.asked) == 1:
            raise ConnectionError("directory unavailable")
        return {key: f"{scope}:{key}" for key in keys if key % 2 == 0}


def lookup(directory: Directory, remember_misses: bool = False) -> SharedLookup[str, int, str]:
    return SharedLookup(TtlCache(60), directory.fetch, remember_misses=remember_misses)


async def settle() -> None:
    """Let the calls started so far reach their lookups."""
    for _ in range(3):
        await asyncio.sleep(0)


async def test_concurrent_callers_ask_for_each_key_once() -> None:
    directory = Directory()
    shared = lookup(directory)
    first = asyncio.ensure_future(shared.get_many("t", {1, 2, 4}))
    await settle()
    second = asyncio.ensure_future(shared.get_many("t", {2, 4, 6}))
    await settle()
    directory.release.set()

    assert await first == {2: "t:2", 4: "t:4"}
    assert await second == {2: "t:2", 4: "t:4", 6: "t:6"}
    assert directory.asked == [{1, 2, 4}, {6}]
    assert await shared.get_many("t", {2, 6}) == {2: "t:2", 6: "t:6"}
    assert await shared.get_many("other", {2}) == {2: "other:2"}
    assert directory.asked[2:] == [{2}]


async def test_misses_are_asked_again_unless_remembered() -> None:
    directory = Directory()
    directory.release.set()
    forgetting, remembering = lookup(directory), lookup(directory, remember_misses=True)

    for _ in range(2):
        assert await forgetting.get_many("t", {1}) == {}
        assert await remembering.get_many("t", {3}) == {}

    assert directory.asked == [{1}, {3}, {1}]


async def test_a_caller_whose_shared_lookup_failed_looks_up_itself() -> None:
    directory = Directory(fail_first=True)
    shared = lookup(directory)
    first = asyncio.ensure_future(shared.get_many("t", {2}))
    await settle()
    second = asyncio.ensure_future(shared.get_many("t", {2}))
    await settle()
    directory.release.set()

    with pytest.raises(ConnectionError):
        await first
    assert await second == {2: "t:2"}
    assert directory.asked == [{2}, {2}]


async def test_a_cancelled_caller_does_not_leave_others_waiting() -> None:
    directory = Directory()
    shared = lookup(directory)
    first = asyncio.ensure_future(shared.get_many("t", {2}))
    await settle()
    second = asyncio.ensure_future(shared.get_many("t", {2, 4}))
    await settle()
    first.cancel()
    directory.release.set()

    assert await second == {2: "t:2", 4: "t:4"}
    assert directory.asked == [{2}, {4}, {2}]
