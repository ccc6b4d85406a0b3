"""gRPC edge of the usage service."""

from __future__ import annotations

from collections.abc import Callable

import grpc
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from kernel.grpc import maps_domain_errors
from kernel.wire import id_from_wire
from services.usage.application import UsageCapture
from services.usage.domain import Outcome, ReceivedRecord

OUTCOME_TO_PROTO = {
    Outcome.ACCEPTED: usage_pb2.OUTCOME_ACCEPTED,
    Outcome.DUPLICATE: usage_pb2.OUTCOME_DUPLICATE,
    Outcome.REJECTED: usage_pb2.OUTCOME_REJECTED,
}


def received_from_proto(record: usage_pb2.UsageRecord) -> ReceivedRecord:
    """A wire record as received."""
    return ReceivedRecord(
        record_id=record.record_id, source=record.source, account_id=record.account_id,
        service_type=record.service_type, quantity=record.quantity, unit=record.unit,
        started_at=record.started_at, attributes=dict(record.attributes),
        unknown_fields=tuple(record.unknown_fields),
    )


class UsageServicer(usage_pb2_grpc.UsageServiceServicer):
    """Usage capture over gRPC."""

    def __init__(self, capture: UsageCapture, on_stored: Callable[[], None]) -> None:
        self.capture = capture
        self.on_stored = on_stored

    @maps_domain_errors
    async def RecordUsage(
        self, request: usage_pb2.RecordUsageRequest, context: grpc.aio.ServicerContext
    ) -> usage_pb2.RecordUsageResponse:
        result = await self.capture.record_batch(
            id_from_wire(request.tenant_id, "tenant_id"),
            [received_from_proto(record) for record in request.records],
        )
        self.on_stored()
        return usage_pb2.RecordUsageResponse(
            batch_id=str(result.batch_id),
            accepted=result.count(Outcome.ACCEPTED),
            duplicate=result.count(Outcome.DUPLICATE),
            rejected=result.count(Outcome.REJECTED),
            outcomes=[
                usage_pb2.RecordOutcome(
                    index=r.index, record_id=r.record_id, outcome=OUTCOME_TO_PROTO[r.outcome],
                    field=r.rejection.field if r.rejection else "",
                    reason=r.rejection.reason if r.rejection else "",
                )
                for r in result.results
            ],
        )
