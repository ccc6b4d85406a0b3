"""Resubmission of rejected records: corrected by a person, or replayed once the customer exists."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID

from kernel.errors import ConflictError, InvalidInputError, PreconditionError
from services.usage.application import Origin, RecordResult, UsageCapture
from services.usage.domain import ReceivedRecord
from services.usage.queries import UsageQueries
from services.usage.store import RejectionNotOpenError

REPROCESS_PAGE = 500


def stored_record(record_json: str | None) -> ReceivedRecord:
    """The record stored with a rejection, as received."""
    if record_json is None:
        raise InvalidInputError("record", "required: the rejected row never became a record")
    return ReceivedRecord(**json.loads(record_json))


class Resubmissions:
    """Submits rejected records again; the rejection is then resolved or superseded."""

    def __init__(self, capture: UsageCapture, queries: UsageQueries) -> None:
        self.capture = capture
        self.queries = queries

    async def resubmit(
        self, tenant_id: UUID, rejection_id: UUID, corrected: ReceivedRecord | None
    ) -> tuple[UUID, RecordResult]:
        """Capture the corrected (or stored) record in place of the rejected one."""
        row = await self.queries.get_rejection(tenant_id, rejection_id)
        if row["status"] != "open":
            raise PreconditionError(f"rejection {rejection_id} is already {row['status']}")
        record = corrected if corrected is not None else stored_record(row["record"])
        origin = Origin("resubmission", row["source"], row["file"], resubmission_of=rejection_id)
        try:
            result = await self.capture.capture(tenant_id, [record], origin)
        except RejectionNotOpenError:
            raise ConflictError(f"rejection {rejection_id} was resubmitted meanwhile") from None
        return result.batch_id, result.results[0]

    async def reprocess_awaiting(
        self, tenant_id: UUID, subscribers: list[str], account_ids: list[str]
    ) -> int:
        """Resubmit every open rejection that waited for these subscribers or accounts."""
        done = 0
        started = datetime.now(UTC)
        while ids := await self.queries.awaiting_customer(
            tenant_id, subscribers, account_ids, started, REPROCESS_PAGE
        ):
            for rejection_id in ids:
                try:
                    await self.resubmit(tenant_id, rejection_id, None)
                except (ConflictError, PreconditionError):
                    continue
                done += 1
            if len(ids) < REPROCESS_PAGE:
                break
        return done
