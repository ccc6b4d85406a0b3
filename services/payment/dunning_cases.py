"""Dunning cases: a small table of each account's dunning state, to find open episodes.

An account whose overdue was cleared drops out of the ledger's overdue list, yet its open episode
must still be closed (and a suspended account restored): the runs find it here. The table is a
read model of the Dunning aggregates, written after each save (and before a new episode starts,
so a crash between saving and writing the row never loses an open episode).
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

import asyncpg

from kernel.database import check_schema_name
from services.payment.domain.dunning import Dunning

OPEN = "open"
CLOSED = "closed"


def dunning_ddl(schema: str) -> list[str]:
    """The dunning_cases table and its index of open cases."""
    name = check_schema_name(schema)
    return [
        f"CREATE TABLE IF NOT EXISTS {name}.dunning_cases ("
        " tenant_id uuid NOT NULL, account_id uuid NOT NULL, episode integer NOT NULL,"
        " state text NOT NULL CHECK (state IN ('open', 'closed')),"
        " suspended boolean NOT NULL, version integer NOT NULL,"
        " updated_at timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (tenant_id, account_id))",
        f"CREATE INDEX IF NOT EXISTS dunning_cases_open ON {name}.dunning_cases (tenant_id)"
        " WHERE state = 'open'",
    ]


class CaseIndex(Protocol):
    """Where runs note each account's dunning state and find the open episodes."""

    async def record(self, dunning: Dunning) -> None:
        """Write the state the aggregate is in."""
        ...

    async def record_opening(self, dunning: Dunning) -> None:
        """Mark the account's next episode open before it starts."""
        ...

    async def open_accounts(self, tenant_id: UUID | None = None) -> list[tuple[UUID, UUID]]:
        """(tenant, account) of every open case, of one tenant or of all."""
        ...


class DunningCases:
    """The dunning_cases table of a schema, over an asyncpg pool."""

    def __init__(self, pool: asyncpg.Pool, schema: str) -> None:
        self.pool = pool
        self.table = f"{check_schema_name(schema)}.dunning_cases"

    async def record(self, dunning: Dunning) -> None:
        """Write the state the aggregate is in."""
        await self._upsert(dunning.tenant_id, dunning.account_id, dunning.episode,
                           OPEN if dunning.is_open else CLOSED, dunning.suspended, dunning.version)

    async def record_opening(self, dunning: Dunning) -> None:
        """Mark the account's next episode open before it starts."""
        await self._upsert(dunning.tenant_id, dunning.account_id, dunning.episode + 1, OPEN, False,
                           dunning.version)

    async def _upsert(
        self, tenant_id: UUID, account_id: UUID, episode: int, state: str, suspended: bool, version: int
    ) -> None:
        """Insert or update the row, never going back to an older version of the aggregate."""
        await self.pool.execute(
            f"INSERT INTO {self.table} AS c (tenant_id, account_id, episode, state, suspended, version)"
            " VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (tenant_id, account_id) DO UPDATE SET episode = EXCLUDED.episode,"
            " state = EXCLUDED.state, suspended = EXCLUDED.suspended, version = EXCLUDED.version,"
            " updated_at = now() WHERE c.version <= EXCLUDED.version",
            tenant_id, account_id, episode, state, suspended, version,
        )

    async def open_accounts(self, tenant_id: UUID | None = None) -> list[tuple[UUID, UUID]]:
        """(tenant, account) of every open case, of one tenant or of all."""
        if tenant_id is None:
            rows = await self.pool.fetch(
                f"SELECT tenant_id, account_id FROM {self.table} WHERE state = 'open'"
                " ORDER BY tenant_id, account_id")
        else:
            rows = await self.pool.fetch(
                f"SELECT tenant_id, account_id FROM {self.table} WHERE state = 'open'"
                " AND tenant_id = $1 ORDER BY account_id", tenant_id)
        return [(row["tenant_id"], row["account_id"]) for row in rows]
