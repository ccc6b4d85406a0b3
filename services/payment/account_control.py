"""The invoice service over gRPC: the adapter behind dunning's AccountControl port."""

from __future__ import annotations

from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import DomainError, NotFoundError, PreconditionError, UnavailableError
from kernel.money import Money
from kernel.wire import money_to_proto

SUSPENDED = "suspended"
ACTIVE = "active"
CLOSED = "closed"


class AccountNotFoundError(NotFoundError):
    """The invoice service knows no such account for this tenant."""

    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} not found")


class AccountChangeRefusedError(PreconditionError):
    """The invoice service refused the change (e.g. a charge on a closed account)."""


class AccountServiceUnavailableError(UnavailableError):
    """The invoice service could not be asked: down, too slow, or failing."""


class GrpcAccountControl:
    """Suspends, reactivates and charges accounts through the invoice service, with a deadline."""

    def __init__(self, channel: grpc.aio.Channel, timeout_seconds: float = 5.0) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.timeout_seconds = timeout_seconds

    async def suspend(self, tenant_id: UUID, account_id: UUID, reason: str) -> None:
        """Suspend; an account already suspended, or closed, needs nothing more."""
        await self._change_status(tenant_id, account_id, "suspend", reason, (SUSPENDED, CLOSED))

    async def reactivate(self, tenant_id: UUID, account_id: UUID, reason: str) -> None:
        """Reactivate; an account already active, or closed, needs nothing more."""
        await self._change_status(tenant_id, account_id, "reactivate", reason, (ACTIVE, CLOSED))

    async def add_charge(
        self, tenant_id: UUID, account_id: UUID, charge_id: UUID, description: str, amount: Money
    ) -> None:
        """Put a one-time charge on the next invoice (the invoice service adds a charge id once)."""
        request = invoice_pb2.AddChargeRequest(
            tenant_id=str(tenant_id), account_id=str(account_id), charge_id=str(charge_id),
            description=description, amount=money_to_proto(amount),
        )
        try:
            await self.stub.AddCharge(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise domain_error("AddCharge", account_id, error) from error

    async def _change_status(
        self, tenant_id: UUID, account_id: UUID, action: str, reason: str, settled: tuple[str, ...]
    ) -> None:
        """ChangeAccountStatus; refused because the account is already where it should be is done."""
        request = invoice_pb2.ChangeAccountStatusRequest(
            tenant_id=str(tenant_id), account_id=str(account_id), action=action, reason=reason)
        try:
            await self.stub.ChangeAccountStatus(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            if error.code() is not grpc.StatusCode.FAILED_PRECONDITION:
                raise domain_error("ChangeAccountStatus", account_id, error) from error
            if await self.status_of(tenant_id, account_id) not in settled:
                raise domain_error("ChangeAccountStatus", account_id, error) from error

    async def status_of(self, tenant_id: UUID, account_id: UUID) -> str:
        """The account's status as the invoice service reports it."""
        request = invoice_pb2.GetAccountRequest(tenant_id=str(tenant_id), account_id=str(account_id))
        try:
            account = await self.stub.GetAccount(request, timeout=self.timeout_seconds)
        except grpc.aio.AioRpcError as error:
            raise domain_error("GetAccount", account_id, error) from error
        return account.status


def domain_error(method: str, account_id: UUID, error: grpc.aio.AioRpcError) -> DomainError:
    """The invoice service's answer as a named error of this side."""
    code = error.code()
    if code is grpc.StatusCode.NOT_FOUND:
        return AccountNotFoundError(account_id)
    if code in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.INVALID_ARGUMENT):
        return AccountChangeRefusedError(f"{method} refused for account {account_id}: {error.details()}")
    return AccountServiceUnavailableError(f"{method} failed: {code.name} {error.details()}")
