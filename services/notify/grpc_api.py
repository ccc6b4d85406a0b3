"""gRPC edge of notify: the delivery log, protobuf in and out."""

from __future__ import annotations

import grpc
from billing.notify.v1 import notify_pb2, notify_pb2_grpc

from kernel.grpc import maps_domain_errors
from kernel.wire import id_from_wire
from services.notify.application import Notifier
from services.notify.domain import Delivery


def delivery_to_proto(delivery: Delivery) -> notify_pb2.Delivery:
    """A delivery on the wire."""
    return notify_pb2.Delivery(
        delivery_id=str(delivery.delivery_id), event_id=delivery.event_id,
        channel=delivery.channel, recipient=delivery.recipient, subject=delivery.subject,
        status=delivery.status.value, reason=delivery.reason,
        invoice_id=str(delivery.invoice_id), updated_at=delivery.updated_at.isoformat(),
    )


class NotifyServicer(notify_pb2_grpc.NotifyServiceServicer):
    """The delivery log over gRPC, scoped to the calling tenant."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    @maps_domain_errors
    async def ListDeliveries(
        self, request: notify_pb2.ListDeliveriesRequest, context: grpc.aio.ServicerContext
    ) -> notify_pb2.ListDeliveriesResponse:
        """The tenant's deliveries, optionally only those about one invoice."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        invoice_id = id_from_wire(request.invoice_id, "invoice_id") if request.invoice_id else None
        deliveries = await self.notifier.list_deliveries(tenant_id, invoice_id)
        return notify_pb2.ListDeliveriesResponse(
            deliveries=[delivery_to_proto(delivery) for delivery in deliveries]
        )
