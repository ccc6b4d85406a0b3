"""Request dependencies: the caller's principal, role checks, and the service clients."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2_grpc
from billing.notify.v1 import notify_pb2_grpc, printing_pb2_grpc, webhooks_pb2_grpc
from billing.payment.v1 import dunning_pb2_grpc, payment_pb2_grpc
from billing.rating.v1 import rating_pb2_grpc
from billing.support.v1 import support_pb2_grpc
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
    dunning: dunning_pb2_grpc.DunningServiceStub | None = None
    """The payment service's DunningService (None: dunning routes answer 503)."""
    webhooks: webhooks_pb2_grpc.WebhookServiceStub | None = None
    """The notify service's WebhookService (None: webhook routes answer 503)."""
    printing: printing_pb2_grpc.PrintServiceStub | None = None
    """The notify service's PrintService (None: print batch routes answer 503)."""
    support: support_pb2_grpc.SupportServiceStub | None = None
    """The support service (None: query routes answer 503)."""

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
            dunning=dunning_pb2_grpc.DunningServiceStub(channels["payment"]),
            webhooks=webhooks_pb2_grpc.WebhookServiceStub(channels["notify"]),
            printing=printing_pb2_grpc.PrintServiceStub(channels["notify"]),
            support=support_pb2_grpc.SupportServiceStub(channels["support"]),
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
    api_key = presented_key(credentials, header_key)
    if not api_key:
        raise HTTPException(401, "an API key is required (Authorization: Bearer <key>)")
    store: KeyStore = request.app.state.keys
    found = await store.authenticate(api_key)
    if found is None:
        raise HTTPException(401, "unknown or revoked API key")
    return found


def presented_key(credentials: HTTPAuthorizationCredentials | None, header_key: str | None) -> str | None:
    """The API key a request presents: the bearer token, else the X-API-Key header."""
    return credentials.credentials if credentials else header_key


async def caller_of(request: Request) -> Principal | None:
    """The caller of a request with a valid key, None otherwise (for middleware, which has no Depends)."""
    api_key = presented_key(await bearer(request), await api_key_header(request))
    store: KeyStore = request.app.state.keys
    return await store.authenticate(api_key) if api_key else None


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
