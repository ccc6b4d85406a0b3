"""Where the catalog keeps what does not belong in events: definitions and the rate plan listing.

On PostgreSQL both are written by the event recorder in the transaction that inserts the events
(CatalogRecorder._insert_events), so a version's definition and its VersionPublished event are
committed together or not at all. In memory (unit tests) they are kept in dictionaries.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from kernel.recorder import BinaryArraysRecorder


@dataclass(frozen=True)
class RatePlanRow:
    """A rate plan as listed: name, currency and its latest version (0 and None before the first)."""

    tenant_id: UUID
    rate_plan_id: UUID
    name: str
    currency: str
    latest_version: int = 0
    latest_effective_from: date | None = None


@dataclass
class CatalogWrites:
    """What a save writes beside its events: definitions (tenant, digest, JSON text) and listings."""

    definitions: list[tuple[UUID, str, str]] = field(default_factory=list)
    plans: list[RatePlanRow] = field(default_factory=list)


class CatalogStore(Protocol):
    """Reads of definitions by digest and of the tenant's rate plans."""

    def definition_text(self, tenant_id: UUID, digest: str) -> str | None: ...

    def rate_plans(self, tenant_id: UUID) -> list[RatePlanRow]: ...


class MemoryCatalogStore:
    """The catalog's side tables in memory, written after the events are saved."""

    def __init__(self) -> None:
        self._definitions: dict[tuple[UUID, str], str] = {}
        self._plans: dict[tuple[UUID, UUID], RatePlanRow] = {}
        self._lock = threading.Lock()

    def apply(self, writes: CatalogWrites) -> None:
        with self._lock:
            for tenant_id, digest, text in writes.definitions:
                self._definitions.setdefault((tenant_id, digest), text)
            for row in writes.plans:
                self._plans[row.tenant_id, row.rate_plan_id] = row

    def definition_text(self, tenant_id: UUID, digest: str) -> str | None:
        return self._definitions.get((tenant_id, digest))

    def rate_plans(self, tenant_id: UUID) -> list[RatePlanRow]:
        rows = [row for (tenant, _), row in self._plans.items() if tenant == tenant_id]
        return sorted(rows, key=lambda row: (row.name, str(row.rate_plan_id)))


class CatalogRecorder(BinaryArraysRecorder):
    """The process recorder, also writing the catalog's side tables in the events' transaction.

    Used through PROCESS_RECORDER_TOPIC; a save passes `catalog=CatalogWrites(...)`.
    """

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = Identifier(datastore.schema or "public")
        self.definitions_table = SQL("{}.tariff_definitions").format(schema)
        self.plans_table = SQL("{}.tariff_rate_plans").format(schema)
        self.create_schema = SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema)
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {} (tenant_id uuid NOT NULL, digest text NOT NULL, "
            "definition jsonb NOT NULL, stored_at timestamptz NOT NULL DEFAULT now(), "
            "PRIMARY KEY (tenant_id, digest))"
        ).format(self.definitions_table))
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {} (tenant_id uuid NOT NULL, rate_plan_id uuid NOT NULL, "
            "name text NOT NULL, currency text NOT NULL, latest_version integer NOT NULL, "
            "latest_effective_from date, PRIMARY KEY (tenant_id, rate_plan_id))"
        ).format(self.plans_table))

    def create_table(self) -> None:
        """The schema (when the service has not made it yet), the event tables and the side tables."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.create_schema, prepare=False)
        super().create_table()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Insert events; with catalog writes, write those first in the same transaction.

        Without pipeline mode: a multi-megabyte definition sent in a psycopg pipeline stalls.
        """
        writes: CatalogWrites | None = kwargs.get("catalog")
        if writes is None:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._write_side_tables(curs, writes)
            self._insert_events(curs, stored_events, **kwargs)
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _write_side_tables(self, curs: Cursor[DictRow], writes: CatalogWrites) -> None:
        for tenant_id, digest, text in writes.definitions:
            curs.execute(SQL(
                "INSERT INTO {} (tenant_id, digest, definition) VALUES (%s, %s, %s::jsonb) "
                "ON CONFLICT (tenant_id, digest) DO NOTHING"
            ).format(self.definitions_table), (tenant_id, digest, text), prepare=False)
        for row in writes.plans:
            curs.execute(SQL(
                "INSERT INTO {} (tenant_id, rate_plan_id, name, currency, latest_version, "
                "latest_effective_from) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (tenant_id, rate_plan_id) DO UPDATE SET name = excluded.name, "
                "latest_version = excluded.latest_version, "
                "latest_effective_from = excluded.latest_effective_from"
            ).format(self.plans_table), (row.tenant_id, row.rate_plan_id, row.name, row.currency,
                                         row.latest_version, row.latest_effective_from))


class PostgresCatalogStore:
    """Reads of the side tables the CatalogRecorder writes."""

    def __init__(self, recorder: CatalogRecorder) -> None:
        self.recorder = recorder

    def definition_text(self, tenant_id: UUID, digest: str) -> str | None:
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT definition::text AS definition FROM {} WHERE tenant_id = %s "
                             "AND digest = %s").format(self.recorder.definitions_table),
                         (tenant_id, digest))
            row = curs.fetchone()
        return None if row is None else str(row["definition"])

    def rate_plans(self, tenant_id: UUID) -> list[RatePlanRow]:
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT * FROM {} WHERE tenant_id = %s ORDER BY name, rate_plan_id")
                         .format(self.recorder.plans_table), (tenant_id,))
            rows = curs.fetchall()
        return [RatePlanRow(row["tenant_id"], row["rate_plan_id"], row["name"], row["currency"],
                            row["latest_version"], row["latest_effective_from"]) for row in rows]
