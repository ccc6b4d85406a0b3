"""gRPC edge of the usage service."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

import asyncpg
import grpc
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.wire import id_from_wire
from services.usage.application import BatchResult, Origin, RecordResult, UsageCapture
from services.usage.domain import Outcome, ReceivedRecord
from services.usage.imports import FileImporter, ImportRequest
from services.usage.queries import MAX_RECORD_KEYS, RecordKey, RejectionFilter, UsageQueries
from services.usage.resubmission import Resubmissions

OUTCOME_TO_PROTO = {
    Outcome.ACCEPTED: usage_pb2.OUTCOME_ACCEPTED,
    Outcome.DUPLICATE: usage_pb2.OUTCOME_DUPLICATE,
    Outcome.REJECTED: usage_pb2.OUTCOME_REJECTED,
}


def received_from_proto(record: usage_pb2.UsageRecord) -> ReceivedRecord:
    """A wire record as received."""
    return ReceivedRecord(
        record_id=record.record_id, source=record.source, account_id=record.account_id,
        subscriber=record.subscriber, service_type=record.service_type,
        quantity=record.quantity, unit=record.unit, started_at=record.started_at,
        ended_at=record.ended_at, duration=record.duration, price=record.price,
        currency=record.currency, attributes=dict(record.attributes),
        unknown_fields=tuple(record.unknown_fields),
    )


def outcome_to_proto(result: RecordResult) -> usage_pb2.RecordOutcome:
    """One record's outcome on the wire."""
    return usage_pb2.RecordOutcome(
        index=result.index, record_id=result.record_id, outcome=OUTCOME_TO_PROTO[result.outcome],
        field=result.rejection.field if result.rejection else "",
        reason=result.rejection.reason if result.rejection else "",
    )


def batch_to_proto(result: BatchResult) -> usage_pb2.RecordUsageResponse:
    """A batch's outcomes on the wire."""
    return usage_pb2.RecordUsageResponse(
        batch_id=str(result.batch_id),
        accepted=result.count(Outcome.ACCEPTED),
        duplicate=result.count(Outcome.DUPLICATE),
        rejected=result.count(Outcome.REJECTED),
        outcomes=[outcome_to_proto(r) for r in result.results],
    )


def record_key_from_proto(key: usage_pb2.RecordKey, field: str) -> RecordKey:
    """A record key from the wire; errors name the field (e.g. keys[3].started_at)."""
    if not key.source:
        raise InvalidInputError(f"{field}.source", "required")
    if not key.record_id:
        raise InvalidInputError(f"{field}.record_id", "required")
    try:
        started_at = datetime.fromisoformat(key.started_at)
    except ValueError:
        raise InvalidInputError(f"{field}.started_at", "not_a_timestamp") from None
    if started_at.tzinfo is None:
        raise InvalidInputError(f"{field}.started_at", "missing_timezone")
    return RecordKey(key.source, key.record_id, started_at)


def record_keys_from_proto(keys: Sequence[usage_pb2.RecordKey]) -> list[RecordKey]:
    """The keys of a GetRecords request (at most MAX_RECORD_KEYS)."""
    if len(keys) > MAX_RECORD_KEYS:
        raise InvalidInputError("keys", f"at_most_{MAX_RECORD_KEYS}")
    return [record_key_from_proto(key, f"keys[{index}]") for index, key in enumerate(keys)]


def stored_record_to_proto(row: asyncpg.Record) -> usage_pb2.StoredRecord:
    """An accepted record as stored, on the wire."""
    attributes = json.loads(row["attributes"])
    return usage_pb2.StoredRecord(
        source=row["source"], record_id=row["record_id"], subscriber=row["subscriber"],
        service_type=row["service_type"], quantity=str(row["quantity"]), unit=row["unit"],
        started_at=instant(row["started_at"]), ended_at=instant(row["ended_at"]),
        duration="" if row["duration"] is None else str(row["duration"]),
        attributes={name: value if isinstance(value, str) else json.dumps(value)
                    for name, value in attributes.items()},
        file=row["file"], received_at=instant(row["received_at"]),
    )


def instant(value: datetime | None) -> str:
    """An optional instant as RFC 3339 text ('' when absent)."""
    return value.isoformat() if value else ""


def import_to_proto(row: asyncpg.Record) -> usage_pb2.Import:
    """An import row on the wire."""
    return usage_pb2.Import(
        import_id=str(row["import_id"]), source=row["source"], file_name=row["file"],
        format=row["format"], status=row["status"], bytes=row["bytes"], received=row["received"],
        accepted=row["accepted"], duplicate=row["duplicate"], rejected=row["rejected"],
        error=row["error"], started_at=instant(row["started_at"]),
        finished_at=instant(row["finished_at"]),
    )


