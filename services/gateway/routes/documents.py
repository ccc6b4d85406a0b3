"""Invoices and credit notes as PDF or HTML documents in the account's locale."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends, Response

from services.gateway.deps import STAFF, Clients, allow, clients
from services.gateway.keys import Principal, Role
from services.gateway.routes.billing import fetch_invoice
from services.gateway.routes.credit_notes import fetch_credit_note

router = APIRouter(prefix="/v1", tags=["documents"])


class DocumentFormat(StrEnum):
    """How a document is rendered."""

    PDF = "pdf"
    HTML = "html"


DISPOSITION = {DocumentFormat.PDF: "attachment", DocumentFormat.HTML: "inline"}
DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {200: {
    "description": "the document, with its file name in Content-Disposition",
    "content": {"application/pdf": {}, "text/html": {}},
}}


def disposition(format: DocumentFormat, filename: str) -> str:
    """The Content-Disposition of a document: PDFs download, HTML shows inline."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or f"document.{format.value}"
    return f'{DISPOSITION[format]}; filename="{safe}"'


async def rendered(caller: Principal, c: Clients, document_id: str, format: DocumentFormat) -> Response:
    """The document rendered by the invoice service, as the response."""
    document = await c.invoice.RenderDocument(invoice_pb2.RenderDocumentRequest(
        tenant_id=str(caller.tenant_id), document_id=document_id, format=format.value,
    ), timeout=c.timeout)
    return Response(document.content, media_type=document.content_type,
                    headers={"Content-Disposition": disposition(format, document.filename)})


@router.get("/invoices/{invoice_id}.{format}", response_class=Response, responses=DOCUMENT_RESPONSES)
async def invoice_document(
    invoice_id: str, format: DocumentFormat,
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> Response:
    """The invoice as a document: GET /v1/invoices/{id}.pdf or /v1/invoices/{id}.html."""
    await fetch_invoice(caller, c, invoice_id)
    return await rendered(caller, c, invoice_id, format)


@router.get("/credit-notes/{credit_note_id}.{format}", response_class=Response,
            responses=DOCUMENT_RESPONSES)
async def credit_note_document(
    credit_note_id: str, format: DocumentFormat,
    caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)), c: Clients = Depends(clients),
) -> Response:
    """The credit note as a document: GET /v1/credit-notes/{id}.pdf or .html."""
    await fetch_credit_note(caller, c, credit_note_id)
    return await rendered(caller, c, credit_note_id, format)
