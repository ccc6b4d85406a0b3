"""Port adapter: bill runs, their invoices, accounts and invoice PDFs from the invoice service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import DomainError, UnavailableError
from kernel.money import Money
from services.notify.printing.domain import AccountNotFoundError, BillRunNotFoundError

CALL_TIMEOUT_SECONDS = 30.0
PAGE_SIZE = 100
TRANSIENT = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
                       grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.ABORTED})


class DocumentRenderError(DomainError):
    """The invoice service could not render an invoice as PDF."""


@dataclass(frozen=True)
class BilledInvoice:
    """An invoice of a bill run as a batch needs it."""

    invoice_id: UUID
    number: str
    account_id: UUID
    status: str
    total: Money


@dataclass(frozen=True)
class AccountAddress:
    """An account's name and the billing details a postal address is read from."""

    account_id: UUID
    name: str
    address_lines: tuple[str, ...]
    tax_region: str
    locale: str


def invoice_from_proto(message: invoice_pb2.Invoice) -> BilledInvoice:
    """The parts of a wire invoice a batch needs."""
    return BilledInvoice(UUID(message.invoice_id), message.number, UUID(message.account_id), message.status,
                         Money.of(message.total.amount, message.total.currency))


def mapped(error: grpc.aio.AioRpcError, not_found: Callable[[], DomainError]) -> Exception:
    """NOT_FOUND as the named error, passing failures as UnavailableError, the rest as they are."""
    if error.code() == grpc.StatusCode.NOT_FOUND:
        return not_found()
    if error.code() in TRANSIENT:
        return UnavailableError(f"invoice service: {error.code().name}: {error.details()}")
    return error


class GrpcInvoiceReader:
    """Calls GetBillRun, ListInvoices, GetAccount and RenderDocument of the invoice service."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)

    async def bill_run_status(self, tenant_id: UUID, bill_run_id: UUID) -> str:
        """running or completed."""
        try:
            run = await self.stub.GetBillRun(invoice_pb2.GetBillRunRequest(
                tenant_id=str(tenant_id), bill_run_id=str(bill_run_id)), timeout=CALL_TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as error:
            raise mapped(error, lambda: BillRunNotFoundError(bill_run_id)) from None
        return run.status

    async def bill_run_invoices(self, tenant_id: UUID,
                                bill_run_id: UUID) -> AsyncIterator[list[BilledInvoice]]:
        """The run's invoices, a page at a time."""
        token = ""
        while True:
            try:
                page = await self.stub.ListInvoices(invoice_pb2.ListInvoicesRequest(
                    tenant_id=str(tenant_id), bill_run_id=str(bill_run_id), page_size=PAGE_SIZE,
                    page_token=token), timeout=CALL_TIMEOUT_SECONDS)
            except grpc.aio.AioRpcError as error:
                raise mapped(error, lambda: BillRunNotFoundError(bill_run_id)) from None
            yield [invoice_from_proto(invoice) for invoice in page.invoices]
            token = page.next_page_token
            if not token:
                return

    async def account(self, tenant_id: UUID, account_id: UUID) -> AccountAddress:
        """The account's name and billing details; AccountNotFoundError for another tenant's."""
        try:
            account = await self.stub.GetAccount(invoice_pb2.GetAccountRequest(
                tenant_id=str(tenant_id), account_id=str(account_id)), timeout=CALL_TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as error:
            raise mapped(error, lambda: AccountNotFoundError(account_id)) from None
        details = account.details
        return AccountAddress(account_id, account.name, tuple(details.address_lines), details.tax_region,
                              details.locale)

    async def render_pdf(self, tenant_id: UUID, invoice_id: UUID, number: str) -> bytes:
        """The invoice as PDF; DocumentRenderError when the invoice service refuses."""
        try:
            document = await self.stub.RenderDocument(invoice_pb2.RenderDocumentRequest(
                tenant_id=str(tenant_id), document_id=str(invoice_id), format="pdf"),
                timeout=CALL_TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as error:
            failure = mapped(error, lambda: DocumentRenderError(f"invoice {number} not found"))
            if isinstance(failure, grpc.aio.AioRpcError):
                failure = DocumentRenderError(f"invoice {number}: {error.code().name}: {error.details()}")
            raise failure from None
        return document.content
