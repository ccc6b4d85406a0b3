"""Pools on real PostgreSQL: a released connection is reset unless the pool keeps sessions, and
an open transaction is rolled back either way."""

from __future__ import annotations

import pytest

from kernel.database import create_pool


async def setting_after_release(database_url: str, reset_sessions: bool) -> str:
    """application_name as the next user of the pool's one connection sees it."""
    pool = await create_pool(database_url, reset_sessions=reset_sessions, max_size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("SET application_name = 'left behind'")
        async with pool.acquire() as conn:
            return str(await conn.fetchval("SELECT current_setting('application_name')"))
    finally:
        await pool.close()


async def test_a_released_connection_is_reset_by_default(database_url: str) -> None:
    assert await setting_after_release(database_url, reset_sessions=True) != "left behind"


async def test_a_pool_that_keeps_sessions_skips_the_reset(database_url: str) -> None:
    assert await setting_after_release(database_url, reset_sessions=False) == "left behind"


@pytest.mark.parametrize("reset_sessions", [True, False])
async def test_an_abandoned_transaction_is_rolled_back(database_url: str, reset_sessions: bool) -> None:
    pool = await create_pool(database_url, reset_sessions=reset_sessions, max_size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("CREATE TABLE IF NOT EXISTS public.pool_probe (n int)")
            await conn.execute("TRUNCATE public.pool_probe")
            transaction = conn.transaction()
            await transaction.start()
            await conn.execute("INSERT INTO public.pool_probe VALUES (1)")
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM public.pool_probe") == 0
    finally:
        await pool.close()
