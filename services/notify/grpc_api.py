"""gRPC edge of notify's emails: the delivery log and the templates, protobuf in and out."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import grpc
from billing.notify.v1 import notify_pb2, notify_pb2_grpc

from kernel.grpc import maps_domain_errors
from kernel.paging import decode_page_token, page_limit
from kernel.wire import id_from_wire
from services.notify.application import Notifier
from services.notify.events import kind_from_text
from services.notify.formatting import locale_from_wire
from services.notify.grpc_wire import (
    delivery_to_proto,
    page_token_of,
    query_from_proto,
    rendered_to_proto,
    template_to_proto,
)
from services.notify.template_book import TemplateBook
from services.notify.templating import EmailTemplate

Context = grpc.aio.ServicerContext


class NotifyServicer(notify_pb2_grpc.NotifyServiceServicer):
    """The delivery log and the templates over gRPC, scoped to the calling tenant."""

    def __init__(self, notifier: Notifier, templates: TemplateBook) -> None:
        self.notifier = notifier
        self.templates = templates

    @maps_domain_errors
    async def ListDeliveries(
        self, request: notify_pb2.ListDeliveriesRequest, context: Context
    ) -> notify_pb2.ListDeliveriesResponse:
        """The tenant's matching deliveries, oldest first, a page at a time."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        query = query_from_proto(request)
        limit = page_limit(request.page_size)
        after = decode_page_token(request.page_token, (datetime.fromisoformat, UUID))
        found = await self.notifier.list_deliveries(
            tenant_id, query, limit + 1, (after[0], after[1]) if after else None)
        page = found[:limit]
        return notify_pb2.ListDeliveriesResponse(
            deliveries=[delivery_to_proto(delivery) for delivery in page],
            next_page_token=page_token_of(page[-1]) if len(found) > limit else "",
        )

    @maps_domain_errors
    async def GetDelivery(
        self, request: notify_pb2.GetDeliveryRequest, context: Context
    ) -> notify_pb2.Delivery:
        """One of the tenant's deliveries."""
        delivery = await self.notifier.get_delivery(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.delivery_id, "delivery_id"))
        return delivery_to_proto(delivery)

    @maps_domain_errors
    async def PutTemplate(
        self, request: notify_pb2.PutTemplateRequest, context: Context
    ) -> notify_pb2.Template:
        """Check and store the tenant's template of a kind and locale."""
        stored = await self.templates.put(
            id_from_wire(request.tenant_id, "tenant_id"), kind_from_text(request.kind),
            locale_from_wire(request.locale),
            EmailTemplate(request.subject, request.text, request.html))
        return template_to_proto(stored)

    @maps_domain_errors
    async def GetTemplate(
        self, request: notify_pb2.GetTemplateRequest, context: Context
    ) -> notify_pb2.Template:
        """The template emails of this kind and locale are written with."""
        stored = await self.templates.get(
            id_from_wire(request.tenant_id, "tenant_id"), kind_from_text(request.kind),
            locale_from_wire(request.locale))
        return template_to_proto(stored)

    @maps_domain_errors
    async def ListTemplates(
        self, request: notify_pb2.ListTemplatesRequest, context: Context
    ) -> notify_pb2.ListTemplatesResponse:
        """The tenant's own templates."""
        found = await self.templates.list_templates(
            id_from_wire(request.tenant_id, "tenant_id"),
            kind_from_text(request.kind) if request.kind else None)
        return notify_pb2.ListTemplatesResponse(templates=[template_to_proto(t) for t in found])

    @maps_domain_errors
    async def DeleteTemplate(
        self, request: notify_pb2.DeleteTemplateRequest, context: Context
    ) -> notify_pb2.DeleteTemplateResponse:
        """Remove the tenant's own template."""
        await self.templates.delete(
            id_from_wire(request.tenant_id, "tenant_id"), kind_from_text(request.kind),
            locale_from_wire(request.locale))
        return notify_pb2.DeleteTemplateResponse()

    @maps_domain_errors
    async def PreviewTemplate(
        self, request: notify_pb2.PreviewTemplateRequest, context: Context
    ) -> notify_pb2.RenderedEmail:
        """A sample email rendered with the drafts given and the current template."""
        rendered, locale = await self.templates.preview(
            id_from_wire(request.tenant_id, "tenant_id"), kind_from_text(request.kind),
            locale_from_wire(request.locale),
            EmailTemplate(request.subject, request.text, request.html))
        return rendered_to_proto(rendered, locale)
