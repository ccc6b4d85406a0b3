"""Turns session records' cumulative counters into per-interval deltas, inside the batch's
transaction, with each session's state row locked so concurrent batches never count twice."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import asyncpg

from services.usage.domain import UsageRecord
from services.usage.sessions import SessionReading, SessionState, advance


def reading_of(record: UsageRecord) -> SessionReading:
    """The cumulative counters a session record carries."""
    attributes = record.attributes
    return SessionReading(
        input_octets=int(attributes.get("input_octets", 0)),
        output_octets=int(attributes.get("output_octets", 0)),
        session_time=int(record.duration or 0),
        event_time=record.started_at,
        stopped=attributes.get("status") == "stop",
    )


def state_to_json(state: SessionState) -> str:
    """A session state as stored in usage.sessions."""
    return json.dumps(state.to_row(), default=lambda v: v.isoformat() if isinstance(v, datetime) else v)


def state_from_json(text: str) -> SessionState | None:
    """A session state read back from usage.sessions (None before its first reading)."""
    row = json.loads(text)
    if row is None:
        return None
    row["event_time"] = datetime.fromisoformat(row["event_time"])
    return SessionState.from_row(row)


async def apply_session_deltas(
    conn: asyncpg.Connection, tenant_id: UUID, records: list[UsageRecord]
) -> list[UsageRecord]:
    """Replace each session record's cumulative counters by what it adds to its session."""
    keys = sorted({(r.source, r.session) for r in records if r.session})
    sources, sessions = [k[0] for k in keys], [k[1] for k in keys]
    await conn.execute(
        "INSERT INTO usage.sessions (tenant_id, source, session, state)"
        " SELECT $1, s, k, 'null' FROM unnest($2::text[], $3::text[]) AS u(s, k)"
        " ON CONFLICT DO NOTHING", tenant_id, sources, sessions,
    )
    rows = await conn.fetch(
        "SELECT source, session, state FROM usage.sessions WHERE tenant_id = $1"
        " AND (source, session) IN (SELECT * FROM unnest($2::text[], $3::text[]))"
        " ORDER BY source, session FOR UPDATE",
        tenant_id, sources, sessions,
    )
    states: dict[tuple[str, str], SessionState | None] = {
        (row["source"], row["session"]): state_from_json(row["state"]) for row in rows
    }
    result = []
    for record in sorted(records, key=lambda r: r.started_at):
        if not record.session:
            result.append(record)
            continue
        key = (record.source, record.session)
        delta, states[key] = advance(states[key], reading_of(record))
        result.append(dataclasses.replace(
            record, quantity=Decimal(delta.total_octets), duration=Decimal(delta.seconds),
            started_at=delta.interval_start,
            attributes={
                **record.attributes,
                "input_octets": str(delta.input_octets), "output_octets": str(delta.output_octets),
                "input_octets_cumulative": record.attributes.get("input_octets", "0"),
                "output_octets_cumulative": record.attributes.get("output_octets", "0"),
            },
        ))
    await conn.executemany(
        "UPDATE usage.sessions SET state = $4 WHERE tenant_id = $1 AND source = $2 AND session = $3",
        [(tenant_id, source, session, state_to_json(state))
         for (source, session), state in states.items() if state is not None],
    )
    return result
