"""The event recorder every service stores its events with: the library's, made cheaper per save.

The eventsourcing library inserts events as one array of a composite type in text form (every
byte of every event's state hex-encoded in Python) and needs three round trips per save (open
the pipeline, insert, commit). This recorder sends the four columns as binary arrays to one
function that locks the table, notifies and inserts, in one statement and so one transaction:
the same rows, the same table lock and notification order, one round trip. A save that records
a consumer's position (tracking) takes the library's path, since both must be in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresDatastore, PostgresProcessRecorder
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier, Literal


class BinaryArraysRecorder(PostgresProcessRecorder):
    """The library's process recorder, inserting events as four binary arrays in one statement."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = Identifier(datastore.schema)
        table = Identifier(self.events_table_name)
        function = Identifier(f"insert_{self.events_table_name}")
        id_type = Identifier(datastore.originator_id_type)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(schema=schema, table=table, id_type=id_type)
        self.sql_create_statements.append(SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}(ids {id_type}[], versions bigint[],"
            " topics text[], states bytea[]) RETURNS SETOF bigint LANGUAGE plpgsql AS $body$"
            " BEGIN"
            " SET LOCAL lock_timeout = {lock_timeout};"
            " LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;"
            " NOTIFY {channel};"
            " RETURN QUERY INSERT INTO {schema}.{table} AS t"
            " (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(ids, versions, topics, states) RETURNING t.notification_id;"
            " END $body$"
        ).format(schema=schema, function=function, id_type=id_type, table=table,
                 lock_timeout=Literal(f"{datastore.lock_timeout}s"),
                 channel=Identifier(self.channel_name)))
        self.select_many_statement = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{table}"
            " WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        ).format(schema=schema, table=table)
        self.insert_function_call = SQL(
            "SELECT notification_id FROM {schema}.{function}(%b, %b, %b, %b) AS notification_id"
        ).format(schema=schema, function=function)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Insert the events; their notification ids, in order."""
        if kwargs.get("tracking") is not None or not stored_events:
            return super().insert_events(stored_events, **kwargs)
        return self._insert_in_one_statement(stored_events)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events_of_many(self, originator_ids: Sequence[Any]) -> list[StoredEvent]:
        """Every event of the given aggregates, by aggregate and version, in one query."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_many_statement, (list(originator_ids),), prepare=True)
            return [StoredEvent(originator_id=row["originator_id"],
                                originator_version=row["originator_version"],
                                topic=row["topic"], state=bytes(row["state"]))
                    for row in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_in_one_statement(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.insert_function_call, self._columns(stored_events), prepare=True)
            return [row["notification_id"] for row in curs.fetchall()]

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(self.insert_events_statement, self._columns(stored_events))

    @staticmethod
    def _columns(stored_events: Sequence[StoredEvent]) -> tuple[list[Any], ...]:
        return (
            [event.originator_id for event in stored_events],
            [event.originator_version for event in stored_events],
            [event.topic for event in stored_events],
            [event.state for event in stored_events],
        )