def rejection_to_proto(row: asyncpg.Record) -> usage_pb2.Rejected:
    """A rejection row on the wire."""
    return usage_pb2.Rejected(
        rejection_id=str(row["rejection_id"]), source=row["source"], file=row["file"],
        record_id=row["record_id"], line=row["line"] or 0, field=row["field"],
        reason=row["reason"], record_json=row["record"] or "", raw=row["raw"],
        received_at=instant(row["received_at"]), status=row["status"],
        resolved_at=instant(row["resolved_at"]),
    )


def reconciliation_to_proto(row: asyncpg.Record) -> usage_pb2.ReconciliationRow:
    """A reconciliation row on the wire."""
    return usage_pb2.ReconciliationRow(
        source=row["source"], file=row["file"], day=row["day"].isoformat(),
        received=row["received"], accepted=row["accepted"], duplicate=row["duplicate"],
        rejected=row["rejected"], resubmitted=row["resubmitted"], seconds=str(row["seconds"]),
        bytes=str(row["bytes"]), messages=str(row["messages"]), units=str(row["units"]),
    )


async def file_chunks(
    first: usage_pb2.ImportFileChunk, rest: AsyncIterator[usage_pb2.ImportFileChunk]
) -> AsyncIterator[bytes]:
    """The data chunks of an import stream after its header."""
    del first
    async for chunk in rest:
        if chunk.WhichOneof("part") != "data":
            raise InvalidInputError("header", "only_first_message")
        yield chunk.data


class UsageServicer(usage_pb2_grpc.UsageServiceServicer):
    """Usage capture over gRPC."""

    def __init__(
        self, capture: UsageCapture, importer: FileImporter, queries: UsageQueries,
        resubmissions: Resubmissions, on_stored: Callable[[], None],
    ) -> None:
        self.capture = capture
        self.importer = importer
        self.queries = queries
        self.resubmissions = resubmissions
        self.on_stored = on_stored

    @maps_domain_errors
    async def RecordUsage(
        self, request: usage_pb2.RecordUsageRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.RecordUsageResponse:
        result = await self.capture.record_batch(
            id_from_wire(request.tenant_id, "tenant_id"),
            [received_from_proto(record) for record in request.records],
            Origin("api", file=request.file),
        )
        self.on_stored()
        return batch_to_proto(result)

    @maps_domain_errors
    async def ImportFile(
        self, request_iterator: AsyncIterator[usage_pb2.ImportFileChunk],
        context: grpc.aio.ServicerContext,
    ) -> usage_pb2.Import:
        stream = aiter(request_iterator)
        first = await anext(stream, None)
        if first is None or first.WhichOneof("part") != "header":
            raise InvalidInputError("header", "must_come_first")
        header = first.header
        tenant_id = id_from_wire(header.tenant_id, "tenant_id")
        import_id = await self.importer.run(
            ImportRequest(tenant_id, header.format, header.source, header.file_name, header.timezone),
            file_chunks(first, stream),
        )
        return import_to_proto(await self.queries.get_import(tenant_id, import_id))

    @maps_domain_errors
    async def GetImport(
        self, request: usage_pb2.GetImportRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.Import:
        return import_to_proto(await self.queries.get_import(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.import_id, "import_id")
        ))

    @maps_domain_errors
    async def ListRejections(
        self, request: usage_pb2.ListRejectionsRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.ListRejectionsResponse:
        rows, next_token = await self.queries.list_rejections(
            id_from_wire(request.tenant_id, "tenant_id"),
            RejectionFilter(request.status or "open", request.source, request.file, request.reason),
            request.page_size, request.page_token,
        )
        return usage_pb2.ListRejectionsResponse(
            rejections=[rejection_to_proto(row) for row in rows], next_page_token=next_token)

    @maps_domain_errors
    async def ResubmitRejection(
        self, request: usage_pb2.ResubmitRejectionRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.ResubmitRejectionResponse:
        batch_id, result = await self.resubmissions.resubmit(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.rejection_id, "rejection_id"),
            received_from_proto(request.record) if request.HasField("record") else None,
        )
        self.on_stored()
        return usage_pb2.ResubmitRejectionResponse(
            batch_id=str(batch_id), outcome=outcome_to_proto(result))

    @maps_domain_errors
    async def GetReconciliation(
        self, request: usage_pb2.GetReconciliationRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.GetReconciliationResponse:
        rows = await self.queries.reconciliation(
            id_from_wire(request.tenant_id, "tenant_id"), request.from_day, request.to_day,
            request.source, request.file,
        )
        return usage_pb2.GetReconciliationResponse(rows=[reconciliation_to_proto(r) for r in rows])

    @maps_domain_errors
    async def GetRecords(
        self, request: usage_pb2.GetRecordsRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.GetRecordsResponse:
        rows, missing = await self.queries.accepted_records(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.account_id, "account_id"),
            record_keys_from_proto(request.keys))
        return usage_pb2.GetRecordsResponse(
            records=[stored_record_to_proto(row) for row in rows], missing=missing)
