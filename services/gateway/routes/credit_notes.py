"""Credit notes: amounts credited against invoice lines, with their tax."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends, Header

from kernel.ids import new_id
from services.gateway.billing_models import CreditNoteCreate
from services.gateway.deps import STAFF, WRITERS, Clients, allow, check_own_account, clients
from services.gateway.keys import Principal, Role
from services.gateway.models import jsonable
from services.gateway.routes.billing import fetch_invoice

router = APIRouter(prefix="/v1", tags=["credit notes"])


@router.post("/invoices/{invoice_id}/credit-notes", status_code=201)
async def issue_credit_note(
    invoice_id: str, body: CreditNoteCreate,
    idempotency_key: str = Header(default="", max_length=200,
                                  description="retries with the same key return the same credit note"),
    caller: Principal = Depends(allow(*WRITERS)), c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Credit lines of an invoice (all of a line unless an amount is given); the tax is credited
    with them and the invoice's amount due goes down by the credit note's total."""
    note = await c.invoice.IssueCreditNote(invoice_pb2.IssueCreditNoteRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id,
        request_id=idempotency_key or str(new_id()), reason=body.reason,
        lines=[invoice_pb2.CreditLine(line_index=line.line_index, amount=line.amount or "")
               for line in body.lines],
    ), timeout=c.timeout)
    return jsonable(note)


@router.get("/invoices/{invoice_id}/credit-notes")
async def list_credit_notes(
    invoice_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """The credit notes issued against an invoice, oldest first."""
    await fetch_invoice(caller, c, invoice_id)
    response = await c.invoice.ListCreditNotes(invoice_pb2.ListCreditNotesRequest(
        tenant_id=str(caller.tenant_id), invoice_id=invoice_id), timeout=c.timeout)
    return {"credit_notes": [jsonable(note) for note in response.credit_notes]}


async def fetch_credit_note(caller: Principal, c: Clients, credit_note_id: str) -> invoice_pb2.CreditNote:
    """A credit note of the caller's tenant (customers: of their own account only)."""
    note = await c.invoice.GetCreditNote(invoice_pb2.GetCreditNoteRequest(
        tenant_id=str(caller.tenant_id), credit_note_id=credit_note_id), timeout=c.timeout)
    check_own_account(caller, note.account_id)
    return note


@router.get("/credit-notes/{credit_note_id}")
async def get_credit_note(
    credit_note_id: str, caller: Principal = Depends(allow(*STAFF, Role.CUSTOMER)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """A credit note with its lines, subtotal, tax and total."""
    return jsonable(await fetch_credit_note(caller, c, credit_note_id))
