"""gRPC edge for invoices, their documents, verification and credit notes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from billing.invoice.v1 import invoice_pb2

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.paging import decode_page_token, encode_page_token, page_limit
from kernel.wire import id_from_wire
from services.invoice.application import InvoiceApplication
from services.invoice.directory import Directory, InvoiceScope
from services.invoice.documents import credit_note_document, invoice_document, is_itemised, render
from services.invoice.domain.credit_notes import CreditNote
from services.invoice.domain.invoices import Invoice
from services.invoice.grpc_billing import Context
from services.invoice.rendering import ItemisedSection
from services.invoice.wire import credit_note_to_proto, invoice_to_proto, verification_to_proto

if TYPE_CHECKING:
    from services.invoice.servicer_parts import ServicerParts

FORMATS = ("pdf", "html")


class DocumentRpcs:
    """Invoices, rendering, verification and credit notes (a part of the invoice servicer)."""

    parts: ServicerParts
    app: InvoiceApplication
    directory: Directory
    on_saved: Callable[[], None]

    @maps_domain_errors
    async def GetInvoice(
        self, request: invoice_pb2.GetInvoiceRequest, context: Context
    ) -> invoice_pb2.Invoice:
        invoice = await asyncio.to_thread(
            self.app.get_invoice, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.invoice_id, "invoice_id"),
        )
        return invoice_to_proto(invoice)

    @maps_domain_errors
    async def ListInvoices(
        self, request: invoice_pb2.ListInvoicesRequest, context: Context
    ) -> invoice_pb2.ListInvoicesResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        scope = await self.invoice_scope(tenant_id, request)
        limit = page_limit(request.page_size)
        after = decode_page_token(request.page_token, (date.fromisoformat, UUID))
        keys = await self.directory.invoice_page(
            tenant_id, scope, limit, (after[0], after[1]) if after else None)
        invoices = await asyncio.to_thread(
            lambda: [self.app.get_invoice(tenant_id, invoice_id) for _, invoice_id in keys]
        )
        next_token = encode_page_token(list(keys[-1])) if len(keys) == limit else ""
        return invoice_pb2.ListInvoicesResponse(
            invoices=[invoice_to_proto(i) for i in invoices], next_page_token=next_token)

    async def invoice_scope(
        self, tenant_id: UUID, request: invoice_pb2.ListInvoicesRequest
    ) -> InvoiceScope:
        """One account's invoices (the account must be the tenant's) or one bill run's."""
        if request.bill_run_id and not request.account_id:
            return InvoiceScope(bill_run_id=id_from_wire(request.bill_run_id, "bill_run_id"))
        account = await asyncio.to_thread(
            self.app.get_account, tenant_id, id_from_wire(request.account_id, "account_id")
        )
        return InvoiceScope(account_id=account.id)

    @maps_domain_errors
    async def VoidInvoice(
        self, request: invoice_pb2.VoidInvoiceRequest, context: Context
    ) -> invoice_pb2.Invoice:
        invoice = await asyncio.to_thread(
            self.parts.crediting.void, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.invoice_id, "invoice_id"), request.reason)
        self.on_saved()
        return invoice_to_proto(invoice)

    @maps_domain_errors
    async def RenderDocument(
        self, request: invoice_pb2.RenderDocumentRequest, context: Context
    ) -> invoice_pb2.RenderedDocument:
        if request.format not in FORMATS:
            raise InvalidInputError("format", f"one of {', '.join(FORMATS)}")
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        document_id = id_from_wire(request.document_id, "document_id")
        note, invoice = await asyncio.to_thread(self._document, tenant_id, document_id)
        itemisation = (await self.parts.explainer.itemisation(invoice)
                       if note is None and is_itemised(invoice) else ())
        content_type, content, name = await asyncio.to_thread(
            self._render, note, invoice, request.format, itemisation)
        return invoice_pb2.RenderedDocument(
            content_type=content_type, content=content, filename=f"{name}.{request.format}")

    def _document(self, tenant_id: UUID, document_id: UUID) -> tuple[CreditNote | None, Invoice]:
        """A credit note and the invoice it credits, or an invoice alone."""
        note = self.app.load(CreditNote, tenant_id, document_id)
        invoice = self.app.get_invoice(tenant_id, note.invoice_id if note is not None else document_id)
        return note, invoice

    def _render(self, note: CreditNote | None, invoice: Invoice, fmt: str,
                itemisation: tuple[ItemisedSection, ...]) -> tuple[str, bytes, str]:
        seller = self.parts.seller
        if note is not None:
            return (*render(credit_note_document(note, invoice, seller), fmt), note.number)
        return (*render(invoice_document(invoice, seller, itemisation), fmt), invoice.number or "draft")

    @maps_domain_errors
    async def VerifyInvoice(
        self, request: invoice_pb2.VerifyInvoiceRequest, context: Context
    ) -> invoice_pb2.InvoiceVerification:
        result = await self.parts.verifier.verify(
            id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.invoice_id, "invoice_id"))
        return verification_to_proto(result)

    @maps_domain_errors
    async def IssueCreditNote(
        self, request: invoice_pb2.IssueCreditNoteRequest, context: Context
    ) -> invoice_pb2.CreditNote:
        note = await asyncio.to_thread(
            self.parts.crediting.issue_credit_note, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.invoice_id, "invoice_id"), request.request_id, request.reason,
            [(line.line_index, line.amount) for line in request.lines], self.parts.clock.now())
        self.on_saved()
        return credit_note_to_proto(note)

    @maps_domain_errors
    async def GetCreditNote(
        self, request: invoice_pb2.GetCreditNoteRequest, context: Context
    ) -> invoice_pb2.CreditNote:
        note = await asyncio.to_thread(
            self.parts.crediting.get, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.credit_note_id, "credit_note_id"))
        return credit_note_to_proto(note)

    @maps_domain_errors
    async def ListCreditNotes(
        self, request: invoice_pb2.ListCreditNotesRequest, context: Context
    ) -> invoice_pb2.ListCreditNotesResponse:
        notes = await asyncio.to_thread(
            self.parts.crediting.of_invoice, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.invoice_id, "invoice_id"))
        return invoice_pb2.ListCreditNotesResponse(
            credit_notes=[credit_note_to_proto(n) for n in notes])


