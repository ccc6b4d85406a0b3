"""gRPC edge of webhooks: settings, endpoints, secrets and the delivery log, protobuf in and out."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from uuid import UUID

import grpc
from billing.notify.v1 import webhooks_pb2, webhooks_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.paging import decode_page_token, encode_page_token, page_limit
from kernel.wire import id_from_wire
from services.notify.webhooks.application import EndpointDraft, NewSecret, WebhookAdmin
from services.notify.webhooks.domain import Attempt, Delivery, DeliveryStatus, Endpoint, EndpointStatus

Context = grpc.aio.ServicerContext


def instant(value: datetime | None) -> str:
    """An instant as ISO 8601, empty when absent."""
    return value.isoformat() if value is not None else ""


Status = TypeVar("Status", EndpointStatus, DeliveryStatus)


def status_filter(kind: type[Status], text: str) -> Status | None:
    """An optional status filter; empty means none."""
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise InvalidInputError("status", f"one_of_{'_'.join(item.value for item in kind)}") from None


def endpoint_to_proto(endpoint: Endpoint) -> webhooks_pb2.Endpoint:
    """An endpoint on the wire (secrets by id and prefix only)."""
    return webhooks_pb2.Endpoint(
        endpoint_id=str(endpoint.endpoint_id), url=endpoint.url, event_types=list(endpoint.event_types),
        description=endpoint.description, status=endpoint.status.value,
        disabled_reason=endpoint.disabled_reason, disabled_at=instant(endpoint.disabled_at),
        failing_since=instant(endpoint.failing_since),
        secrets=[webhooks_pb2.SecretInfo(secret_id=str(s.secret_id), created_at=instant(s.created_at),
                                         prefix=s.hint) for s in endpoint.secrets],
        created_at=instant(endpoint.created_at), updated_at=instant(endpoint.updated_at),
    )


def secret_to_proto(created: NewSecret) -> webhooks_pb2.CreatedSecret:
    """A new secret, shown this once."""
    info = created.info
    return webhooks_pb2.CreatedSecret(
        info=webhooks_pb2.SecretInfo(secret_id=str(info.secret_id), created_at=instant(info.created_at),
                                     prefix=info.hint),
        secret=created.secret)


def attempt_to_proto(attempt: Attempt) -> webhooks_pb2.WebhookAttempt:
    """An attempt on the wire."""
    return webhooks_pb2.WebhookAttempt(
        number=attempt.number, attempted_at=instant(attempt.attempted_at), outcome=attempt.outcome.value,
        status_code=attempt.status_code, reason=attempt.reason, duration_ms=attempt.duration_ms,
        manual=attempt.manual)


def delivery_to_proto(delivery: Delivery,
                      attempts: list[Attempt] | None = None) -> webhooks_pb2.WebhookDelivery:
    """A delivery on the wire, with its attempts when given."""
    return webhooks_pb2.WebhookDelivery(
        delivery_id=str(delivery.delivery_id), endpoint_id=str(delivery.endpoint_id),
        event_id=delivery.event_id, event_type=delivery.event_type, status=delivery.status.value,
        attempts=delivery.attempts, next_attempt_at=instant(delivery.next_attempt_at),
        last_reason=delivery.last_reason, created_at=instant(delivery.created_at),
        delivered_at=instant(delivery.delivered_at),
        attempt_log=[attempt_to_proto(attempt) for attempt in attempts or []])


class WebhookServicer(webhooks_pb2_grpc.WebhookServiceServicer):
    """Webhooks over gRPC, scoped to the calling tenant."""

    def __init__(self, admin: WebhookAdmin) -> None:
        self.admin = admin

    @maps_domain_errors
    async def GetWebhookSettings(self, request: webhooks_pb2.GetWebhookSettingsRequest,
                                 context: Context) -> webhooks_pb2.WebhookSettings:
        """Whether the tenant may use plain http and private targets."""
        allowed = await self.admin.allows_private_targets(id_from_wire(request.tenant_id, "tenant_id"))
        return webhooks_pb2.WebhookSettings(allow_private_targets=allowed)

    @maps_domain_errors
    async def SetWebhookSettings(self, request: webhooks_pb2.SetWebhookSettingsRequest,
                                 context: Context) -> webhooks_pb2.WebhookSettings:
        """Allow or refuse plain http and private targets for the tenant."""
        allowed = await self.admin.set_private_targets(id_from_wire(request.tenant_id, "tenant_id"),
                                                       request.allow_private_targets)
        return webhooks_pb2.WebhookSettings(allow_private_targets=allowed)

    @maps_domain_errors
    async def CreateEndpoint(self, request: webhooks_pb2.CreateEndpointRequest,
                             context: Context) -> webhooks_pb2.CreatedEndpoint:
        """A new endpoint and its first secret."""
        endpoint, secret = await self.admin.create_endpoint(
            id_from_wire(request.tenant_id, "tenant_id"),
            EndpointDraft(request.url, list(request.event_types), request.description))
        return webhooks_pb2.CreatedEndpoint(endpoint=endpoint_to_proto(endpoint),
                                            secret=secret_to_proto(secret))

    @maps_domain_errors
    async def GetEndpoint(self, request: webhooks_pb2.GetEndpointRequest,
                          context: Context) -> webhooks_pb2.Endpoint:
        """One endpoint."""
        return endpoint_to_proto(await self.admin.get_endpoint(*ids(request.tenant_id, request.endpoint_id)))

    @maps_domain_errors
    async def ListEndpoints(self, request: webhooks_pb2.ListEndpointsRequest,
                            context: Context) -> webhooks_pb2.ListEndpointsResponse:
        """The tenant's endpoints."""
        endpoints = await self.admin.list_endpoints(id_from_wire(request.tenant_id, "tenant_id"),
                                                    status_filter(EndpointStatus, request.status))
        return webhooks_pb2.ListEndpointsResponse(endpoints=[endpoint_to_proto(e) for e in endpoints])

    @maps_domain_errors
    async def UpdateEndpoint(self, request: webhooks_pb2.UpdateEndpointRequest,
                             context: Context) -> webhooks_pb2.Endpoint:
        """Replace url, event types and description."""
        endpoint = await self.admin.update_endpoint(
            *ids(request.tenant_id, request.endpoint_id),
            EndpointDraft(request.url, list(request.event_types), request.description))
        return endpoint_to_proto(endpoint)

    @maps_domain_errors
    async def DeleteEndpoint(self, request: webhooks_pb2.DeleteEndpointRequest,
                             context: Context) -> webhooks_pb2.DeleteEndpointResponse:
        """Remove an endpoint."""
        await self.admin.delete_endpoint(*ids(request.tenant_id, request.endpoint_id))
        return webhooks_pb2.DeleteEndpointResponse()

    @maps_domain_errors
    async def DisableEndpoint(self, request: webhooks_pb2.DisableEndpointRequest,
                              context: Context) -> webhooks_pb2.Endpoint:
        """Stop sending to an endpoint."""
        endpoint = await self.admin.disable_endpoint(*ids(request.tenant_id, request.endpoint_id),
                                                     request.reason[:200])
        return endpoint_to_proto(endpoint)

    @maps_domain_errors
    async def EnableEndpoint(self, request: webhooks_pb2.EnableEndpointRequest,
                             context: Context) -> webhooks_pb2.Endpoint:
        """Send to an endpoint again."""
        endpoint = await self.admin.enable_endpoint(*ids(request.tenant_id, request.endpoint_id))
        return endpoint_to_proto(endpoint)

    @maps_domain_errors
    async def RotateSecret(self, request: webhooks_pb2.RotateSecretRequest,
                           context: Context) -> webhooks_pb2.CreatedSecret:
        """A second secret, valid alongside the first."""
        return secret_to_proto(await self.admin.rotate_secret(*ids(request.tenant_id, request.endpoint_id)))

    @maps_domain_errors
    async def RetireSecret(self, request: webhooks_pb2.RetireSecretRequest,
                           context: Context) -> webhooks_pb2.Endpoint:
        """Stop signing with a secret."""
        tenant_id, endpoint_id = ids(request.tenant_id, request.endpoint_id)
        endpoint = await self.admin.retire_secret(tenant_id, endpoint_id,
                                                  id_from_wire(request.secret_id, "secret_id"))
        return endpoint_to_proto(endpoint)

    @maps_domain_errors
    async def ListDeliveries(self, request: webhooks_pb2.ListWebhookDeliveriesRequest,
                             context: Context) -> webhooks_pb2.ListWebhookDeliveriesResponse:
        """A page of an endpoint's deliveries, newest first."""
        tenant_id, endpoint_id = ids(request.tenant_id, request.endpoint_id)
        limit = page_limit(request.page_size)
        after = decode_page_token(request.page_token, (datetime.fromisoformat, UUID))
        deliveries = await self.admin.list_deliveries(
            tenant_id, endpoint_id, status_filter(DeliveryStatus, request.status),
            (after[0], after[1]) if after else None, limit)
        last = deliveries[-1] if len(deliveries) == limit else None
        token = encode_page_token([last.created_at.isoformat(), str(last.delivery_id)]) if last else ""
        return webhooks_pb2.ListWebhookDeliveriesResponse(
            deliveries=[delivery_to_proto(d) for d in deliveries], next_page_token=token)

    @maps_domain_errors
    async def GetDelivery(self, request: webhooks_pb2.GetWebhookDeliveryRequest,
                          context: Context) -> webhooks_pb2.WebhookDelivery:
        """A delivery with its attempts."""
        delivery, attempts = await self.admin.get_delivery(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.delivery_id, "delivery_id"))
        return delivery_to_proto(delivery, attempts)

    @maps_domain_errors
    async def Redeliver(self, request: webhooks_pb2.RedeliverRequest,
                        context: Context) -> webhooks_pb2.WebhookDelivery:
        """One more attempt, now."""
        delivery = await self.admin.redeliver(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.delivery_id, "delivery_id"))
        return delivery_to_proto(delivery)


def ids(tenant_id: str, endpoint_id: str) -> tuple[UUID, UUID]:
    """The tenant and endpoint ids of a request."""
    return id_from_wire(tenant_id, "tenant_id"), id_from_wire(endpoint_id, "endpoint_id")
