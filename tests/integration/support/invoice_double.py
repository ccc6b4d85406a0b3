"""A stand-in invoice service answering GetAccount and GetInvoice (invoice facts only) per tenant."""

from __future__ import annotations

from uuid import UUID, uuid4

import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.grpc import GrpcServer

INVOICE_SERVICE = "billing.invoice.v1.InvoiceService"


def money(amount: str, currency: str = "GBP") -> common_pb2.Money:
    return common_pb2.Money(amount=amount, currency=currency)


class InvoiceFactsDouble(invoice_pb2_grpc.InvoiceServiceServicer):
    """Each tenant's accounts and invoices from dictionaries; NOT_FOUND otherwise."""

    def __init__(self) -> None:
        self.accounts: dict[tuple[str, str], invoice_pb2.Account] = {}
        self.invoices: dict[tuple[str, str], invoice_pb2.Invoice] = {}

    def add_account(self, tenant_id: UUID, currency: str = "GBP") -> str:
        """A new account of the tenant; its id."""
        account = invoice_pb2.Account(account_id=str(uuid4()), currency=currency, status="active")
        self.accounts[(str(tenant_id), account.account_id)] = account
        return account.account_id

    def add_invoice(self, tenant_id: UUID, account_id: str, status: str = "issued") -> invoice_pb2.Invoice:
        """An invoice of 36.00 GBP: a 20.00 fee, 10.00 of calls and 6.00 VAT."""
        lines = [invoice_pb2.InvoiceLine(index=0, kind="recurring", description="Home Fibre",
                                         amount=money("20.00")),
                 invoice_pb2.InvoiceLine(index=1, kind="usage", description="Calls", amount=money("10.00")),
                 invoice_pb2.InvoiceLine(index=2, kind="tax", description="VAT", amount=money("6.00"))]
        invoice = invoice_pb2.Invoice(invoice_id=str(uuid4()), account_id=account_id, number="INV-00000001",
                                      status=status, lines=lines, total=money("36.00"))
        self.invoices[(str(tenant_id), invoice.invoice_id)] = invoice
        return invoice

    async def GetAccount(
        self, request: invoice_pb2.GetAccountRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Account:
        account = self.accounts.get((request.tenant_id, request.account_id))
        if account is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "account not found")
        return account

    async def GetInvoice(
        self, request: invoice_pb2.GetInvoiceRequest, context: grpc.aio.ServicerContext
    ) -> invoice_pb2.Invoice:
        invoice = self.invoices.get((request.tenant_id, request.invoice_id))
        if invoice is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "invoice not found")
        return invoice


async def serve_invoice_facts(double: InvoiceFactsDouble) -> tuple[GrpcServer, str]:
    """The double on a free port."""
    server = GrpcServer([(invoice_pb2_grpc.add_InvoiceServiceServicer_to_server, double, INVOICE_SERVICE)])
    return server, await server.start("127.0.0.1:0")
