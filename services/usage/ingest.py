"""NATS feed: mediation systems publish usage batches to usage.ingest.<tenant id> (docs/usage-formats.md).

Every message is captured exactly once (its message id is recorded in the batch's transaction);
a message that is not a batch is recorded as one rejected item and acknowledged, so it never
blocks the stream; the outcome is published to usage-outcomes.<tenant id>.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from nats.aio.msg import Msg

from kernel.messaging import PoisonMessageError
from services.usage.application import BatchResult, Origin, UsageCapture
from services.usage.domain import MAX_BATCH, Outcome, ReceivedRecord
from services.usage.formats import Parsed, RowRejection
from services.usage.store import AlreadyCapturedError

INGEST_SUBJECT = "usage.ingest.>"
OUTCOME_PREFIX = "usage-outcomes"
RAW_LIMIT = 65_536
TEXT_FIELDS = [f.name for f in dataclasses.fields(ReceivedRecord)
               if f.name not in ("attributes", "unknown_fields", "session")]

Publisher = Callable[[str, bytes], Awaitable[None]]


def received_from_json(item: object) -> ReceivedRecord | RowRejection:
    """A JSON record as received: numbers become their text, unknown fields are named."""
    if not isinstance(item, dict):
        return RowRejection(0, "", "record", "not_an_object", json.dumps(item)[:RAW_LIMIT])
    values = {name: text_of(item.get(name, "")) for name in TEXT_FIELDS}
    attributes = item.get("attributes", {})
    if not isinstance(attributes, dict):
        return RowRejection(0, values["record_id"], "attributes", "not_an_object",
                            json.dumps(item)[:RAW_LIMIT])
    unknown = tuple(sorted(set(item) - set(TEXT_FIELDS) - {"attributes"}))
    return ReceivedRecord(**values, attributes={str(k): text_of(v) for k, v in attributes.items()},
                          unknown_fields=unknown)


def text_of(value: object) -> str:
    """A JSON scalar as the text the record model expects."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def tenant_of(subject: str) -> UUID:
    """The tenant a usage.ingest.<tenant id> subject names."""
    try:
        return UUID(subject.rsplit(".", 1)[-1])
    except ValueError:
        raise PoisonMessageError(f"subject {subject} does not name a tenant id") from None


def parse_envelope(body: bytes) -> tuple[str, str, list[Parsed]] | tuple[str, str, RowRejection]:
    """(source, file, items) of a batch message, or (source, file, the message's rejection)."""
    raw = body[:RAW_LIMIT].decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "", "", RowRejection(0, "", "message", "not_json", raw)
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        return "", "", RowRejection(0, "", "records", "required", raw)
    source, file = text_of(payload.get("source", "")), text_of(payload.get("file", ""))
    records = payload["records"]
    if not records or len(records) > MAX_BATCH:
        return source, file, RowRejection(0, "", "records", f"between_1_and_{MAX_BATCH}", raw)
    items: list[Parsed] = []
    for item in records:
        parsed = received_from_json(item)
        if isinstance(parsed, ReceivedRecord) and not parsed.source and source:
            parsed = dataclasses.replace(parsed, source=source)
        items.append(parsed)
    return source, file, items


def outcome_message(message_id: str, result: BatchResult) -> bytes:
    """The outcome of an ingested message: counts, and every record that was not accepted."""
    return json.dumps({
        "message_id": message_id, "batch_id": str(result.batch_id),
        **{outcome.value: result.count(outcome) for outcome in Outcome},
        "not_accepted": [
            {"index": r.index, "record_id": r.record_id, "outcome": r.outcome.value,
             **({"field": r.rejection.field, "reason": r.rejection.reason} if r.rejection else {})}
            for r in result.results if r.outcome is not Outcome.ACCEPTED
        ],
    }).encode()


class IngestHandler:
    """Captures one usage.ingest message; redeliveries of a captured message change nothing."""

    def __init__(self, capture: UsageCapture, publish_outcome: Publisher,
                 on_stored: Callable[[], None]) -> None:
        self.capture = capture
        self.publish_outcome = publish_outcome
        self.on_stored = on_stored

    async def __call__(self, message: Msg) -> None:
        tenant_id = tenant_of(message.subject)
        message_id = (message.headers or {}).get("Nats-Msg-Id") or (
            f"stream:{message.metadata.sequence.stream}")
        source, file, parsed = parse_envelope(message.data)
        items = [parsed] if isinstance(parsed, RowRejection) else parsed
        origin = Origin("nats", source or "nats", file, message_id=message_id)
        try:
            result = await self.capture.capture(tenant_id, items, origin)
        except AlreadyCapturedError:
            return
        self.on_stored()
        await self.publish_outcome(f"{OUTCOME_PREFIX}.{tenant_id}", outcome_message(message_id, result))
