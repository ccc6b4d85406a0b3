"""Conversions at notify's gRPC edge: deliveries, templates and listing filters."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from billing.notify.v1 import notify_pb2

from kernel.errors import InvalidInputError
from kernel.paging import encode_page_token
from kernel.wire import id_from_wire
from services.notify.application import DeliveryQuery
from services.notify.domain import Delivery, status_from_text
from services.notify.events import kind_from_text
from services.notify.samples import variable_names
from services.notify.template_book import StoredTemplate
from services.notify.templating import RenderedEmail


def instant_text(instant: datetime | None) -> str:
    """An instant as ISO 8601, empty when there is none."""
    return instant.isoformat() if instant else ""


def delivery_to_proto(delivery: Delivery) -> notify_pb2.Delivery:
    """A delivery on the wire."""
    invoice_ids = [str(invoice_id) for invoice_id in delivery.event.invoice_ids]
    return notify_pb2.Delivery(
        delivery_id=str(delivery.delivery_id), event_id=delivery.event.event_id,
        channel=delivery.channel, recipient=delivery.recipient, subject=delivery.subject,
        status=delivery.status.value, reason=delivery.reason,
        invoice_id=invoice_ids[0] if invoice_ids else "",
        updated_at=delivery.updated_at.isoformat(), kind=delivery.kind.value,
        account_id=str(delivery.account_id) if delivery.account_id else "",
        invoice_ids=invoice_ids, locale=delivery.locale, attempts=delivery.attempts,
        next_attempt_at=instant_text(delivery.next_attempt_at), last_error=delivery.last_error,
        queued_at=delivery.queued_at.isoformat(), sent_at=instant_text(delivery.sent_at),
    )


def page_token_of(delivery: Delivery) -> str:
    """The token of the page after this delivery."""
    return encode_page_token([delivery.queued_at.isoformat(), str(delivery.delivery_id)])


def since_from_wire(text: str) -> datetime | None:
    """An RFC 3339 instant with an offset, or None when empty."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError("since", "not_an_instant") from None
    if parsed.tzinfo is None:
        raise InvalidInputError("since", "needs_an_offset")
    return parsed


def optional_id(text: str, field_name: str) -> UUID | None:
    """An id a client may leave empty."""
    return id_from_wire(text, field_name) if text else None


def query_from_proto(request: notify_pb2.ListDeliveriesRequest) -> DeliveryQuery:
    """The filters of a ListDeliveries request."""
    return DeliveryQuery(
        invoice_id=optional_id(request.invoice_id, "invoice_id"),
        account_id=optional_id(request.account_id, "account_id"),
        kind=kind_from_text(request.kind) if request.kind else None,
        status=status_from_text(request.status) if request.status else None,
        since=since_from_wire(request.since),
    )


def template_to_proto(stored: StoredTemplate) -> notify_pb2.Template:
    """A template on the wire, with the variables of its kind."""
    template = stored.template
    return notify_pb2.Template(
        kind=stored.kind.value, locale=stored.locale, source=stored.source.value,
        subject=template.subject, text=template.text, html=template.html,
        updated_at=instant_text(stored.updated_at), variables=sorted(variable_names(stored.kind)),
    )


def rendered_to_proto(rendered: RenderedEmail, locale: str) -> notify_pb2.RenderedEmail:
    """A preview on the wire."""
    return notify_pb2.RenderedEmail(subject=rendered.subject, text=rendered.text,
                                    html=rendered.html, locale=locale)
