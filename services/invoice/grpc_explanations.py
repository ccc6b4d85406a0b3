"""gRPC edge for invoice explanations (docs/explanations.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billing.invoice.v1 import invoice_pb2

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.wire import id_from_wire
from services.invoice.explaining.wire import invoice_explanation_to_proto, line_to_proto
from services.invoice.grpc_billing import Context

if TYPE_CHECKING:
    from services.invoice.servicer_parts import ServicerParts

MAX_LOCALE = 35
"""The longest locale tag accepted (BCP 47 tags in practice stay far below)."""


def locale_from_wire(text: str) -> str:
    """A locale tag to word the texts in ('' means the invoice's own)."""
    if len(text) > MAX_LOCALE:
        raise InvalidInputError("locale", f"at most {MAX_LOCALE} characters")
    return text.strip()


class ExplanationRpcs:
    """ExplainLine and ExplainInvoice (a part of the invoice servicer)."""

    parts: ServicerParts

    @maps_domain_errors
    async def ExplainLine(
        self, request: invoice_pb2.ExplainLineRequest, context: Context
    ) -> invoice_pb2.LineExplanation:
        explanation = await self.parts.explainer.line(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.invoice_id, "invoice_id"),
            request.index, request.page_size, request.page_token, locale_from_wire(request.locale))
        return line_to_proto(explanation)

    @maps_domain_errors
    async def ExplainInvoice(
        self, request: invoice_pb2.ExplainInvoiceRequest, context: Context
    ) -> invoice_pb2.InvoiceExplanation:
        explanation = await self.parts.explainer.invoice(
            id_from_wire(request.tenant_id, "tenant_id"), id_from_wire(request.invoice_id, "invoice_id"),
            locale_from_wire(request.locale))
        return invoice_explanation_to_proto(explanation)
