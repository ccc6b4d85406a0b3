"""Port adapter: accounts, invoices and invoice PDFs from the invoice service over gRPC."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import NotFoundError
from kernel.money import Money
from services.notify.domain import AccountNotFoundError, BillingUnavailableError, InvoiceNotFoundError
from services.notify.emails import Attachment
from services.notify.sources import AccountContact, InvoiceLine, InvoiceSummary

CALL_TIMEOUT_SECONDS = 10.0
RENDER_TIMEOUT_SECONDS = 30.0
PDF = "pdf"

Answer = TypeVar("Answer")


def money_from_proto(message: common_pb2.Money) -> Money:
    """Wire money as the domain's."""
    return Money.of(message.amount, message.currency)


def optional_day(text: str) -> date | None:
    """An ISO date, or None when the field is empty."""
    return date.fromisoformat(text) if text else None


def invoice_from_proto(message: invoice_pb2.Invoice) -> InvoiceSummary:
    """The parts of a wire invoice an email tells."""
    return InvoiceSummary(
        invoice_id=UUID(message.invoice_id),
        account_id=UUID(message.account_id),
        number=message.number,
        period_start=date.fromisoformat(message.period_start),
        period_end=date.fromisoformat(message.period_end),
        issue_date=optional_day(message.issue_date),
        due_date=optional_day(message.due_date),
        lines=tuple(
            InvoiceLine(line.description, Decimal(line.quantity or "0"), line.unit,
                        money_from_proto(line.amount))
            for line in message.lines
        ),
        total=money_from_proto(message.total),
        amount_due=money_from_proto(message.amount_due),
    )


def account_from_proto(message: invoice_pb2.Account) -> AccountContact:
    """Who receives the account's emails, by what name, in which locale."""
    return AccountContact(UUID(message.account_id), message.name, message.billing_email,
                          message.details.locale)


async def ask(
    call: Callable[[], Awaitable[Answer]], not_found: NotFoundError,
    unavailable: Callable[[str], Exception] = BillingUnavailableError,
) -> Answer:
    """One call: NOT_FOUND raises not_found, any other failure `unavailable` (the invoice
    service's BillingUnavailableError unless told)."""
    try:
        return await call()
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            raise not_found from None
        raise unavailable(f"{error.code().name}: {error.details()}") from None


class GrpcBillingSource:
    """Asks the invoice service's GetAccount, GetInvoice and RenderDocument."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)

    async def get_account(self, tenant_id: UUID, account_id: UUID) -> AccountContact:
        """The account's contact."""
        request = invoice_pb2.GetAccountRequest(tenant_id=str(tenant_id), account_id=str(account_id))
        answer = await ask(lambda: self.stub.GetAccount(request, timeout=CALL_TIMEOUT_SECONDS),
                           AccountNotFoundError(account_id))
        return account_from_proto(answer)

    async def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceSummary:
        """The invoice."""
        request = invoice_pb2.GetInvoiceRequest(tenant_id=str(tenant_id), invoice_id=str(invoice_id))
        answer = await ask(lambda: self.stub.GetInvoice(request, timeout=CALL_TIMEOUT_SECONDS),
                           InvoiceNotFoundError(invoice_id))
        return invoice_from_proto(answer)

    async def invoice_pdf(self, tenant_id: UUID, invoice_id: UUID) -> Attachment:
        """The invoice as the PDF the invoice service renders in the invoice's locale."""
        request = invoice_pb2.RenderDocumentRequest(
            tenant_id=str(tenant_id), document_id=str(invoice_id), format=PDF)
        answer = await ask(lambda: self.stub.RenderDocument(request, timeout=RENDER_TIMEOUT_SECONDS),
                           InvoiceNotFoundError(invoice_id))
        return Attachment(answer.filename, answer.content_type or "application/pdf", answer.content)
