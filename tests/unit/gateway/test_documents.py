"""Invoice and credit note documents: the bytes, their type and a file name."""

from __future__ import annotations

from billing.invoice.v1 import invoice_pb2

from tests.unit.gateway.gateway_fakes import FakeService, gateway

ACCOUNT = "00000000-0000-4000-8000-0000000000a1"
OTHER = "00000000-0000-4000-8000-0000000000b2"


def invoice_service() -> FakeService:
    """An invoice service with one invoice and its PDF."""
    return FakeService(
        GetInvoice=invoice_pb2.Invoice(invoice_id="inv-1", account_id=ACCOUNT, number="INV-00000001"),
        GetCreditNote=invoice_pb2.CreditNote(credit_note_id="cn-1", account_id=ACCOUNT),
        RenderDocument=invoice_pb2.RenderedDocument(
            content_type="application/pdf", filename="INV-00000001.pdf", content=b"%PDF-1.7 ..."),
    )


async def test_invoice_pdf_is_the_rendered_bytes_with_a_file_name() -> None:
    invoice = invoice_service()
    async with gateway(invoice) as api:
        response = await api.get("/v1/invoices/inv-1.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="INV-00000001.pdf"'
    assert response.content.startswith(b"%PDF")
    rendered = invoice.requests["RenderDocument"][0]
    assert (rendered.document_id, rendered.format) == ("inv-1", "pdf")


async def test_the_invoice_itself_is_still_json() -> None:
    async with gateway(invoice_service()) as api:
        response = await api.get("/v1/invoices/inv-1")
    assert response.json()["number"] == "INV-00000001"


async def test_an_unknown_document_format_is_refused() -> None:
    async with gateway(invoice_service()) as api:
        response = await api.get("/v1/invoices/inv-1.xml")
    assert response.status_code == 422


async def test_a_customer_gets_no_document_of_another_account() -> None:
    invoice = invoice_service()
    async with gateway(invoice, role=f"customer:{OTHER}") as api:
        assert (await api.get("/v1/invoices/inv-1.html")).status_code == 404
        assert (await api.get("/v1/credit-notes/cn-1.pdf")).status_code == 404
    assert not invoice.requests["RenderDocument"]


async def test_a_customer_gets_their_credit_note_document() -> None:
    async with gateway(invoice_service(), role=f"customer:{ACCOUNT}") as api:
        response = await api.get("/v1/credit-notes/cn-1.pdf")
    assert response.status_code == 200, response.text
