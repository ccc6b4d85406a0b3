"""The invoice service over gRPC: what the payment service needs to know about invoices and accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import NotFoundError, UnavailableError
from kernel.money import Money
from services.payment.domain.errors import InvoiceNotPayableError

PAYABLE_STATUSES = frozenset({"finalized", "issued", "partially_paid", "paid", "overdue"})


class InvoiceServiceUnavailableError(UnavailableError):
    """The invoice service could not be asked: down, too slow, or answering nonsense."""


class InvoiceNotFoundError(NotFoundError):
    """The invoice service knows no such invoice for this tenant."""

    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"invoice {invoice_id} not found")


class AccountNotFoundError(NotFoundError):
    """The invoice service knows no such account for this tenant."""

    def __init__(self, account_id: object) -> None:
        super().__init__(f"account {account_id} not found")


@dataclass(frozen=True)
class InvoiceFacts:
    """An invoice as the invoice service reports it: whose, which number, when due, for how much."""

    invoice_id: UUID
    account_id: UUID
    number: str
    status: str
    issue_date: date
    due_date: date | None
    total: Money

    def check_payable(self) -> None:
        """Money goes to finalized invoices only: not drafts, not void ones."""
        if self.status not in PAYABLE_STATUSES:
            raise InvoiceNotPayableError(self.invoice_id, self.status)


@dataclass(frozen=True)
class AccountFacts:
    """An account as the invoice service reports it."""

    account_id: UUID
    currency: str
    status: str


class GrpcInvoices:
    """Asks the invoice service (GetInvoice, GetAccount), with a deadline."""

    def __init__(self, channel: grpc.aio.Channel, timeout_seconds: float = 5.0) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.timeout_seconds = timeout_seconds

    async def invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceFacts:
        """The tenant's invoice."""
        request = invoice_pb2.GetInvoiceRequest(tenant_id=str(tenant_id), invoice_id=str(invoice_id))
        try:
            reply = await self.stub.GetInvoice(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise lookup_error(error, InvoiceNotFoundError(invoice_id)) from None
        return invoice_facts_from_proto(invoice_id, reply)

    async def account(self, tenant_id: UUID, account_id: UUID) -> AccountFacts:
        """The tenant's account."""
        request = invoice_pb2.GetAccountRequest(tenant_id=str(tenant_id), account_id=str(account_id))
        try:
            reply = await self.stub.GetAccount(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise lookup_error(error, AccountNotFoundError(account_id)) from None
        return AccountFacts(account_id=account_id, currency=reply.currency, status=reply.status)


def lookup_error(error: grpc.aio.AioRpcError, not_found: Exception) -> Exception:
    """NOT_FOUND and INVALID_ARGUMENT (a malformed id) mean no such thing; anything else, unavailable."""
    if error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
        return not_found
    return InvoiceServiceUnavailableError(f"invoice service: {error.code().name} {error.details()}")


def invoice_facts_from_proto(invoice_id: UUID, reply: invoice_pb2.Invoice) -> InvoiceFacts:
    """The invoice service's answer as a domain value; nonsense means the service is broken."""
    try:
        issued = reply.issue_date or reply.finalized_at[:10] or reply.period_end
        return InvoiceFacts(
            invoice_id=invoice_id,
            account_id=UUID(reply.account_id),
            number=reply.number,
            status=reply.status,
            issue_date=date.fromisoformat(issued),
            due_date=date.fromisoformat(reply.due_date) if reply.due_date else None,
            total=Money.of(reply.total.amount, reply.total.currency),
        )
    except ValueError as error:
        raise InvoiceServiceUnavailableError(f"malformed invoice {invoice_id}: {error}") from error
