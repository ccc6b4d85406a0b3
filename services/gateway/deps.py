"""Request dependencies: the caller's principal, role checks, and the service clients."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2_grpc
from billing.notify.v1 import notify_pb2_grpc
from billing.payment.v1 import payment_pb2_grpc
from billing.rating.v1 import rating_pb2_grpc
from billing.usage.v1 import usage_pb2_grpc
from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from services.gateway.keys import KeyStore, Principal, Role


@dataclass(frozen=True)
class Clients:
    """gRPC stubs of every service, and the per-call timeout."""

    usage: usage_pb2_grpc.UsageServiceStub
    rating: rating_pb2_grpc.RatingServiceStub
    invoice: invoice_pb2_grpc.InvoiceServiceStub
    payment: payment_pb2_grpc.PaymentServiceStub
    notify: notify_pb2_grpc.NotifyServiceStub
    timeout: float
    bill_run_timeout: float

    @classmethod
    def connect(
        cls, channels: dict[str, grpc.aio.Channel], timeout: float, bill_run_timeout: float
    ) -> Clients:
        """Stubs over already created channels."""
        return cls(
            usage=usage_pb2_grpc.UsageServiceStub(channels["usage"]),
            rating=rating_pb2_grpc.RatingServiceStub(channels["rating"]),
            invoice=invoice_pb2_grpc.InvoiceServiceStub(channels["invoice"]),
            payment=payment_pb2_grpc.PaymentServiceStub(channels["payment"]),
            notify=notify_pb2_grpc.NotifyServiceStub(channels["notify"]),
            timeout=timeout,
            bill_run_timeout=bill_run_timeout,
        )


bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def clients(request: Request) -> Clients:
    """The service clients of this gateway."""
    found: Clients = request.app.state.clients
    return found


async def principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    header_key: str | None = Depends(api_key_header),
) -> Principal:
    """The caller, from the API key; the tenant always comes from the key."""
    api_key = credentials.credentials if credentials else header_key
    if not api_key:
        raise HTTPException(401, "an API key is required (Authorization: Bearer <key>)")
    store: KeyStore = request.app.state.keys
    found = await store.authenticate(api_key)
    if found is None:
        raise HTTPException(401, "unknown or revoked API key")
    return found


def allow(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only the given roles."""

    async def check(caller: Principal = Depends(principal)) -> Principal:
        if caller.role not in roles:
            raise HTTPException(403, f"the {caller.role.value} role may not do this")
        return caller

    return check


STAFF = (Role.ADMIN, Role.OPERATOR, Role.SUPPORT, Role.AUDITOR)
WRITERS = (Role.ADMIN, Role.OPERATOR)


def check_own_account(caller: Principal, account_id: UUID | str) -> None:
    """A customer sees only their own account; anything else is not found."""
    if caller.role is Role.CUSTOMER and str(caller.account_id) != str(account_id):
        raise HTTPException(404, "not found")
