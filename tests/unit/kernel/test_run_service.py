"""Service processes run their main coroutine on uvloop."""

from __future__ import annotations

import asyncio

import uvloop

from kernel.runtime import run_service


def test_the_main_coroutine_runs_to_completion_on_uvloop() -> None:
    seen: list[asyncio.AbstractEventLoop] = []

    async def main() -> None:
        await asyncio.sleep(0)
        seen.append(asyncio.get_running_loop())

    run_service(main)

    assert len(seen) == 1
    assert isinstance(seen[0], uvloop.Loop)
    assert seen[0].is_closed()
