"""The invoice service over gRPC: invoice and account facts, credit notes and one-time charges.

Field violations the invoice service reports are renamed to the support request's fields
(lines[0].amount -> credit_lines[0].amount.amount, amount -> adjustment.amount), so a refused
settlement names what the agent sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import DomainError, PreconditionError, UnavailableError
from kernel.grpc import field_violation
from kernel.money import Money, MoneyError
from services.support.domain.errors import InvalidQueryError, SubjectNotFoundError
from services.support.domain.outcomes import CreditedLine, Settlement
from services.support.domain.subjects import AccountFacts, InvoiceFacts, LineFacts

MAX_REASON = 500


class InvoiceServiceUnavailableError(UnavailableError):
    """The invoice service could not be asked: down, too slow, or answering nonsense."""


class SettlementRefusedError(PreconditionError):
    """The invoice service refused the credit note or charge (e.g. a void invoice, a closed account)."""


class Invoicing(Protocol):
    """What the support service asks of the invoice service."""

    async def invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceFacts:
        """The tenant's invoice."""

    async def account(self, tenant_id: UUID, account_id: UUID) -> AccountFacts:
        """The tenant's account."""

    async def issue_credit_note(
        self, tenant_id: UUID, invoice_id: UUID, request_id: str, reason: str, lines: tuple[CreditedLine, ...]
    ) -> Settlement:
        """Credit invoice lines; the same request id issues one credit note, however often sent."""

    async def add_charge(
        self, tenant_id: UUID, account_id: UUID, charge_id: str, description: str, amount: Money
    ) -> Settlement:
        """Put a one-time charge on the next invoice; the same charge id adds it once."""


def credit_note_field(field: str) -> str:
    """The invoice service's credit note field as the resolve request names it."""
    if field.startswith("lines"):
        renamed = "credit_lines" + field.removeprefix("lines")
        return f"{renamed}.amount" if renamed.endswith("].amount") else renamed
    return "note"


def charge_field(field: str) -> str:
    """The invoice service's charge field as the resolve request names it."""
    if field.startswith("amount"):
        return "adjustment" + field.removeprefix("amount") if "." in field else "adjustment.amount"
    return "adjustment"


class GrpcInvoices:
    """Asks the invoice service, with a deadline."""

    def __init__(self, channel: grpc.aio.Channel, timeout_seconds: float = 5.0) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.timeout_seconds = timeout_seconds

    async def invoice(self, tenant_id: UUID, invoice_id: UUID) -> InvoiceFacts:
        """The tenant's invoice."""
        request = invoice_pb2.GetInvoiceRequest(tenant_id=str(tenant_id), invoice_id=str(invoice_id))
        try:
            reply = await self.stub.GetInvoice(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise call_error(error, f"invoice {invoice_id} not found", credit_note_field) from None
        return invoice_facts(invoice_id, reply)

    async def account(self, tenant_id: UUID, account_id: UUID) -> AccountFacts:
        """The tenant's account."""
        request = invoice_pb2.GetAccountRequest(tenant_id=str(tenant_id), account_id=str(account_id))
        try:
            reply = await self.stub.GetAccount(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise call_error(error, f"account {account_id} not found", charge_field) from None
        return AccountFacts(account_id=account_id, currency=reply.currency)

    async def issue_credit_note(
        self, tenant_id: UUID, invoice_id: UUID, request_id: str, reason: str, lines: tuple[CreditedLine, ...]
    ) -> Settlement:
        """Credit invoice lines; the same request id issues one credit note, however often sent."""
        request = invoice_pb2.IssueCreditNoteRequest(
            tenant_id=str(tenant_id), invoice_id=str(invoice_id), request_id=request_id,
            reason=shortened(reason, MAX_REASON),
            lines=[invoice_pb2.CreditLine(line_index=line.line_index, amount=str(line.amount.amount))
                   for line in lines])
        try:
            note = await self.stub.IssueCreditNote(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise call_error(error, f"invoice {invoice_id} not found", credit_note_field) from None
        return credit_note_settlement(note)

    async def add_charge(
        self, tenant_id: UUID, account_id: UUID, charge_id: str, description: str, amount: Money
    ) -> Settlement:
        """Put a one-time charge on the next invoice; the same charge id adds it once."""
        request = invoice_pb2.AddChargeRequest(
            tenant_id=str(tenant_id), account_id=str(account_id), charge_id=charge_id,
            description=description,
            amount=common_pb2.Money(amount=str(amount.amount), currency=amount.currency))
        try:
            charge = await self.stub.AddCharge(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise call_error(error, f"account {account_id} not found", charge_field) from None
        return Settlement(charge_id=charge.charge_id, amount=wire_money(charge.amount))


def shortened(text: str, limit: int) -> str:
    """Text cut to a limit, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_error(error: grpc.aio.AioRpcError, not_found: str, rename: Callable[[str], str]) -> DomainError:
    """The invoice service's refusal as a support domain error naming the request's field."""
    code = error.code()
    if code is grpc.StatusCode.NOT_FOUND:
        return SubjectNotFoundError(not_found)
    if code is grpc.StatusCode.INVALID_ARGUMENT:
        violation = field_violation(error)
        if violation is None:
            return SubjectNotFoundError(not_found)
        return InvalidQueryError(rename(violation["field"]), violation["reason"])
    if code in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ALREADY_EXISTS):
        return SettlementRefusedError(f"the invoice service refused: {error.details()}")
    return InvoiceServiceUnavailableError(f"invoice service: {code.name} {error.details()}")


def wire_money(message: common_pb2.Money) -> Money:
    """Money the invoice service sent; nonsense means the service is broken."""
    try:
        return Money.of(message.amount, message.currency)
    except MoneyError as error:
        raise InvoiceServiceUnavailableError(f"malformed money from the invoice service: {error}") from None


def invoice_facts(invoice_id: UUID, reply: invoice_pb2.Invoice) -> InvoiceFacts:
    """The invoice service's answer as a domain value."""
    try:
        account_id = UUID(reply.account_id)
    except ValueError:
        raise InvoiceServiceUnavailableError(f"malformed invoice {invoice_id}") from None
    return InvoiceFacts(
        invoice_id=invoice_id, account_id=account_id, number=reply.number, status=reply.status,
        total=wire_money(reply.total),
        lines=tuple(LineFacts(line.index, line.kind, line.description, wire_money(line.amount))
                    for line in reply.lines),
    )


def credit_note_settlement(note: invoice_pb2.CreditNote) -> Settlement:
    """The credit note issued, as the query records it."""
    return Settlement(
        credit_note_id=note.credit_note_id, credit_note_number=note.number,
        credited_lines=tuple(CreditedLine(line.line_index, wire_money(line.amount)) for line in note.lines),
        amount=wire_money(note.total),
    )
